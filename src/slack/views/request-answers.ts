/** What a requester is told about a submitted "New contractor" / "New visitor" form (plain text). */
import type { Submitted } from "../../domain/requests.js";
import { personName } from "../../domain/model.js";

/** Shown on the form's first field, when the form cannot be checked. */
export const FORM_PROBLEM = {
  doorflowDown:
    "Gatehouse could not reach DoorFlow to check this form. Nothing was sent: submit it again in a minute.",
  unreadable: "Slack sent a form Gatehouse could not read: open it again.",
} as const;

export function requestSubmittedText(submitted: Submitted): string {
  if (submitted.status === "refused") return `Your request was not recorded: ${submitted.message}`;
  const r = submitted.request;
  const next =
    r.state === "approved"
      ? "Access is being set up now."
      : "It has been sent for approval; you will hear back here.";
  return `Your request for ${personName(r)} (${r.company}) is recorded. ${next}${submitted.note ? `\n${submitted.note}` : ""}`;
}
