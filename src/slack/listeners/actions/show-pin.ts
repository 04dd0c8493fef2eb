/** "Show PIN" in the requester's direct message: read back from DoorFlow, shown to the requester alone. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { personName } from "../../../domain/audit.js";
import { showPin } from "../../../domain/show-pin.js";
import { escapeSlackText } from "../../../lib/text.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { buildPinView } from "../../views/access-details.js";

export function registerShowPin(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.action<BlockAction<ButtonAction>>(ACTION.showPin, async ({ ack, action, body, client, respond }) => {
    await ack();
    await ctx.work.run(async () => {
      const result = await showPin(deps, { requestId: action.value ?? "", userId: body.user.id });
      const say = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
      switch (result.status) {
        case "forbidden":
          return say("Only the requester can see this PIN, while the access is active.");
        case "ended":
          return say(
            `This access has ended (${escapeSlackText(personName(result.request))} was offboarded): there is no PIN to show.`,
          );
        case "no_pin":
          return say("DoorFlow has no PIN for this person any more.");
        case "pin":
          await client.views.open({
            trigger_id: body.trigger_id,
            view: buildPinView({ personName: personName(result.request), pin: result.pin }),
          });
      }
    });
  });
}
