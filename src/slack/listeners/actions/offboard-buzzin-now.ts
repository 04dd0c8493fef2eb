/** "Offboard now" on the `/offboard` preview for a Buzz-in contractor: as for DoorFlow, in Buzz-in. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { offboardBuzzinContractorNow } from "../../../domain/use-cases/offboard-now.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { buildNoticeMessage } from "../../views/notices.js";
import {
  buildBuzzinOffboardOutcome,
  buildOffboardRunning,
  offboardRefusal,
} from "../../views/offboard-preview.js";

export function registerOffboardBuzzinNow(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION.offboardBuzzinNow,
    async ({ ack, action, body, respond, client }) => {
      await ack();
      const reply = replier(respond, client, body.user.id);
      await ctx.work.run(async () => {
        const result = await offboardBuzzinContractorNow(ctx.deps, {
          actor: body.user.id,
          managedPersonId: Number(action.value),
          onStarted: () =>
            reply({ replace_original: true, ...buildOffboardRunning("the Buzz-in contractor") }),
        });
        if (result.status === "forbidden") return reply(offboardRefusal());
        const message =
          result.status === "not_found"
            ? buildNoticeMessage("This Buzz-in contractor is no longer active: nothing was changed.")
            : buildBuzzinOffboardOutcome(
                result.name,
                result.status === "offboarded" ? { ok: true } : { ok: false, error: result.error },
              );
        await reply({ replace_original: true, ...message });
      });
    },
  );
}
