/**
 * Approve on the approval message and on App Home. The clicker is authorised again; the decision is
 * one database transition, committed before the click is acknowledged (decide-before-ack.ts), so
 * concurrent clicks provision once, the rest are told who decided, and no acknowledged click is lost.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { decideBeforeAck } from "../../decide-before-ack.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { decisionRefusal } from "../../views/decision-refusals.js";

export function registerApprove(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.approve, async ({ ack, action, body, respond, client }) => {
    const userId = body.user.id;
    const decided = await decideBeforeAck(ctx, { requestId: action.value ?? "", userId, outcome: "approve" });
    await ack();
    await ctx.work.run(async () => {
      const result = await decided.result;
      if (result.status === "approved") {
        // Refresh after provisioning too, so the requester's home says "active", not "being set up".
        ctx.refreshHome?.([userId, result.request.requesterId]);
        await ctx.provision(result.request.id);
        ctx.refreshHome?.([userId, result.request.requesterId]);
        return;
      }
      const text = decisionRefusal(result, ctx.deps.settings);
      await replier(respond, client, userId)({ response_type: "ephemeral", replace_original: false, text });
    });
  });
}
