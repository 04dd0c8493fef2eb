/**
 * "Reissue pass" on a Buzz-in pass (in the requester's DM, and on App Home for the requester and
 * operators): authorised again on the click, then Buzz-in kills the old code at once and its
 * `passes.permits.issued` brings the new one to the requester's DM. The clicker is told in a
 * message only they see (or their DM, from App Home); the code itself never goes there.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { reissueBuzzinPass } from "../../../domain/buzzin-pass.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { buildNoticeMessage } from "../../views/notices.js";
import { mention, mrkdwn } from "../../views/text.js";

export function registerReissuePass(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.action<BlockAction<ButtonAction>>(
    ACTION.reissuePass,
    async ({ ack, action, body, respond, client }) => {
      await ack();
      const reply = replier(respond, client, body.user.id);
      const notice = (text: Parameters<typeof buildNoticeMessage>[0]) =>
        reply({ response_type: "ephemeral", replace_original: false, ...buildNoticeMessage(text) });
      await ctx.work.run(async () => {
        const managedPersonId = Number(action.value);
        if (!Number.isSafeInteger(managedPersonId) || managedPersonId <= 0) return;
        const result = await reissueBuzzinPass(deps, { actor: body.user.id, managedPersonId });
        switch (result.status) {
          case "forbidden":
            return notice(
              "Only the person who asked for this contractor, or an operator, can reissue their pass.",
            );
          case "not_found":
            return notice(
              "This Buzz-in contractor is not managed by Gatehouse any more: nothing was changed.",
            );
          case "not_active":
            return notice(result.message);
          case "failed":
            return notice(
              mrkdwn`Buzz-in did not reissue the pass: ${result.error} The old code still works; try again in a few minutes.`,
            );
          case "reissued":
            ctx.refreshHome?.([body.user.id, result.requesterId]);
            return notice(
              result.requesterId === body.user.id
                ? mrkdwn`The old code for ${result.personName} no longer works. Buzz-in is issuing a new one; it comes to this DM.`
                : mrkdwn`The old code for ${result.personName} no longer works. Buzz-in is issuing a new one; it goes to ${mention(result.requesterId)}'s DM only.`,
            );
        }
      });
    },
  );
}
