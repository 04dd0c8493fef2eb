/**
 * "Reissue pass" on a Buzz-in pass (in the requester's DM, and on App Home for the requester and
 * operators): authorised again on the click, then Buzz-in kills the old code at once and its
 * `passes.permits.issued` brings the new one to the requester's DM.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { reissueBuzzinPass } from "../../../domain/providers/buzzin/pass.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { buildReissueAnswer } from "../../views/reissue-answer.js";

export function registerReissuePass(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION.reissuePass,
    async ({ ack, action, body, respond, client }) => {
      await ack();
      const reply = replier(respond, client, body.user.id);
      await ctx.work.run(async () => {
        const managedPersonId = Number(action.value);
        if (!Number.isSafeInteger(managedPersonId) || managedPersonId <= 0) return;
        const result = await reissueBuzzinPass(ctx.deps, { actor: body.user.id, managedPersonId });
        if (result.status === "reissued") ctx.refreshHome?.([body.user.id, result.requesterId]);
        await reply({
          response_type: "ephemeral",
          replace_original: false,
          ...buildReissueAnswer(result, body.user.id),
        });
      });
    },
  );
}
