/** One App Home row per leaver Gatehouse heard of: who, from where, and where it stands. */
import type { SectionBlock } from "@slack/types";
import type { HomeLeaver } from "../../domain/home.js";
import { formatLocal, formatLocalDate } from "../../lib/time.js";
import { clamp, mrkdwn } from "./text.js";

const SOURCE = { hr: "HR", scim: "SCIM", slack: "Slack" } as const;

const STATE: Record<HomeLeaver["state"], string> = {
  received: "⏳ being handled",
  offboarded: "✅ offboarded",
  scheduled: "🗓 scheduled",
  cancelled: "↩️ cancelled by HR",
  not_found: "❔ not found in DoorFlow",
  several: "⚠️ several DoorFlow people: operators choose",
  alerted: "⚠️ still has access: operators decide",
  failed: "❌ offboarding failed: retried",
  ignored: "· nothing to do",
};

const DETAIL_MAX = 300;

export function leaverBlock(l: HomeLeaver, timeZone: string): SectionBlock {
  const who = l.name ? `${l.name} (${l.email ?? "no email"})` : (l.email ?? "unknown");
  const day = l.lastDay ? `, last day ${formatLocalDate(l.lastDay)}` : "";
  const detail = l.detail ? `\n${clamp(l.detail, DETAIL_MAX)}` : "";
  return {
    type: "section",
    text: {
      type: "mrkdwn",
      text: mrkdwn`*${STATE[l.state]}*  ${who}${day}\n${SOURCE[l.source]}, ${formatLocal(l.receivedAt, timeZone)}${detail}`
        .value,
    },
  };
}
