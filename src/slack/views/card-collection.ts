/** The facilities channel's reminder to collect a card from someone offboarded, with "Card collected". */
import type { KnownBlock } from "@slack/types";
import type { CardCollectionNotice } from "../../domain/ports.js";
import { escapeSlackText } from "../../lib/text.js";
import { ACTION } from "../ids.js";
import type { SlackMessage } from "./text.js";

export function buildCardCollectionMessage(
  notice: CardCollectionNotice,
  collected?: { by: string; at: string },
): SlackMessage {
  const who = escapeSlackText(`${notice.personName}${notice.email ? ` (${notice.email})` : ""}`);
  const cards = notice.cardNumbers.map((c) => `\`${escapeSlackText(c)}\``).join(", ");
  const text = escapeSlackText(
    `Please collect card ${notice.cardNumbers.join(", ")} from ${notice.personName}: their access has ended.`,
  );
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `:id: Please collect card ${cards} from *${who}*: their building access has ended.`,
      },
    },
  ];
  if (collected) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `Collected, confirmed by <@${collected.by}> on ${collected.at}` }],
    });
  } else if (notice.managedPersonId !== null || notice.doorflowPersonId !== null) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ACTION.cardCollected,
          text: { type: "plain_text", text: "Card collected" },
          value: cardHolderValue(notice),
        },
      ],
    });
  }
  return { text, blocks };
}

/**
 * The button's value: the managed person's id (a bare number, as messages posted before carried),
 * or `p:<DoorFlow person id>` for someone Gatehouse does not manage.
 */
function cardHolderValue(notice: Pick<CardCollectionNotice, "managedPersonId" | "doorflowPersonId">): string {
  return notice.managedPersonId !== null ? String(notice.managedPersonId) : `p:${notice.doorflowPersonId}`;
}
