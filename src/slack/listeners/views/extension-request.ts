/** "Extend contract" submitted: checked before the acknowledgement (errors on the fields), then recorded. */
import type { App } from "@slack/bolt";
import { checkExtension, requestExtension } from "../../../domain/extensions.js";
import type { SlackContext } from "../../context.js";
import { CALLBACK, FIELD } from "../../ids.js";
import { extensionRequestedText } from "../../views/decision-refusals.js";
import { personName } from "../../../domain/model.js";

export function registerExtensionRequest(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.view(CALLBACK.extensionRequest, async ({ ack, body, view }) => {
    const values = view.state.values;
    const selected = values[FIELD.contractor.block]?.[FIELD.contractor.action]?.selected_option?.value;
    const newEndDate = values[FIELD.newEndDate.block]?.[FIELD.newEndDate.action]?.selected_date ?? null;
    const actor = body.user.id;
    const checked = await checkExtension(deps, {
      actor,
      managedPersonId: selected ? Number(selected) : null,
      newEndDate,
    });
    if (checked.status !== "ok") {
      const errors: Record<string, string> = {};
      const e = checked.status === "invalid" ? checked.errors : { contractor: checked.message };
      if (e.contractor) errors[FIELD.contractor.block] = e.contractor;
      if ("newEndDate" in e && e.newEndDate) errors[FIELD.newEndDate.block] = e.newEndDate;
      await ack({ response_action: "errors", errors });
      return;
    }
    await ack();
    await ctx.work.run(async () => {
      const { person } = checked;
      const result = await requestExtension(deps, { actor, person, newEndDate: checked.newEndDate });
      // notifyUser treats names and DoorFlow's error as text, not mrkdwn, and goes through the outbox.
      const text = extensionRequestedText(result, personName(person), checked.newEndDate);
      if (text) await deps.messenger.notifyUser(actor, text);
    });
  });
}
