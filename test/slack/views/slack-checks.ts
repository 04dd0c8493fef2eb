/**
 * Checks a built view or message against Slack's Block Kit limits, the way Slack would reject it
 * (`invalid_blocks`), plus helpers to pull out the texts Slack parses as mrkdwn.
 */
import { SLACK_LIMITS as L } from "../../../src/slack/views/limits.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- walks Slack JSON of every block shape
type Json = Record<string, any>;

function checkText(t: Json | undefined, max: number, where: string, out: string[]): void {
  if (!t) return;
  if (typeof t.text !== "string" || t.text.length === 0) out.push(`${where}: empty text`);
  else if (t.text.length > max) out.push(`${where}: text ${t.text.length} > ${max}`);
}

function checkOptions(options: Json[], where: string, out: string[]): void {
  if (options.length === 0) out.push(`${where}: no options`);
  if (options.length > L.selectOptions) out.push(`${where}: ${options.length} options`);
  for (const o of options) {
    checkText(o.text, L.optionText, `${where} option`, out);
    if (typeof o.value !== "string" || o.value.length > L.optionValue) out.push(`${where}: option value`);
  }
}

function checkElement(e: Json, where: string, out: string[]): void {
  checkText(e.placeholder, L.placeholder, `${where} placeholder`, out);
  if (e.type === "button") {
    checkText(e.text, L.buttonText, `${where} button`, out);
    if (e.value !== undefined && e.value.length > L.buttonValue) out.push(`${where}: button value too long`);
  }
  if (e.options) checkOptions(e.options, where, out);
  if (e.option_groups) {
    if (e.options) out.push(`${where}: both options and option_groups`);
    if (e.option_groups.length > L.selectOptionGroups) out.push(`${where}: too many option groups`);
    for (const g of e.option_groups) {
      checkText(g.label, L.optionGroupLabel, `${where} group label`, out);
      checkOptions(g.options, `${where} group`, out);
    }
  }
  const all: Json[] = e.options ?? (e.option_groups ?? []).flatMap((g: Json) => g.options);
  for (const init of [...(e.initial_options ?? []), ...(e.initial_option ? [e.initial_option] : [])]) {
    if (!all.some((o) => o.value === init.value && o.text.text === init.text.text)) {
      out.push(`${where}: initial option ${init.value} is not among the options`);
    }
  }
  if (e.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(e.initial_date))
    out.push(`${where}: initial_date`);
}

function checkBlock(b: Json, i: number, out: string[]): void {
  const where = `block ${i} (${b.type})`;
  if (b.block_id !== undefined && (b.block_id.length === 0 || b.block_id.length > 255))
    out.push(`${where}: block_id`);
  switch (b.type) {
    case "header":
      checkText(b.text, L.header, where, out);
      if (b.text.type !== "plain_text") out.push(`${where}: header must be plain_text`);
      break;
    case "section":
      if (!b.text && !(b.fields?.length > 0)) out.push(`${where}: neither text nor fields`);
      checkText(b.text, L.sectionText, where, out);
      if ((b.fields ?? []).length > L.sectionFields) out.push(`${where}: too many fields`);
      for (const f of b.fields ?? []) checkText(f, L.fieldText, `${where} field`, out);
      if (b.accessory) checkElement(b.accessory, where, out);
      break;
    case "context":
      if (b.elements.length === 0 || b.elements.length > L.contextElements) out.push(`${where}: elements`);
      for (const e of b.elements) checkText(e, L.sectionText, where, out);
      break;
    case "actions":
      if (b.elements.length === 0 || b.elements.length > 25) out.push(`${where}: elements`);
      for (const e of b.elements) checkElement(e, where, out);
      break;
    case "input":
      checkText(b.label, L.inputLabel, `${where} label`, out);
      checkText(b.hint, L.hint, `${where} hint`, out);
      checkElement(b.element, where, out);
      break;
    case "divider":
      break;
    default:
      out.push(`${where}: unexpected block type`);
  }
}

/** Every limit the view or message breaks; empty when Slack would accept it. */
export function slackLimitViolations(x: Json): string[] {
  const out: string[] = [];
  const blocks: Json[] = x.blocks;
  if (x.type === "modal") {
    checkText(x.title, L.modalTitle, "title", out);
    checkText(x.submit, L.modalButton, "submit", out);
    checkText(x.close, L.modalButton, "close", out);
    if (blocks.length > L.viewBlocks) out.push(`${blocks.length} blocks in a view`);
    if ((x.private_metadata ?? "").length > L.privateMetadata) out.push("private_metadata too long");
    if (blocks.some((b) => b.type === "input") && !x.submit) out.push("inputs without a submit button");
  } else {
    if (typeof x.text !== "string" || x.text.length === 0) out.push("message without fallback text");
    if (blocks.length > L.messageBlocks) out.push(`${blocks.length} blocks in a message`);
  }
  const ids = blocks.map((b) => b.block_id).filter((id) => id !== undefined);
  if (new Set(ids).size !== ids.length) out.push("duplicate block_id");
  blocks.forEach((b, i) => checkBlock(b, i, out));
  return out;
}

/** Every string Slack parses as mrkdwn: mrkdwn text objects and a message's fallback text. */
export function mrkdwnTexts(x: Json): string[] {
  const out: string[] = typeof x.text === "string" && x.type !== "modal" ? [x.text] : [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Json;
      if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(x.blocks);
  return out;
}

/** All visible text, plain and mrkdwn, joined: what a reader of the message could see. */
export function visibleText(x: Json): string {
  const out: string[] = typeof x.text === "string" && x.type !== "modal" ? [x.text] : [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Json;
      if ((o.type === "mrkdwn" || o.type === "plain_text") && typeof o.text === "string") out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk([x.title, x.blocks]);
  return out.join("\n");
}

export function blockOf(x: Json, blockId: string): Json | undefined {
  return (x.blocks as Json[]).find((b) => b.block_id === blockId);
}

export function inputLabels(x: Json): string[] {
  return (x.blocks as Json[]).filter((b) => b.type === "input").map((b) => b.label.text);
}
