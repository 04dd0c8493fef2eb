/**
 * "Card collected" on the facilities channel's reminder: ack, read whose card, run the use case
 * (operators only; the card goes back to the pool), update the message in place or tell the clicker.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { type CardHolderRef, confirmCardCollected } from "../../../domain/card-collection.js";
import { formatLocal } from "../../../lib/time.js";
import { replier } from "../../reply.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { buildCardCollectionMessage } from "../../views/card-collection.js";
import { buildNoticeMessage } from "../../views/notices.js";
import { mention, mrkdwn, type Mrkdwn } from "../../views/text.js";

/** The button carries a managed person's id, or `p:<DoorFlow person id>` (see cardHolderValue). */
function holderOf(value: string | undefined): CardHolderRef | null {
  const match = /^(p:)?([1-9]\d{0,15})$/.exec(value ?? "");
  if (!match) return null;
  const id = Number(match[2]);
  return match[1] ? { doorflowPersonId: id } : { managedPersonId: id };
}

export function registerCardCollected(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.action<BlockAction<ButtonAction>>(
    ACTION.cardCollected,
    async ({ ack, action, body, client, respond: slackRespond }) => {
      await ack();
      const respond = replier(slackRespond, client, body.user.id);
      await ctx.work.run(async () => {
        const tell = (text: string | Mrkdwn) =>
          respond({ response_type: "ephemeral", replace_original: false, ...buildNoticeMessage(text) });
        const holder = holderOf(action.value);
        const result = holder
          ? await confirmCardCollected(deps, { actor: body.user.id, holder })
          : ({ status: "not_found" } as const);
        const tz = deps.settings.timeZone;
        switch (result.status) {
          case "forbidden":
            return tell("Only Gatehouse operators can confirm that a card was collected; ask one of them.");
          case "not_found":
            return tell("Gatehouse has no record of this person any more.");
          case "still_enabled":
            return tell(`${result.personName} is enabled in DoorFlow again: the card stays with them.`);
          case "already_collected": {
            const by = result.by ? mrkdwn` by ${mention(result.by)}` : mrkdwn``;
            const at = result.at ? ` on ${formatLocal(result.at, tz)}` : "";
            return tell(mrkdwn`Already confirmed${by}${at}.`);
          }
        }
        const message = buildCardCollectionMessage(result.notice, {
          by: body.user.id,
          at: formatLocal(deps.now(), tz),
        });
        if (body.channel?.id && body.message?.ts) {
          await client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...message });
        } else {
          await respond({ replace_original: true, ...message });
        }
      });
    },
  );
}
