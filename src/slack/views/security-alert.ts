/** An alert in the security channel: what failed, for whom, DoorFlow's words; a Retry button for operators. */
import type { KnownBlock } from "@slack/types";
import type { AlertDetail, AlertLine, AlertText, SecurityAlert } from "../../domain/ports.js";
import { redact } from "../../lib/logger.js";
import { escapeSlackText } from "../../lib/text.js";
import { ACTION } from "../ids.js";
import { SLACK_LIMITS } from "./limits.js";
import type { SlackMessage } from "./text.js";

/** Slack allows 25 elements in an actions block; a leaver alert names a handful of candidates at most. */
const MAX_OFFBOARD_BUTTONS = 10;

/**
 * Every alert to the security channel is built here, so this is where DoorFlow's (or undici's, or
 * Slack's) error text is masked: whatever a caller quotes, a bearer or Slack token never reaches
 * the channel.
 */
export function buildSecurityAlert(alert: SecurityAlert & { resolved?: string }): SlackMessage {
  const masked = (text: string) => String(redact(text));
  const title = masked(alert.resolved ? `Resolved: ${alert.title}` : alert.title);
  const body = fitLines(alert.lines.map(renderAlertLine).map(masked), SLACK_LIMITS.sectionText);
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: `${alert.resolved ? "✅" : "🚨"} ${title}`.slice(0, 150) },
    },
    { type: "section", text: { type: "mrkdwn", text: body } },
  ];
  const offboard = alert.resolved ? [] : (alert.offboard ?? []).slice(0, MAX_OFFBOARD_BUTTONS);
  // One block per person: Slack wants an action id unique within its block, and the one listener
  // for "Offboard now" (the /offboard preview's) takes the DoorFlow person id as the value.
  for (const b of offboard) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.offboardNow,
          text: { type: "plain_text", text: b.label.slice(0, 75) },
          value: String(b.personId),
          style: "danger",
        },
      ],
    });
  }
  if (alert.resolved) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: escapeSlackText(alert.resolved) }] });
  } else if (alert.retry) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.retry,
          text: { type: "plain_text", text: "Retry" },
          value: alert.retry.actionValue,
        },
      ],
    });
  }
  // Titles name people as typed; the fallback text is read as mrkdwn, the header is plain text.
  return { text: escapeSlackText(title), blocks };
}

/** `*Label:* text`, the text escaped (unless stored escaped), users as mentions. */
function renderAlertLine(line: AlertLine): string {
  if (typeof line === "string") return line;
  const parts: AlertText[] = Array.isArray(line.text) ? line.text : [line.text];
  const text = parts.map((part) => renderAlertText(part, line)).join("");
  return line.label ? `*${line.label}:* ${text}` : text;
}

function renderAlertText(part: AlertText, line: AlertDetail): string {
  const escape = (text: string) => (line.escaped ? text : escapeSlackText(text));
  if (typeof part === "string") return escape(part);
  if ("user" in part) return `<@${part.user}>`;
  if ("code" in part) return `\`${escape(part.code)}\``;
  return `*${escape(part.strong)}*`;
}

/**
 * Whole lines while they fit, then how many were left out. Cutting the text at the limit instead
 * would drop the last people of a long failure list without a word.
 */
function fitLines(lines: string[], max: number): string {
  const all = lines.join("\n");
  if (all.length <= max) return all;
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const note = `…and ${lines.length - kept.length} more: see the audit trail.`;
    if (used + line.length + 1 + note.length > max) {
      kept.push(note);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept.join("\n").slice(0, max);
}
