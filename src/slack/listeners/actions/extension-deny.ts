/** Deny on an extension's approval message: authorised before asking for a reason, so a stranger or a stale button never opens the modal. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { prepareExtensionDenial } from "../../../domain/use-cases/prepare-extension-denial.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { extensionRefusal } from "../../views/decision-refusals.js";
import { buildExtensionDenyReasonModal } from "../../views/deny-reason-modal.js";

export function registerExtensionDeny(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION.extensionDeny,
    async ({ ack, action, body, client, respond }) => {
      await ack();
      await ctx.work.run(async () => {
        const prepared = await prepareExtensionDenial(ctx.deps, {
          extensionId: action.value ?? "",
          actor: body.user.id,
        });
        if (prepared.status === "open") {
          await client.views.open({
            trigger_id: body.trigger_id,
            view: buildExtensionDenyReasonModal(prepared),
          });
          return;
        }
        const text = extensionRefusal(prepared);
        if (text) await respond({ response_type: "ephemeral", replace_original: false, text });
      });
    },
  );
}
