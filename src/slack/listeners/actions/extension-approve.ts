/** Approve on an extension's approval message: authorised again and applied; only a refusal is told. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { decideExtension } from "../../../domain/extensions.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { extensionRefusal } from "../../views/decision-refusals.js";

export function registerExtensionApprove(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.extensionApprove, async ({ ack, action, body, respond }) => {
    await ack();
    await ctx.work.run(async () => {
      const result = await decideExtension(ctx.deps, {
        extensionId: action.value ?? "",
        actor: body.user.id,
        outcome: "approve",
      });
      const text = extensionRefusal(result);
      if (text) await respond({ response_type: "ephemeral", replace_original: false, text });
    });
  });
}
