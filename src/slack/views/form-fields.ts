/** Input blocks shared by the request modals; ids come from ids.ts so listeners read the same keys. */
import type {
  Datepicker,
  EmailInput,
  InputBlock,
  InputBlockElement,
  KnownBlock,
  ModalView,
  MultiStaticSelect,
  PlainTextInput,
  PlainTextOption,
  Timepicker,
} from "@slack/types";
import type { FieldId } from "../ids.js";
import { SLACK_LIMITS } from "./limits.js";
import { clamp, plain } from "./text.js";

/** Something DoorFlow lists for the user to choose: an access group or a door (channel). */
export interface NamedItem {
  id: number;
  name: string;
}

/** Lengths that keep a submitted value usable as a DoorFlow name or note. */
export const INPUT_MAX = { name: 100, company: 200, cardNumber: 20, notes: 1000, reason: 500 } as const;

/** What the modal knows about DoorFlow's list while it is open. */
export type Choices = NamedItem[] | "loading" | { error: string };

interface InputOptions {
  optional?: boolean;
  hint?: string;
}

function input(f: FieldId, label: string, element: InputBlockElement, opts: InputOptions = {}): InputBlock {
  return {
    type: "input",
    block_id: f.block,
    label: plain(label, SLACK_LIMITS.inputLabel),
    element,
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.hint ? { hint: plain(opts.hint, SLACK_LIMITS.hint) } : {}),
  };
}

export function textInput(
  f: FieldId,
  label: string,
  opts: InputOptions & {
    initial?: string;
    multiline?: boolean;
    maxLength?: number;
    placeholder?: string;
  } = {},
): InputBlock {
  const element: PlainTextInput = {
    type: "plain_text_input",
    action_id: f.action,
    ...(opts.multiline ? { multiline: true } : {}),
    ...(opts.maxLength ? { max_length: opts.maxLength } : {}),
    ...(opts.placeholder ? { placeholder: plain(opts.placeholder, SLACK_LIMITS.placeholder) } : {}),
    ...(opts.initial ? { initial_value: opts.initial } : {}),
  };
  return input(f, label, element, opts);
}

export function emailInput(
  f: FieldId,
  label: string,
  opts: InputOptions & { initial?: string } = {},
): InputBlock {
  const element: EmailInput = {
    type: "email_text_input",
    action_id: f.action,
    placeholder: plain("name@example.com", SLACK_LIMITS.placeholder),
    ...(opts.initial ? { initial_value: opts.initial } : {}),
  };
  return input(f, label, element, opts);
}

export function dateInput(
  f: FieldId,
  label: string,
  opts: InputOptions & { initial?: string; placeholder: string },
): InputBlock {
  const element: Datepicker = {
    type: "datepicker",
    action_id: f.action,
    placeholder: plain(opts.placeholder, SLACK_LIMITS.placeholder),
    ...(opts.initial ? { initial_date: opts.initial } : {}),
  };
  return input(f, label, element, opts);
}

/** A time of day ("HH:mm"); Slack shows it in the user's zone but submits the digits as chosen. */
export function timeInput(
  f: FieldId,
  label: string,
  opts: InputOptions & { initial?: string; placeholder: string },
): InputBlock {
  const element: Timepicker = {
    type: "timepicker",
    action_id: f.action,
    placeholder: plain(opts.placeholder, SLACK_LIMITS.placeholder),
    ...(opts.initial ? { initial_time: opts.initial } : {}),
  };
  return input(f, label, element, opts);
}

function option(item: NamedItem): PlainTextOption {
  return { text: plain(item.name, SLACK_LIMITS.optionText), value: String(item.id) };
}

/**
 * A multi-select of DoorFlow items, sorted by name. Slack allows 100 options in a static select,
 * but 100 option groups of 100 each, so a longer list is split into groups named by their first
 * and last entries; `omitted` counts what would not fit even so.
 */
export function multiSelectInput(
  f: FieldId,
  label: string,
  items: NamedItem[],
  opts: InputOptions & { placeholder: string; initialIds?: number[] },
): { block: InputBlock; omitted: number } {
  const sorted = [...items].sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }));
  const capacity = SLACK_LIMITS.selectOptions * SLACK_LIMITS.selectOptionGroups;
  const kept = sorted.slice(0, capacity);
  const element: MultiStaticSelect = {
    type: "multi_static_select",
    action_id: f.action,
    placeholder: plain(opts.placeholder, SLACK_LIMITS.placeholder),
  };
  if (kept.length <= SLACK_LIMITS.selectOptions) {
    element.options = kept.map(option);
  } else {
    element.option_groups = [];
    for (let i = 0; i < kept.length; i += SLACK_LIMITS.selectOptions) {
      const chunk = kept.slice(i, i + SLACK_LIMITS.selectOptions);
      const first = clamp(chunk[0]?.name ?? "", 30);
      const last = clamp(chunk[chunk.length - 1]?.name ?? "", 30);
      element.option_groups.push({
        label: plain(`${first} – ${last}`, SLACK_LIMITS.optionGroupLabel),
        options: chunk.map(option),
      });
    }
  }
  const initial = new Set(opts.initialIds ?? []);
  const selected = kept.filter((item) => initial.has(item.id)).map(option);
  if (selected.length > 0) element.initial_options = selected;
  return { block: input(f, label, element, opts), omitted: sorted.length - kept.length };
}

interface ModalOptions {
  callbackId: string;
  title: string;
  privateMetadata: string;
  blocks: KnownBlock[];
  submit?: string;
  close: string;
}

export function modal(opts: ModalOptions): ModalView {
  if (opts.privateMetadata.length > SLACK_LIMITS.privateMetadata) {
    // Cutting it would corrupt whatever the listener encoded in it; this is a bug in the caller.
    throw new RangeError(`private_metadata is ${opts.privateMetadata.length} characters, Slack allows 3000`);
  }
  return {
    type: "modal",
    callback_id: opts.callbackId,
    title: plain(opts.title, SLACK_LIMITS.modalTitle),
    close: plain(opts.close, SLACK_LIMITS.modalButton),
    ...(opts.submit ? { submit: plain(opts.submit, SLACK_LIMITS.modalButton) } : {}),
    private_metadata: opts.privateMetadata,
    blocks: opts.blocks.slice(0, SLACK_LIMITS.viewBlocks),
  };
}
