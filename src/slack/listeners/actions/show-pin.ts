/** "Show PIN" in the requester's direct message: read back from DoorFlow, shown to the requester alone. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { revealPin } from "../../../domain/use-cases/reveal-pin.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { buildPinView } from "../../views/access-details.js";
import { buildPinRefusal } from "../../views/pin-refusal.js";
import { personName } from "../../../domain/model.js";

export function registerShowPin(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.showPin, async ({ ack, action, body, client, respond }) => {
    await ack();
    await ctx.work.run(async () => {
      const result = await revealPin(ctx.deps, { requestId: action.value ?? "", userId: body.user.id });
      if (result.status !== "pin") {
        await respond({ response_type: "ephemeral", replace_original: false, text: buildPinRefusal(result) });
        return;
      }
      const view = buildPinView({ personName: personName(result.request), pin: result.pin });
      await client.views.open({ trigger_id: body.trigger_id, view });
    });
  });
}
