/** "Extend" on a contract's end-date reminder: opens "Extend contract" with that contractor chosen. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { openExtensionModal } from "../../open-extension-modal.js";

export function registerExtend(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.extend, async ({ ack, action, body, client }) => {
    await ack();
    await ctx.work.run(() =>
      openExtensionModal(ctx.deps, client, {
        triggerId: body.trigger_id,
        userId: body.user.id,
        managedPersonId: Number(action.value),
      }),
    );
  });
}
