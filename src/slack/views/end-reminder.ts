/** The requester's reminder that a contract ends soon, with "Extend". */
import type { KnownBlock } from "@slack/types";
import type { EndReminder } from "../../domain/ports.js";
import { escapeSlackText } from "../../lib/text.js";
import { formatLocal, formatLocalDate } from "../../lib/time.js";
import { ACTION } from "../ids.js";
import type { SlackMessage } from "./text.js";

export function buildEndReminder(r: EndReminder): SlackMessage {
  const when = r.daysLeft === 1 ? "tomorrow" : `in ${r.daysLeft} days`;
  const who = escapeSlackText(`${r.personName}${r.company ? ` (${r.company})` : ""}`);
  const at = formatLocal(r.endsAt, r.timeZone);
  const text = `Building access for ${escapeSlackText(r.personName)} ends ${when}, on ${at}.`;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `:hourglass_flowing_sand: Building access for *${who}* ends ${when}, on *${at}* (their last day, ${formatLocalDate(r.endDate)}). If the work runs longer, ask for an extension; otherwise collect their card on the last day.`,
      },
    },
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.extend,
          text: { type: "plain_text", text: "Extend" },
          value: String(r.managedPersonId),
        },
      ],
    },
  ];
  return { text, blocks };
}
