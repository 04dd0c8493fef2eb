/** An extension's Deny modal submitted: a reason is required; the clicker hears only of a refusal. */
import type { App } from "@slack/bolt";
import { decideExtension } from "../../../domain/extensions.js";
import type { SlackContext } from "../../context.js";
import { CALLBACK, FIELD } from "../../ids.js";
import { DENY_REASON_MISSING, extensionRefusal } from "../../views/decision-refusals.js";

export function registerExtensionDenyReason(app: App, ctx: SlackContext): void {
  app.view(CALLBACK.extensionDenyReason, async ({ ack, body, view, client }) => {
    const reason = view.state.values[FIELD.denyReason.block]?.[FIELD.denyReason.action]?.value?.trim() ?? "";
    if (!reason) {
      await ack({ response_action: "errors", errors: { [FIELD.denyReason.block]: DENY_REASON_MISSING } });
      return;
    }
    await ack();
    await ctx.work.run(async () => {
      const result = await decideExtension(ctx.deps, {
        extensionId: view.private_metadata,
        actor: body.user.id,
        outcome: "deny",
        reason,
      });
      const text = extensionRefusal(result);
      if (text) await client.chat.postMessage({ channel: body.user.id, text });
    });
  });
}
