/** Deny on the approval message and on App Home: authorised before asking for a reason, so a stranger never sees the modal. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { prepareDenial } from "../../../domain/use-cases/prepare-denial.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { decisionRefusal } from "../../views/decision-refusals.js";
import { buildDenyReasonModal } from "../../views/deny-reason-modal.js";

export function registerDeny(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.deny, async ({ ack, action, body, respond, client }) => {
    await ack();
    await ctx.work.run(async () => {
      const prepared = await prepareDenial(ctx.deps, { requestId: action.value ?? "", userId: body.user.id });
      if (prepared.status !== "open") {
        const text = decisionRefusal(prepared, ctx.deps.settings);
        const reply = replier(respond, client, body.user.id);
        await reply({ response_type: "ephemeral", replace_original: false, text });
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: buildDenyReasonModal(prepared) });
    });
  });
}
