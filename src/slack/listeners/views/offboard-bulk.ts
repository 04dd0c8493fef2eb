/**
 * "Bulk offboarding" submitted: the list is checked before the acknowledgement, so a line that is
 * not an email is shown on the box it is in; then the run goes on after it, reporting to the
 * operator in one message (bulk-progress.ts).
 */
import type { App } from "@slack/bolt";
import { mayRunBulkOffboarding } from "../../../domain/use-cases/check-bulk-offboarding.js";
import { readBulkBoxes } from "../../bulk-boxes.js";
import { runBulkWithProgress } from "../../bulk-progress.js";
import type { SlackContext } from "../../context.js";
import { bulkEmailsField, CALLBACK } from "../../ids.js";
import { OFFBOARD_REFUSAL } from "../../views/offboard-preview.js";

export function registerOffboardBulkSubmission(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.view(CALLBACK.offboardBulk, async ({ ack, body, view, client }) => {
    const { text, errors } = readBulkBoxes(view.state.values);
    if (errors) {
      await ack({ response_action: "errors", errors });
      return;
    }
    if (!(await mayRunBulkOffboarding(deps, { actor: body.user.id }))) {
      await ack({ response_action: "errors", errors: { [bulkEmailsField(1).block]: OFFBOARD_REFUSAL } });
      return;
    }
    await ack();
    await ctx.work.run(() => runBulkWithProgress(deps, client, body.user.id, text));
  });
}
