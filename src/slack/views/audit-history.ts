/** `/contractor audit <email>`: a person's history, oldest first, within a message's block limit. */
import type { KnownBlock } from "@slack/types";
import type { AuditLine } from "../../domain/audit-export.js";
import { escapeSlackText } from "../../lib/text.js";
import { formatLocal } from "../../lib/time.js";
import { SLACK_LIMITS } from "./limits.js";
import { clamp, type SlackMessage } from "./text.js";

const PER_SECTION = 15;

function actor(a: string): string {
  return /^[UW][A-Z0-9]+$/.test(a) ? `<@${a}>` : a;
}

function describe(line: AuditLine, timeZone: string): string {
  const mark =
    line.outcome === "failed"
      ? ":x:"
      : line.outcome === "info"
        ? ":information_source:"
        : ":white_check_mark:";
  const details = line.details
    ? Object.entries(line.details).filter(([, v]) => v !== undefined && v !== null)
    : [];
  const extra = details.length
    ? ` — ${escapeSlackText(details.map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ")).slice(0, 300)}`
    : "";
  return `${mark} ${formatLocal(line.at, timeZone)} · *${line.action}* by ${actor(line.actor)}${extra}`;
}

export function buildAuditHistory(data: {
  email: string;
  lines: AuditLine[];
  timeZone: string;
}): SlackMessage {
  const title = `Audit trail for ${data.email}`;
  if (data.lines.length === 0) {
    return {
      // The email is whatever followed "audit": escaped in the fallback text too, clamped in the block.
      text: escapeSlackText(`${title}: nothing recorded.`),
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: clamp(
              `Nothing is recorded for *${escapeSlackText(data.email)}*.`,
              SLACK_LIMITS.sectionText,
            ),
          },
        },
      ],
    };
  }
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: title.slice(0, SLACK_LIMITS.header) } },
  ];
  const maxSections = SLACK_LIMITS.messageBlocks - 2;
  const shown = data.lines.slice(-maxSections * PER_SECTION);
  for (let i = 0; i < shown.length; i += PER_SECTION) {
    const text = shown
      .slice(i, i + PER_SECTION)
      .map((l) => describe(l, data.timeZone))
      .join("\n")
      .slice(0, SLACK_LIMITS.sectionText);
    blocks.push({ type: "section", text: { type: "mrkdwn", text } });
  }
  if (shown.length < data.lines.length) {
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `The ${shown.length} most recent of ${data.lines.length} events; \`gatehouse audit export\` has them all.`,
        },
      ],
    });
  }
  return { text: escapeSlackText(`${title}: ${data.lines.length} events`), blocks };
}
