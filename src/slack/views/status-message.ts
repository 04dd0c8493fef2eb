/** `/contractor status <email>`: one person's requests and the access Gatehouse manages for them. */
import type { KnownBlock } from "@slack/types";
import { formatLocalDate } from "../../lib/time.js";
import type { LocalDate } from "../../lib/time.js";
import { redact } from "../../lib/logger.js";
import { SLACK_LIMITS } from "./limits.js";
import type { RequestKind } from "./request-format.js";
import { formatDateRange, KIND_LABEL } from "./request-format.js";
import type { Mrkdwn, SlackMessage } from "./text.js";
import { clamp, context, header, linesToSections, mrkdwn, mention, section } from "./text.js";

export interface StatusRequestRow {
  id: string;
  kind: RequestKind;
  /** The request's state as stored: pending, approved, denied, expired, failed, provisioned… */
  state: string;
  startDate: LocalDate;
  endDate: LocalDate;
  decidedBy?: string;
  lastError?: string;
}

interface ManagedAccess {
  /** The contract's state as stored: active, offboarded… */
  status: string;
  endDate: LocalDate;
  cardCollected: boolean;
}

export interface StatusMessageData {
  personName: string;
  email: string;
  requests: StatusRequestRow[];
  managed?: ManagedAccess;
}

const ERROR_MAX = 300;

function requestLine(r: StatusRequestRow): Mrkdwn {
  const by = r.decidedBy ? mrkdwn` by ${mention(r.decidedBy)}` : mrkdwn``;
  const error = r.lastError
    ? mrkdwn`\n    _Last error: ${clamp(String(redact(r.lastError)), ERROR_MAX)}_`
    : mrkdwn``;
  // "awaiting_provider" is a Buzz-in request waiting for the community admin or the pass.
  const state = r.state === "awaiting_provider" ? "approved, waiting for Buzz-in" : r.state;
  return mrkdwn`• ${KIND_LABEL[r.kind]} request ${r.id}: *${state}*${by}, ${formatDateRange(r.startDate, r.endDate)}${error}`;
}

function managedLine(m: ManagedAccess): Mrkdwn {
  const card = m.cardCollected ? "card collected" : "card not collected yet";
  return mrkdwn`*Access:* ${m.status}, last day ${formatLocalDate(m.endDate)}; ${card}`;
}

export function buildStatusMessage(data: StatusMessageData): SlackMessage {
  const blocks: KnownBlock[] = [header(`Status: ${data.personName}`)];
  const summary = data.managed
    ? mrkdwn`*Email:* ${data.email}\n${managedLine(data.managed)}`
    : mrkdwn`*Email:* ${data.email}\nNo access managed by Gatehouse.`;
  blocks.push(section(summary));

  const total = data.requests.length;
  if (total === 0) {
    blocks.push(context(mrkdwn`No requests for ${data.email}.`));
  } else {
    // One block is kept back for the closing context line.
    const room = SLACK_LIMITS.messageBlocks - blocks.length - 1;
    const { blocks: lines, shown } = linesToSections(data.requests.map(requestLine), room);
    blocks.push(...lines);
    blocks.push(
      context(
        shown < total
          ? mrkdwn`Showing ${shown} of ${total} requests, in the order given.`
          : mrkdwn`${total} ${total === 1 ? "request" : "requests"}.`,
      ),
    );
  }
  return { text: mrkdwn`Status of ${data.personName} (${data.email})`.value, blocks };
}
