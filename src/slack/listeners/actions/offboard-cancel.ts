/** "Cancel" on the `/offboard` preview: removes it. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { buildOffboardCancelled } from "../../views/offboard-preview.js";

export function registerOffboardCancel(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.offboardCancel, async ({ ack, body, respond, client }) => {
    await ack();
    const reply = replier(respond, client, body.user.id);
    await ctx.work.run(async () => {
      // An ephemeral message can only be removed through its response URL; if that fails, say so in place.
      await reply({ delete_original: true }).catch(() =>
        reply({ replace_original: true, ...buildOffboardCancelled() }),
      );
    });
  });
}
