/**
 * "Offboard now" on the `/offboard` preview for a DoorFlow person: authorised again on the click,
 * the preview replaced first by "Offboarding…" so a second click finds no button, then by the
 * verified outcome.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { offboardDoorFlowPersonNow } from "../../../domain/use-cases/offboard-now.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { buildOffboardOutcome } from "../../views/offboard-outcome.js";
import { buildOffboardRunning, offboardRefusal } from "../../views/offboard-preview.js";

export function registerOffboardNow(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.action<BlockAction<ButtonAction>>(
    ACTION.offboardNow,
    async ({ ack, action, body, respond, client }) => {
      await ack();
      const reply = replier(respond, client, body.user.id);
      await ctx.work.run(async () => {
        const actor = body.user.id;
        const personId = Number(action.value);
        const result = await offboardDoorFlowPersonNow(deps, {
          actor,
          personId,
          onStarted: () =>
            reply({ replace_original: true, ...buildOffboardRunning(`DoorFlow person ${personId}`) }),
        });
        if (result.status === "forbidden") return reply(offboardRefusal());
        const { outcome } = result;
        const timeZone = deps.settings.timeZone;
        await reply({
          replace_original: true,
          ...buildOffboardOutcome({ outcome, by: actor, at: deps.now(), timeZone }),
        });
      });
    },
  );
}
