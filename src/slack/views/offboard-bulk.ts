/**
 * The one message a bulk offboarding posts to the operator: progress while it runs (updated in
 * place), then the summary: done, already disabled, not found, and failed with DoorFlow's reason.
 */
import type { KnownBlock } from "@slack/types";
import type { BulkLine } from "../../domain/offboard-requests.js";
import { errorText } from "./offboard-outcome.js";
import { SLACK_LIMITS } from "./limits.js";
import type { Mrkdwn, SlackMessage } from "./text.js";
import { context, header, linesToSections, mention, mrkdwn, section } from "./text.js";

export function buildBulkProgress(data: { total: number; done: number; by: string }): SlackMessage {
  const done = Math.min(Math.floor(data.done), data.total);
  const percent = data.total === 0 ? 100 : Math.floor((done / data.total) * 100);
  const text = mrkdwn`:hourglass_flowing_sand: Bulk offboarding of ${data.total} emails: ${percent}% done`;
  return {
    text: text.value,
    blocks: [
      section(text),
      context(mrkdwn`Started by ${mention(data.by)}. This message shows the summary when it finishes.`),
    ],
  };
}

const GROUPS: ReadonlyArray<[BulkLine["status"], string]> = [
  ["failed", "Failed"],
  ["not_found", "Not found in DoorFlow"],
  ["already_disabled", "Already disabled (checked)"],
  ["offboarded", "Offboarded (checked)"],
];

function line(l: BulkLine): Mrkdwn {
  const who = l.name ? mrkdwn`${l.email} (${l.name})` : mrkdwn`${l.email}`;
  return l.status === "failed" ? mrkdwn`• ${who}: ${errorText(l.reason)}` : mrkdwn`• ${who}`;
}

function countBulk(lines: BulkLine[]): Record<BulkLine["status"], number> {
  const counts = { offboarded: 0, already_disabled: 0, not_found: 0, failed: 0 };
  for (const l of lines) counts[l.status]++;
  return counts;
}

export function buildBulkSummary(data: { lines: BulkLine[]; by: string }): SlackMessage {
  const c = countBulk(data.lines);
  const summary = mrkdwn`${c.offboarded} offboarded, ${c.already_disabled} already disabled, ${c.not_found} not found, ${c.failed} failed`;
  const listed: Mrkdwn[] = [];
  for (const [status, title] of GROUPS) {
    const group = data.lines.filter((l) => l.status === status);
    if (group.length === 0) continue;
    listed.push(mrkdwn`*${title}: ${group.length}*`, ...group.map(line));
  }
  // Header, summary and the closing context are kept out of the room for the lists.
  const { blocks: lists, shown } = linesToSections(listed, SLACK_LIMITS.messageBlocks - 3);
  const blocks: KnownBlock[] = [
    header(`Bulk offboarding: ${data.lines.length} emails`),
    section(mrkdwn`${c.failed > 0 ? ":warning:" : ":white_check_mark:"} ${summary}.`),
    ...lists,
    context(
      shown < listed.length
        ? mrkdwn`Started by ${mention(data.by)}. Only part of the list fits here; the audit trail has every person.`
        : c.failed > 0
          ? mrkdwn`Started by ${mention(data.by)}. The failures were posted to the security channel; run them again once DoorFlow is fixed.`
          : mrkdwn`Started by ${mention(data.by)}.`,
    ),
  ];
  return { text: mrkdwn`Bulk offboarding finished: ${summary}`.value, blocks };
}
