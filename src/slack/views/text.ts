/**
 * Text for Block Kit. Anything a person typed (names, companies, notes, DoorFlow's error messages)
 * is escaped before it goes into mrkdwn, so a name like "<!channel>" cannot ping a whole channel,
 * and every text is clamped to the limit of the place it goes.
 */
import type {
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from "@slack/types";
import { SLACK_LIMITS } from "./limits.js";

/** Mrkdwn that is already safe: built by `mrkdwn` or `mention`, never straight from user input. */
export class Mrkdwn {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Template tag for mrkdwn. Everything is escaped, the literal parts too (so "<email>" in help text
 * stays text), except interpolated `Mrkdwn` values such as a `mention`. Formatting (`*bold*`,
 * backticks, newlines) is untouched by escaping. Not named `md`: Prettier reformats templates
 * tagged `md` as Markdown, turning Slack's `*bold*` into `_italic_`.
 */
export function mrkdwn(strings: TemplateStringsArray, ...values: (string | number | Mrkdwn)[]): Mrkdwn {
  let out = escapeMrkdwn(strings[0] ?? "");
  values.forEach((v, i) => {
    out += (v instanceof Mrkdwn ? v.value : escapeMrkdwn(String(v))) + escapeMrkdwn(strings[i + 1] ?? "");
  });
  return new Mrkdwn(out);
}

export function toMrkdwn(text: string | Mrkdwn): string {
  return text instanceof Mrkdwn ? text.value : escapeMrkdwn(text);
}

export function mention(userId: string): Mrkdwn {
  // Slack user ids are upper-case alphanumerics; anything else is not a mention and is shown as text.
  return /^[UW][A-Z0-9]+$/.test(userId) ? new Mrkdwn(`<@${userId}>`) : mrkdwn`${userId}`;
}

/**
 * Shortens to `max` characters with an ellipsis, never cutting through an `&amp;` entity or a
 * `<...>` mention, which Slack would show broken or reject.
 */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf("&");
  if (amp > cut.lastIndexOf(";")) cut = cut.slice(0, amp);
  const lt = cut.lastIndexOf("<");
  if (lt > cut.lastIndexOf(">")) cut = cut.slice(0, lt);
  return `${cut}…`;
}

export function plain(text: string, max: number = SLACK_LIMITS.sectionText): PlainTextElement {
  return { type: "plain_text", text: clamp(text.length > 0 ? text : "—", max), emoji: true };
}

function mrkdwnElement(text: string | Mrkdwn, max: number = SLACK_LIMITS.sectionText): MrkdwnElement {
  const value = toMrkdwn(text);
  return { type: "mrkdwn", text: clamp(value.length > 0 ? value : "—", max) };
}

export function header(text: string): HeaderBlock {
  return { type: "header", text: plain(text, SLACK_LIMITS.header) };
}

export function section(text: string | Mrkdwn, blockId?: string): SectionBlock {
  return { type: "section", text: mrkdwnElement(text), ...(blockId ? { block_id: blockId } : {}) };
}

/** A section of labelled fields, shown two columns wide. Empty values are left out. */
export function fieldsSection(fields: [label: string, value: Mrkdwn | null][]): SectionBlock {
  const shown = fields.filter((f): f is [string, Mrkdwn] => f[1] !== null && f[1].value.length > 0);
  return {
    type: "section",
    fields: shown
      .slice(0, SLACK_LIMITS.sectionFields)
      .map(([label, value]) => mrkdwnElement(mrkdwn`*${label}*\n${value}`, SLACK_LIMITS.fieldText)),
  };
}

export function context(text: string | Mrkdwn, blockId?: string): ContextBlock {
  return { type: "context", elements: [mrkdwnElement(text)], ...(blockId ? { block_id: blockId } : {}) };
}

/**
 * Packs lines into as few sections as fit under the text limit, so a long list costs a handful
 * of blocks instead of one per line. `shown` says how many lines made it in.
 */
export function linesToSections(
  lines: Mrkdwn[],
  maxBlocks: number,
): { blocks: SectionBlock[]; shown: number } {
  const blocks: SectionBlock[] = [];
  let current: string[] = [];
  let length = 0;
  let shown = 0;
  const flush = () => {
    blocks.push(section(new Mrkdwn(current.join("\n"))));
    shown += current.length;
    current = [];
    length = 0;
  };
  for (const line of lines) {
    const value = clamp(line.value, SLACK_LIMITS.sectionText);
    if (current.length > 0 && length + 1 + value.length > SLACK_LIMITS.sectionText) {
      flush();
      if (blocks.length >= maxBlocks) return { blocks, shown };
    }
    length += (current.length > 0 ? 1 : 0) + value.length;
    current.push(value);
  }
  if (current.length > 0 && blocks.length < maxBlocks) flush();
  return { blocks, shown };
}

/** A message for chat.postMessage / chat.update: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}
