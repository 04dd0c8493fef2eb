/** Small messages: plain replies to a user, and the alert the security channel gets when a step fails. */
import type { KnownBlock } from "@slack/types";
import { redact } from "../../lib/logger.js";
import type { Mrkdwn, SlackMessage } from "./text.js";
import { clamp, context, fieldsSection, header, mrkdwn, section, toMrkdwn } from "./text.js";

/** A one-section reply. A plain string is escaped; pass `mrkdwn`…`` to include a mention. */
export function buildNoticeMessage(text: string | Mrkdwn): SlackMessage {
  return { text: clamp(toMrkdwn(text), 3000), blocks: [section(text)] };
}

export interface FailureAlertData {
  personName: string;
  email: string | null;
  requestId: string;
  /** The step that failed, in words: "create the person in DoorFlow", "offboard"… */
  step: string;
  /** What went wrong, for a person to act on. Tokens in it are masked. */
  error: string;
  /** DoorFlow's request id, when it sent one, so their support can find the call. */
  requestIdDoorFlow?: string;
}

const ERROR_MAX = 1500;

export function buildFailureAlert(data: FailureAlertData): SlackMessage {
  // The error may quote a request DoorFlow or undici saw; never let a bearer token reach a channel.
  const error = clamp(String(redact(data.error)), ERROR_MAX);
  const blocks: KnownBlock[] = [
    header(`Gatehouse could not ${data.step}`),
    fieldsSection([
      ["Person", mrkdwn`${data.personName}`],
      ["Email", data.email ? mrkdwn`${data.email}` : null],
      ["Step", mrkdwn`${data.step}`],
      ["Request", mrkdwn`${data.requestId}`],
      ["DoorFlow request id", data.requestIdDoorFlow ? mrkdwn`${data.requestIdDoorFlow}` : null],
    ]),
    section(mrkdwn`*Error*\n\`\`\`${error}\`\`\``),
    context("Gatehouse keeps retrying what can be retried; this alert is posted once."),
  ];
  return { text: mrkdwn`Gatehouse could not ${data.step} for ${data.personName}: ${error}`.value, blocks };
}
