/**
 * The request posted to the approval channel. While pending it carries Approve and Deny; once
 * decided it is updated in place without them, naming who decided and when (product.md). It is
 * a channel message, so its data type has no field that could carry a PIN or card number.
 */
import type { ActionsBlock, KnownBlock } from "@slack/types";
import { formatLocal } from "../../lib/time.js";
import type { LocalDate } from "../../lib/time.js";
import { ACTION, BLOCK } from "../ids.js";
import { BUTTON } from "./labels.js";
import { SLACK_LIMITS } from "./limits.js";
import type { CredentialKind, RequestKind } from "./request-format.js";
import { formatAccessNames, formatCredential, formatDateRange, KIND_LABEL } from "./request-format.js";
import type { Mrkdwn, SlackMessage } from "./text.js";
import { clamp, context, fieldsSection, header, mrkdwn, mention, plain, section } from "./text.js";

type DecidedState = "approved" | "denied" | "expired" | "failed";

export type ApprovalStatus =
  | { state: "pending" }
  | {
      state: DecidedState;
      /** Slack user id of the approver (approved, denied, failed after approval). */
      by?: string;
      at?: Date;
      /** Deny reason, or what went wrong for `failed`. */
      reason?: string;
      /** How long the request waited before it expired. */
      hours?: number;
    };

/** The DoorFlow person a request would reuse, as it was when the request was made. No PIN. */
export interface ExistingPersonView {
  name: string;
  enabled: boolean;
  /** When DoorFlow last changed them, or when Gatehouse offboarded them. */
  changedAt: Date | null;
  managedBefore: boolean;
  groupNames: string[];
  cardNumber: string | null;
  /** Whether the request asks for that same card (it is then kept). */
  keepsCard: boolean;
  credentialKinds: string[];
  systemId: string | null;
}

export interface ApprovalMessageData {
  requestId: string;
  kind: RequestKind;
  requesterId: string;
  personName: string;
  email: string | null;
  company: string;
  accessNames: string[];
  startDate: LocalDate;
  /** The last day; a visitor's is the visit date. */
  endDate: LocalDate;
  credential: CredentialKind;
  notes: string | null;
  status: ApprovalStatus;
  timeZone: string;
  /** Set when DoorFlow already has a person with this email: only an operator may approve. */
  existingPerson?: ExistingPersonView | null;
}

const REASON_MAX = 1000;

function decidedBy(status: Exclude<ApprovalStatus, { state: "pending" }>, timeZone: string): Mrkdwn {
  const who = status.by ? mrkdwn` by ${mention(status.by)}` : mrkdwn``;
  const when = status.at ? mrkdwn` on ${formatLocal(status.at, timeZone)}` : mrkdwn``;
  return mrkdwn`${who}${when}`;
}

function outcomeText(status: Exclude<ApprovalStatus, { state: "pending" }>, timeZone: string): Mrkdwn {
  const reason = status.reason ? clamp(status.reason, REASON_MAX) : null;
  switch (status.state) {
    case "approved":
      return mrkdwn`:white_check_mark: Approved${decidedBy(status, timeZone)}`;
    case "denied":
      return reason
        ? mrkdwn`:no_entry: Denied${decidedBy(status, timeZone)} — ${reason}`
        : mrkdwn`:no_entry: Denied${decidedBy(status, timeZone)}`;
    case "expired":
      return status.hours !== undefined
        ? mrkdwn`:hourglass: Expired after ${status.hours} hours without a decision`
        : mrkdwn`:hourglass: Expired without a decision`;
    case "failed": {
      const approved = status.by
        ? mrkdwn`Approved${decidedBy(status, timeZone)}, but access`
        : mrkdwn`Access`;
      const cause = reason ? mrkdwn`: ${reason}` : mrkdwn``;
      return mrkdwn`:warning: ${approved} could not be set up in DoorFlow${cause}. The security channel has been told.`;
    }
  }
}

/** "Existing DoorFlow person: Chloé Dubois, disabled since …, groups: …; card 40010009 not collected". */
function describeExistingPerson(p: ExistingPersonView, timeZone: string): Mrkdwn {
  const since = p.changedAt
    ? p.managedBefore && !p.enabled
      ? ` since ${formatLocal(p.changedAt, timeZone)}`
      : ` (last changed in DoorFlow ${formatLocal(p.changedAt, timeZone)})`
    : "";
  const state = p.enabled ? `*enabled*, not managed by Gatehouse${since}` : `disabled${since}`;
  const groups = p.groupNames.length > 0 ? `groups: ${p.groupNames.join(", ")}` : "no groups";
  const card = p.cardNumber ? `; card ${p.cardNumber} not collected` : "";
  const id = p.systemId ? `; system id ${p.systemId}` : "";
  return mrkdwn`:warning: *Existing DoorFlow person:* ${p.name}, ${state}, ${groups}${card}${id}. Only an operator can approve this request.`;
}

/** What approving does to the existing person, for the Approve button's confirmation. */
function reuseConsequences(p: ExistingPersonView, dates: string): string {
  const groups = p.groupNames.length > 0 ? `removes their groups (${p.groupNames.join(", ")})` : "";
  const card = p.cardNumber && !p.keepsCard ? `removes card ${p.cardNumber}` : "";
  const steps = [
    `enables ${p.name} for ${dates}`,
    groups,
    "deletes their PIN and mobile credentials and generates a new PIN",
    card,
  ].filter(Boolean);
  return clamp(`Approving ${steps.join(", ")}. Their name and system id stay as they are.`, CONFIRM_TEXT_MAX);
}

/** Slack's limit for a confirmation dialog's text. */
const CONFIRM_TEXT_MAX = 300;

function actions(requestId: string, confirm?: string): ActionsBlock {
  return {
    type: "actions",
    block_id: BLOCK.approvalActions,
    elements: [
      {
        type: "button",
        action_id: ACTION.approve,
        text: plain(BUTTON.approve, SLACK_LIMITS.buttonText),
        style: "primary",
        value: requestId,
        ...(confirm
          ? {
              confirm: {
                title: plain("Reuse this DoorFlow person?", 100),
                text: plain(confirm, CONFIRM_TEXT_MAX),
                confirm: plain("Approve", 30),
                deny: plain("Cancel", 30),
                style: "danger" as const,
              },
            }
          : {}),
      },
      {
        type: "button",
        action_id: ACTION.deny,
        text: plain(BUTTON.deny, SLACK_LIMITS.buttonText),
        style: "danger",
        value: requestId,
      },
    ],
  };
}

export function buildApprovalMessage(data: ApprovalMessageData): SlackMessage {
  if (data.requestId.length > SLACK_LIMITS.buttonValue) {
    throw new RangeError("requestId is longer than a Slack button value may be");
  }
  const person = data.email ? mrkdwn`${data.personName}\n${data.email}` : mrkdwn`${data.personName}`;
  const blocks: KnownBlock[] = [
    header(`Access request: ${data.personName}`),
    fieldsSection([
      ["Requested by", mention(data.requesterId)],
      ["Person", person],
      ["Company", mrkdwn`${data.company}`],
      ["Access", formatAccessNames(data.accessNames)],
      ["Dates", mrkdwn`${formatDateRange(data.startDate, data.endDate)}`],
      ["Credential", mrkdwn`${formatCredential(data.kind, data.credential)}`],
      ["Notes", data.notes ? mrkdwn`${clamp(data.notes, 1500)}` : null],
    ]),
    ...(data.existingPerson ? [section(describeExistingPerson(data.existingPerson, data.timeZone))] : []),
    context(mrkdwn`${KIND_LABEL[data.kind]} request ${data.requestId}`),
  ];

  const { status } = data;
  if (status.state === "pending") {
    const dates = formatDateRange(data.startDate, data.endDate);
    blocks.push(
      actions(
        data.requestId,
        data.existingPerson ? reuseConsequences(data.existingPerson, dates) : undefined,
      ),
    );
    return {
      text: mrkdwn`Access request for ${data.personName} from ${mention(data.requesterId)}: Approve or Deny`
        .value,
      blocks,
    };
  }
  const outcome = outcomeText(status, data.timeZone);
  blocks.push(context(outcome, BLOCK.approvalOutcome));
  return { text: mrkdwn`Access request for ${data.personName}: ${outcome}`.value, blocks };
}
