/** "Show PIN" in the requester's direct message: read back from DoorFlow, shown to the requester alone. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { personName } from "../../../domain/audit.js";
import { readPin } from "../../../domain/provisioning.js";
import { getAccessRequest } from "../../../db/repositories/access-requests.js";
import { recordAudit } from "../../../db/repositories/audit.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { buildPinView } from "../../views/access-details.js";

export function registerShowPin(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.action<BlockAction<ButtonAction>>(ACTION.showPin, async ({ ack, action, body, client, respond }) => {
    await ack();
    await ctx.work.run(async () => {
      const request = getAccessRequest(deps.db, action.value ?? "");
      if (
        !request ||
        request.requesterId !== body.user.id ||
        request.doorflowPersonId === null ||
        request.state !== "active"
      ) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: "Only the requester can see this PIN, while the access is active.",
        });
        return;
      }
      const pin = await readPin(deps, request.doorflowPersonId);
      recordAudit(deps.db, {
        at: deps.now(),
        actor: body.user.id,
        action: "pin.shown",
        requestId: request.id,
        doorflowPersonId: request.doorflowPersonId,
        subjectEmail: request.email,
        subjectName: personName(request),
        outcome: pin ? "ok" : "failed",
      });
      if (!pin) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: "DoorFlow has no PIN for this person any more.",
        });
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildPinView({ personName: personName(request), pin }),
      });
    });
  });
}
