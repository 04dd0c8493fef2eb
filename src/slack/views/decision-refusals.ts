/** What a clicker is told when their Approve or Deny is not taken: plain text, to them alone. */
import type { DomainSettings } from "../../domain/deps.js";
import type { ExtensionDecision } from "../../domain/extensions.js";
import type { DecisionResult } from "../../domain/requests.js";
import { formatLocal, formatLocalDate } from "../../lib/time.js";
import { personName } from "../../domain/model.js";

export const DENY_REASON_MISSING = "Say why, so the requester knows what to change.";

export function decisionRefusal(
  result: DecisionResult,
  settings: Pick<DomainSettings, "timeZone" | "pendingApprovalHours">,
): string {
  switch (result.status) {
    case "forbidden":
      return "Only approvers can approve or deny access requests.";
    case "needs_operator": {
      const p = result.request.existingPerson;
      const who = p ? `${personName(p)}, ${p.enabled ? "enabled" : "disabled"}` : "an existing person";
      return `This request reuses an existing DoorFlow person (${who}): only an operator can approve it.`;
    }
    case "own_request":
      return "You cannot decide on your own request: another approver must.";
    case "not_found":
      return "This request no longer exists.";
    case "expired":
      return `This request expired after ${settings.pendingApprovalHours} hours without a decision; the requester can ask again.`;
    case "already_decided": {
      const r = result.request;
      const when = r.decidedAt ? ` on ${formatLocal(r.decidedAt, settings.timeZone)}` : "";
      const what = r.state === "denied" ? "denied" : r.state === "expired" ? "expired" : "approved";
      return r.decidedBy
        ? `Already ${what} by <@${r.decidedBy}>${when}.`
        : `This request is already ${what}.`;
    }
    default:
      return "Done.";
  }
}

/** An extension's decision, when there is something to tell the clicker (null when it went through). */
export function extensionRefusal(result: ExtensionDecision): string | null {
  switch (result.status) {
    case "forbidden":
      return "Only approvers can approve or deny extensions.";
    case "own_request":
      return "You cannot decide on your own extension: another approver must.";
    case "not_found":
      return "This extension no longer exists.";
    case "already_decided":
      return `This extension is already ${result.extension.state}${result.extension.decidedBy ? ` (by <@${result.extension.decidedBy}>)` : ""}.`;
    case "failed":
      return `Approved, but the extension could not be applied: ${result.error}`;
    default:
      return null;
  }
}

/** What the requester of an extension is told once it is sent, or could not be applied (plain text). */
export function extensionRequestedText(
  result: { status: string; error?: string },
  name: string,
  newEndDate: string,
): string | undefined {
  if (result.status === "requested")
    return `Your extension for ${name} to ${formatLocalDate(newEndDate)} has been sent for approval.`;
  if (result.status === "failed") return `The extension for ${name} could not be applied: ${result.error}`;
  return undefined;
}
