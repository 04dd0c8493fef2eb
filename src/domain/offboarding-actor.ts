/**
 * Who the audit trail names for an offboarding the job carries out. An operator's "Offboard now"
 * or bulk list, and a leaver's offboarding (HR, SCIM, Slack), is whoever asked for it even when the
 * job finishes it after a failure; a contract's end and a scheduled last day are the job's (the
 * operator who scheduled it is on the `offboard.scheduled` event).
 */
import type { Offboarding } from "./model.js";

export function offboardingActor(o: Pick<Offboarding, "reason" | "requestedBy">): string {
  return o.reason === "contract_end" || o.reason === "scheduled" ? "job" : o.requestedBy;
}
