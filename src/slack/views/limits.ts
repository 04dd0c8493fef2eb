/**
 * Slack's Block Kit limits. Slack rejects a whole view or message when one of them is exceeded
 * (`invalid_blocks`), so the builders clamp user data to these rather than trust its size.
 */
export const SLACK_LIMITS = {
  /** Modal title, submit and close texts. */
  modalTitle: 24,
  modalButton: 24,
  /** Blocks in a modal or App Home view. */
  viewBlocks: 100,
  /** Blocks in a message (chat.postMessage, chat.update, ephemeral). */
  messageBlocks: 50,
  /** Section text, and each text in a context block. */
  sectionText: 3000,
  /** Each of a section's fields, and how many fields a section may have. */
  fieldText: 2000,
  sectionFields: 10,
  /** Elements in a context block. */
  contextElements: 10,
  header: 150,
  optionText: 75,
  optionValue: 75,
  optionGroupLabel: 75,
  /** Options in a static select, option groups in one, and options in one group. */
  selectOptions: 100,
  selectOptionGroups: 100,
  buttonText: 75,
  buttonValue: 2000,
  placeholder: 150,
  inputLabel: 2000,
  hint: 2000,
  privateMetadata: 3000,
} as const;
