/** The Deny modal submitted: a reason is required; the denial is committed before the acknowledgement. */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { decideBeforeAck } from "../../decide-before-ack.js";
import { CALLBACK, FIELD } from "../../ids.js";
import { DENY_REASON_MISSING, decisionRefusal } from "../../views/decision-refusals.js";

export function registerDenyReason(app: App, ctx: SlackContext): void {
  app.view(CALLBACK.denyReason, async ({ ack, body, view, client }) => {
    const reason = view.state.values[FIELD.denyReason.block]?.[FIELD.denyReason.action]?.value?.trim() ?? "";
    if (!reason) {
      await ack({ response_action: "errors", errors: { [FIELD.denyReason.block]: DENY_REASON_MISSING } });
      return;
    }
    const userId = body.user.id;
    const input = { requestId: view.private_metadata, userId, outcome: "deny" as const, reason };
    const decided = await decideBeforeAck(ctx, input);
    await ack();
    await ctx.work.run(async () => {
      const result = await decided.result;
      if (result.status === "denied") ctx.refreshHome?.([userId, result.request.requesterId]);
      else
        await client.chat.postMessage({ channel: userId, text: decisionRefusal(result, ctx.deps.settings) });
    });
  });
}
