/**
 * "Bulk offboarding" submitted: the list is checked before the acknowledgement, so a line that is
 * not an email is shown on the box it is in; then the run goes on after it, reporting to the
 * operator in one message (bulk-progress.ts).
 */
import type { App } from "@slack/bolt";
import { parseBulkEmails } from "../../../domain/offboard-requests.js";
import { mayRunBulkOffboarding } from "../../../domain/use-cases/check-bulk-offboarding.js";
import type { SlackContext } from "../../context.js";
import { BULK_EMAIL_BOXES, bulkEmailsField, CALLBACK } from "../../ids.js";
import { OFFBOARD_REFUSAL } from "../../views/offboard-preview.js";
import { runBulkWithProgress } from "../../bulk-progress.js";

type Values = Record<string, Record<string, { value?: string | null }>>;

/** The boxes' texts in order, and the first problem found, keyed by the box's block id. */
export function readBulkBoxes(values: Values): { text: string; errors: Record<string, string> | null } {
  const boxes = Array.from({ length: BULK_EMAIL_BOXES }, (_, i) => {
    const f = bulkEmailsField(i + 1);
    return { block: f.block, text: values[f.block]?.[f.action]?.value ?? "" };
  });
  for (const box of boxes) {
    if (box.text.trim() === "") continue;
    const parsed = parseBulkEmails(box.text);
    if ("error" in parsed) return { text: "", errors: { [box.block]: parsed.error } };
  }
  const text = boxes.map((b) => b.text).join("\n");
  const all = parseBulkEmails(text);
  const first = boxes[0]?.block ?? "";
  return { text, errors: "error" in all ? { [first]: all.error } : null };
}

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
