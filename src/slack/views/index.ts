/** Pure Block Kit builders: data in, a Slack view or message out. Listeners import from here. */
export * from "./access-details.js";
export * from "./approval-message.js";
export * from "./contractor-list.js";
export * from "./contractor-modal.js";
export * from "./deny-reason-modal.js";
export * from "./help-message.js";
export * from "./notices.js";
export * from "./status-message.js";
export * from "./visitor-modal.js";
export { INPUT_MAX } from "./form-fields.js";
export type { Choices, NamedItem } from "./form-fields.js";
export { BUTTON, CREDENTIAL_LABEL, LABEL, TITLE } from "./labels.js";
export { SLACK_LIMITS } from "./limits.js";
export type { CredentialKind, RequestKind } from "./request-format.js";
export { escapeMrkdwn, mrkdwn, mention, Mrkdwn } from "./text.js";
export type { SlackMessage } from "./text.js";
