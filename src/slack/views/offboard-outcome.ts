/**
 * What the operator sees after "Offboard now" (the preview is replaced by it), after scheduling a
 * last day, and after "Retry" on a security alert. Outcomes are said as DoorFlow confirmed them:
 * "offboarded" only after the read-back found the person disabled and nothing active.
 */
import type { KnownBlock } from "@slack/types";
import type { DueRunSummary } from "../../domain/due-offboardings.js";
import type { OffboardOutcome } from "../../domain/ports.js";
import type { Offboarding } from "../../domain/model.js";
import { redact } from "../../lib/logger.js";
import { formatLocal, formatLocalDate } from "../../lib/time.js";
import { offboardActions } from "./offboard-preview.js";
import type { Mrkdwn, SlackMessage } from "./text.js";
import { clamp, context, mention, mrkdwn, section } from "./text.js";

const ERROR_MAX = 1500;

function outcomeName(outcome: OffboardOutcome): string {
  return outcome.person
    ? `${outcome.person.first_name} ${outcome.person.last_name}`
    : `DoorFlow person ${outcome.personId}`;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

function removedText(outcome: OffboardOutcome): string {
  const { groupReservations, reservations } = outcome.removed;
  if (groupReservations + reservations === 0) return "no reservations were active";
  return `${plural(groupReservations, "group reservation")} and ${plural(reservations, "reservation")} ended`;
}

function cardText(outcome: OffboardOutcome): Mrkdwn {
  return outcome.cardNumbers.length > 0
    ? mrkdwn` Facilities were asked to collect card ${outcome.cardNumbers.join(", ")}.`
    : mrkdwn``;
}

export function errorText(error: string | undefined): string {
  return clamp(String(redact(error ?? "unknown error")), ERROR_MAX);
}

export interface OffboardOutcomeData {
  outcome: OffboardOutcome;
  by: string;
  at: Date;
  timeZone: string;
}

export function buildOffboardOutcome(data: OffboardOutcomeData): SlackMessage {
  const { outcome } = data;
  const name = outcomeName(outcome);
  const footer = context(
    mrkdwn`By ${mention(data.by)} on ${formatLocal(data.at, data.timeZone)}. DoorFlow person ${outcome.personId}.`,
  );
  let text: Mrkdwn;
  const blocks: KnownBlock[] = [];
  switch (outcome.status) {
    case "offboarded":
      text = mrkdwn`:white_check_mark: *${name} is offboarded*, checked in DoorFlow: disabled, ${removedText(outcome)}.${cardText(outcome)}`;
      break;
    case "already_disabled":
      text = mrkdwn`:white_check_mark: *${name} was already disabled* in DoorFlow; checked that nothing is active (${removedText(outcome)}).${cardText(outcome)}`;
      break;
    case "not_found":
      text = mrkdwn`:grey_question: DoorFlow has no person ${outcome.personId} any more: there is nothing to offboard.`;
      break;
    case "failed":
      text = mrkdwn`:warning: *Offboarding ${name} did not complete.* DoorFlow said:\n\`\`\`${errorText(outcome.error)}\`\`\`\nTheir access may still work. Try again, or disable them in DoorFlow and tell the security team.`;
      blocks.push(section(text), offboardActions(outcome.personId, name, { withSchedule: false }), footer);
      return { text: mrkdwn`Offboarding ${name} did not complete`.value, blocks };
  }
  blocks.push(section(text), footer);
  return { text: text.value, blocks };
}

export function buildOffboardScheduled(o: Offboarding, timeZone: string): SlackMessage {
  const text = mrkdwn`:calendar: *${o.personName}* will be offboarded on their last day, ${formatLocalDate(o.lastDay)}, at ${formatLocal(o.dueAt, timeZone)}.`;
  return {
    text: text.value,
    blocks: [
      section(text),
      context(
        "Run /offboard for them again to see it, change the day with Schedule…, or offboard them now instead.",
      ),
    ],
  };
}

export function buildRetryResult(summary: DueRunSummary): SlackMessage {
  const first = summary.outcomes[0];
  let text: Mrkdwn;
  if (!first) {
    text = mrkdwn`Nothing to retry: this offboarding is already complete, or another run is doing it right now.`;
  } else if (summary.completed > 0) {
    text = mrkdwn`:white_check_mark: Retried: *${first.offboarding.personName}* is offboarded and checked in DoorFlow. The alert is marked resolved.`;
  } else {
    text = mrkdwn`:warning: The retry for *${first.offboarding.personName}* failed again: ${errorText(first.error)}\nGatehouse keeps retrying on its own.`;
  }
  return { text: text.value, blocks: [section(text)] };
}
