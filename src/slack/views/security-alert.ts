/** An alert in the security channel: what failed, for whom, DoorFlow's words; a Retry button for operators. */
import type { KnownBlock } from "@slack/types";
import type { SecurityAlert } from "../../domain/ports.js";
import { ACTION } from "../ids.js";
import { SLACK_LIMITS } from "./limits.js";
import type { SlackMessage } from "./text.js";

export function buildSecurityAlert(alert: SecurityAlert & { resolved?: string }): SlackMessage {
  const title = alert.resolved ? `Resolved: ${alert.title}` : alert.title;
  const body = alert.lines.join("\n").slice(0, SLACK_LIMITS.sectionText);
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: `${alert.resolved ? "✅" : "🚨"} ${title}`.slice(0, 150) },
    },
    { type: "section", text: { type: "mrkdwn", text: body } },
  ];
  if (alert.resolved) {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: alert.resolved }] });
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
  return { text: title, blocks };
}
