/**
 * "Card collected" on the facilities channel's reminder: ack, read whose card, run the use case
 * (operators only; the card goes back to the pool), update the message in place or tell the clicker.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { type CardHolderRef, confirmCardCollected } from "../../../domain/card-collection.js";
import { formatLocal } from "../../../lib/time.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { buildCardCollectedRefusal } from "../../views/card-collected-answer.js";
import { buildCardCollectionMessage } from "../../views/card-collection.js";

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
    async ({ ack, action, body, client, respond }) => {
      await ack();
      const reply = replier(respond, client, body.user.id);
      await ctx.work.run(async () => {
        const holder = holderOf(action.value);
        const result = holder
          ? await confirmCardCollected(deps, { actor: body.user.id, holder })
          : ({ status: "not_found" } as const);
        const tz = deps.settings.timeZone;
        if (result.status !== "collected") {
          const answer = buildCardCollectedRefusal(result, tz);
          return reply({ response_type: "ephemeral", replace_original: false, ...answer });
        }
        const message = buildCardCollectionMessage(result.notice, {
          by: body.user.id,
          at: formatLocal(deps.now(), tz),
        });
        if (body.channel?.id && body.message?.ts) {
          await client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...message });
        } else {
          await reply({ replace_original: true, ...message });
        }
      });
    },
  );
}
