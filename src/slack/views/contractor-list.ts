/** `/contractor list`: active contractors, ending soonest first, shown only to the caller. */
import type { KnownBlock } from "@slack/types";
import { formatLocalDate } from "../../lib/time.js";
import type { LocalDate } from "../../lib/time.js";
import { SLACK_LIMITS } from "./limits.js";
import type { Mrkdwn, SlackMessage } from "./text.js";
import { context, header, linesToSections, mrkdwn } from "./text.js";

export interface ContractorListRow {
  personName: string;
  email: string;
  company: string;
  endDate: LocalDate;
  /** Days from today to the end date (0 on the last day). */
  daysLeft: number;
}

export interface ContractorListData {
  rows: ContractorListRow[];
  today: LocalDate;
  /** All active contractors, which may be more than `rows` when the caller passes one page. */
  total: number;
}

function endsIn(days: number): string {
  if (days <= 0) return "ends today";
  if (days === 1) return "ends tomorrow";
  return `ends in ${days} days`;
}

function line(row: ContractorListRow): Mrkdwn {
  return mrkdwn`• *${row.personName}* (${row.company}) ${row.email} — ${endsIn(row.daysLeft)}, ${formatLocalDate(row.endDate)}`;
}

export function buildContractorList(data: ContractorListData): SlackMessage {
  const total = Math.max(data.total, data.rows.length);
  const title = header(`Active contractors on ${formatLocalDate(data.today)}`);
  if (total === 0) {
    return {
      text: "No active contractors.",
      blocks: [title, context("No active contractors. Request one with /contractor.")],
    };
  }
  const rows = [...data.rows].sort((a, b) => a.endDate.localeCompare(b.endDate));
  // Header and the closing summary take two of the message's blocks.
  const { blocks, shown } = linesToSections(rows.map(line), SLACK_LIMITS.messageBlocks - 2);
  const summary =
    shown < total
      ? mrkdwn`Showing the ${shown} ending soonest of ${total}. Use */contractor status <email>* for anyone else.`
      : mrkdwn`${total} active ${total === 1 ? "contractor" : "contractors"}.`;
  const out: KnownBlock[] = [title, ...blocks, context(summary)];
  return { text: `${total} active contractors`, blocks: out };
}
