/** What the clicker of "Card collected" is told when the reminder is not updated (to them alone). */
import type { CardCollectedResult } from "../../domain/card-collection.js";
import { formatLocal } from "../../lib/time.js";
import { buildNoticeMessage } from "./notices.js";
import { mention, type Mrkdwn, mrkdwn, type SlackMessage } from "./text.js";

export function buildCardCollectedRefusal(
  result: Exclude<CardCollectedResult, { status: "collected" }>,
  timeZone: string,
): SlackMessage {
  return buildNoticeMessage(refusalText(result, timeZone));
}

function refusalText(
  result: Exclude<CardCollectedResult, { status: "collected" }>,
  tz: string,
): string | Mrkdwn {
  switch (result.status) {
    case "forbidden":
      return "Only Gatehouse operators can confirm that a card was collected; ask one of them.";
    case "not_found":
      return "Gatehouse has no record of this person any more.";
    case "still_enabled":
      return `${result.personName} is enabled in DoorFlow again: the card stays with them.`;
    case "already_collected": {
      const by = result.by ? mrkdwn` by ${mention(result.by)}` : mrkdwn``;
      const at = result.at ? ` on ${formatLocal(result.at, tz)}` : "";
      return mrkdwn`Already confirmed${by}${at}.`;
    }
  }
}
