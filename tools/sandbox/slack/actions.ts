/**
 * The `actions[0]` entry of a block_actions payload. Slack describes the element that was used
 * (its type, block id, button text, style), so the driver reads those from the message or view
 * the stand-in holds instead of making the caller repeat them.
 */
import { type SelectedOption, normaliseOption, slackTs } from "./payloads.js";
import type { Json } from "./shapes.js";

export interface ActionSpec {
  actionId: string;
  value?: string;
  blockId?: string;
  /** Element type; found in the clicked message or view when the stand-in has it, else "button". */
  type?: string;
  selectedDate?: string;
  selectedOption?: SelectedOption;
  selectedOptions?: SelectedOption[];
}

type FoundElement = { blockId: string; element: Json } | undefined;

/** The interactive element with `actionId` in a list of blocks (actions, section accessory, input). */
function findElement(blocks: unknown, actionId: string): FoundElement {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks as Json[]) {
    const candidates = [
      ...(Array.isArray(block.elements) ? (block.elements as Json[]) : []),
      ...(block.accessory ? [block.accessory as Json] : []),
      ...(block.element ? [block.element as Json] : []),
    ];
    const element = candidates.find((e) => e && e.action_id === actionId);
    if (element) return { blockId: typeof block.block_id === "string" ? block.block_id : "", element };
  }
  return undefined;
}

function fallbackType(spec: ActionSpec): string {
  if (spec.selectedDate !== undefined) return "datepicker";
  if (spec.selectedOptions) return "multi_static_select";
  if (spec.selectedOption) return "static_select";
  return "button";
}

export function buildAction(spec: ActionSpec, blocks: unknown, at: Date, fallbackBlockId: string): Json {
  const found = findElement(blocks, spec.actionId);
  const element = found?.element;
  const type = spec.type ?? (typeof element?.type === "string" ? element.type : fallbackType(spec));
  const value = spec.value ?? (typeof element?.value === "string" ? element.value : undefined);
  return {
    type,
    action_id: spec.actionId,
    block_id: spec.blockId ?? found?.blockId ?? fallbackBlockId,
    action_ts: slackTs(at),
    ...(value !== undefined ? { value } : {}),
    ...(type === "button" && element?.text ? { text: element.text } : {}),
    ...(element?.style ? { style: element.style } : {}),
    ...(spec.selectedDate !== undefined ? { selected_date: spec.selectedDate } : {}),
    ...(spec.selectedOption ? { selected_option: normaliseOption(spec.selectedOption) } : {}),
    ...(spec.selectedOptions ? { selected_options: spec.selectedOptions.map(normaliseOption) } : {}),
  };
}
