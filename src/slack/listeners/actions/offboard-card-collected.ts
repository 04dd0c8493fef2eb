/**
 * "Card collected" on the facilities channel's reminder (value: the managed person id). Operators
 * confirm it, not anyone in the channel: the confirmation closes the last loose end of an
 * offboarding in the audit trail, so it is held to the same people who may offboard. The first
 * click wins; the message is rebuilt from our record and updated in place.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { recordAudit } from "../../../db/repositories/audit.js";
import { getManagedPerson, markCardCollected } from "../../../db/repositories/managed-people.js";
import type { CardCollectionNotice } from "../../../domain/ports.js";
import { formatLocal } from "../../../lib/time.js";
import { replier } from "../../reply.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { buildCardCollectionMessage } from "../../views/card-collection.js";
import { buildNoticeMessage } from "../../views/notices.js";
import { mention, mrkdwn, type Mrkdwn } from "../../views/text.js";

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
        const actor = body.user.id;
        if (!(await deps.policy.isOperator(actor))) {
          return tell("Only Gatehouse operators can confirm that a card was collected; ask one of them.");
        }
        const id = Number(action.value);
        const person = Number.isSafeInteger(id) ? getManagedPerson(deps.db, id) : undefined;
        if (!person) return tell("Gatehouse has no record of this person any more.");
        const now = deps.now();
        const tz = deps.settings.timeZone;
        if (!markCardCollected(deps.db, id, actor, now)) {
          const by = person.cardCollectedBy ? mrkdwn` by ${mention(person.cardCollectedBy)}` : mrkdwn``;
          const at = person.cardCollectedAt ? ` on ${formatLocal(person.cardCollectedAt, tz)}` : "";
          return tell(mrkdwn`Already confirmed${by}${at}.`);
        }
        const personName = `${person.firstName} ${person.lastName}`;
        recordAudit(deps.db, {
          at: now,
          actor,
          action: "card.collected",
          outcome: "ok",
          requestId: person.requestId,
          doorflowPersonId: person.doorflowPersonId,
          subjectEmail: person.email,
          subjectName: personName,
        });
        const notice: CardCollectionNotice = {
          personName,
          email: person.email,
          cardNumbers: person.credentials.flatMap((c) => (c.cardNumber ? [c.cardNumber] : [])),
          managedPersonId: person.id,
        };
        const message = buildCardCollectionMessage(notice, { by: actor, at: formatLocal(now, tz) });
        if (body.channel?.id && body.message?.ts) {
          await client.chat.update({ channel: body.channel.id, ts: body.message.ts, ...message });
        } else {
          await respond({ replace_original: true, ...message });
        }
      });
    },
  );
}
