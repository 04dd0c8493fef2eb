/** Small messages: plain replies to a user. (Security-channel alerts are built in security-alert.ts.) */
import type { Mrkdwn, SlackMessage } from "./text.js";
import { clamp, section, toMrkdwn } from "./text.js";

/** A one-section reply. A plain string is escaped; pass `mrkdwn`…`` to include a mention. */
export function buildNoticeMessage(text: string | Mrkdwn): SlackMessage {
  return { text: clamp(toMrkdwn(text), 3000), blocks: [section(text)] };
}
