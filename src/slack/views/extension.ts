/**
 * Extension: the "Extend contract" modal (which contractor, the new end date) and the approval
 * message with Approve/Deny, rewritten without buttons once decided.
 */
import type { KnownBlock, ModalView, StaticSelect } from "@slack/types";
import type { Extension } from "../../domain/model.js";
import type { ManagedPerson } from "../../domain/model.js";
import type { ScheduledOffboardingNote } from "../../domain/ports.js";
import { escapeSlackText } from "../../lib/text.js";
import { formatLocal, formatLocalDate } from "../../lib/time.js";
import { ACTION, CALLBACK, FIELD } from "../ids.js";
import { dateInput, modal } from "./form-fields.js";
import { SLACK_LIMITS } from "./limits.js";
import { mention, type SlackMessage } from "./text.js";
import { personName } from "../../domain/model.js";

/** At most this many contractors' scheduled offboardings are noted on the form. */
const FORM_NOTES_MAX = 5;

/** "Offboarding scheduled by @op for Fri 5 Dec 2025 — an extension does not change it" (mrkdwn). */
function scheduledOffboardingNote(note: ScheduledOffboardingNote): string {
  return `Offboarding scheduled by ${mention(note.by).value} for ${formatLocalDate(note.lastDay)} — an extension does not change it`;
}

export interface ExtensionModalData {
  contractors: Array<{
    id: number;
    name: string;
    endDate: string;
    scheduledOffboarding?: ScheduledOffboardingNote | null;
  }>;
  selectedId?: number;
  today: string;
}

export function buildExtensionModal(data: ExtensionModalData): ModalView {
  const options = data.contractors.slice(0, SLACK_LIMITS.selectOptions).map((c) => ({
    text: {
      type: "plain_text" as const,
      text: `${c.name} (ends ${c.endDate})`.slice(0, SLACK_LIMITS.optionText),
    },
    value: String(c.id),
  }));
  const selected = options.find((o) => o.value === String(data.selectedId));
  const select: StaticSelect = {
    type: "static_select",
    action_id: FIELD.contractor.action,
    placeholder: { type: "plain_text", text: "Choose a contractor" },
    options,
    ...(selected ? { initial_option: selected } : {}),
  };
  const blocks: KnownBlock[] =
    options.length === 0
      ? [{ type: "section", text: { type: "mrkdwn", text: "There are no active contractors to extend." } }]
      : [
          {
            type: "input",
            block_id: FIELD.contractor.block,
            label: { type: "plain_text", text: "Contractor" },
            element: select,
          },
          dateInput(FIELD.newEndDate, "New end date", { placeholder: "Pick the new last day" }),
          ...formNotes(data),
        ];
  return modal({
    callbackId: CALLBACK.extensionRequest,
    title: "Extend contract",
    privateMetadata: "",
    ...(options.length > 0 ? { submit: "Request" } : {}),
    close: "Cancel",
    blocks,
  });
}

/** The selected contractor's scheduled offboarding first, then others', each named. */
function formNotes(data: ExtensionModalData): KnownBlock[] {
  const noted = data.contractors
    .filter((c) => c.scheduledOffboarding)
    .sort((a, b) => Number(b.id === data.selectedId) - Number(a.id === data.selectedId))
    .slice(0, FORM_NOTES_MAX);
  return noted.map((c) => ({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: `*${escapeSlackText(c.name)}:* ${scheduledOffboardingNote(c.scheduledOffboarding as ScheduledOffboardingNote)}.`,
      },
    ],
  }));
}

export function buildExtensionMessage(
  extension: Extension,
  person: ManagedPerson | null,
  timeZone: string,
  scheduled?: ScheduledOffboardingNote | null,
): SlackMessage {
  const name = person ? personName(person) : "a contractor";
  const who = escapeSlackText(`${name}${person?.company ? ` (${person.company})` : ""}`);
  // The fallback text is mrkdwn too (and what notifications show): names are escaped there as well.
  const text = `Extension for ${escapeSlackText(name)}: ${formatLocalDate(extension.oldEndDate)} → ${formatLocalDate(extension.newEndDate)}`;
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: `Extension: ${name}`.slice(0, SLACK_LIMITS.header) },
    },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${who}*\nRequested by <@${extension.requesterId}>\n*End date:* ${formatLocalDate(extension.oldEndDate)} → *${formatLocalDate(extension.newEndDate)}*`,
      },
    },
  ];
  if (scheduled) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `:warning: ${scheduledOffboardingNote(scheduled)}.` }],
    });
  }
  if (extension.state === "requested") {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.extensionApprove,
          style: "primary",
          text: { type: "plain_text", text: "Approve" },
          value: extension.id,
        },
        {
          type: "button",
          action_id: ACTION.extensionDeny,
          style: "danger",
          text: { type: "plain_text", text: "Deny" },
          value: extension.id,
        },
      ],
    });
  } else {
    const when = extension.decidedAt ? ` on ${formatLocal(extension.decidedAt, timeZone)}` : "";
    const by = extension.decidedBy ? ` by <@${extension.decidedBy}>` : "";
    const outcome =
      extension.state === "denied"
        ? `:no_entry: Denied${by}${when}: ${escapeSlackText(extension.denyReason ?? "")}`
        : extension.state === "failed"
          ? `:warning: Approved${by}${when}, but could not be applied: ${escapeSlackText(extension.lastError ?? "")}`
          : extension.state === "expired"
            ? ":hourglass: Expired without a decision"
            : `:white_check_mark: Approved${by}${when}`;
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: outcome }] });
  }
  return { text, blocks };
}
