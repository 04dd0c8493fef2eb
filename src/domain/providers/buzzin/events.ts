/**
 * What Buzz-in's webhooks mean for Gatehouse. Each delivery reaches this once (the receiver
 * deduplicates it); each handler is also safe to run twice, since a delivery whose handling failed
 * is taken again when Buzz-in re-sends it, and since an event may come before the answer to the
 * call that caused it (events are matched by Salesforce id where the Buzz-in id is not known yet).
 */
import { expiringReminderKind } from "../../../buzzin/assumptions.js";
import type { BuzzinEvent, PermitRef } from "../../../buzzin/events.js";
import type { PermitStatus } from "../../../buzzin/schemas.js";
import { inTransaction } from "../../../db/database.js";
import {
  getAccessRequest,
  recordProvisioningProgress,
  transitionAccessRequest,
} from "../../../db/repositories/access-requests.js";
import { type AccessRequest, personName } from "../../model.js";
import {
  contractorIdFree,
  findBuzzinByContractor,
  findBuzzinByPermit,
  getBuzzinPermit,
  updateBuzzinPermit,
} from "../../../db/repositories/buzzin-permits.js";
import { type BuzzinPermit } from "../../model.js";
import { getManagedPerson, markOffboarded } from "../../../db/repositories/managed-people.js";
import { findStartedOffboardingForRequest } from "../../../db/repositories/offboardings.js";
import type { BuzzinStage } from "../../model.js";
import { daysBetween, localDateOf } from "../../../lib/time.js";
import { auditRequest } from "../../audit.js";
import { deliverPass } from "./pass.js";
import { tell } from "./shared.js";
import type { Deps } from "../../deps.js";
import { alertOnce } from "../../security-alerts.js";
import { remindOnce } from "../../reminders.js";
import { PROVISIONING_GIVE_UP_MS } from "../../requests.js";

export type BuzzinEventOutcome = "handled" | "not_ours" | "stale";

/** Stages after which Buzz-in's people can no longer give access back. */
const ENDED: readonly BuzzinStage[] = ["revoked", "removed", "expired"];
const LIVE: BuzzinStage[] = ["contractor", "awaiting_community", "permit", "awaiting_pass", "active"];

export async function handleBuzzinEvent(
  deps: Deps,
  event: BuzzinEvent,
  /** Carries an approved request on (the provider port's `provision`, tracked by the caller). */
  provision: (requestId: string) => Promise<void>,
): Promise<BuzzinEventOutcome> {
  switch (event.event) {
    case "communityContractors.approved": {
      const link = findBuzzinByContractor(deps.db, event);
      if (!link) return "not_ours";
      if (contractorApproved(deps, link, event.contractorId)) await provision(link.requestId);
      return "handled";
    }
    case "communityContractors.removed": {
      const link = findBuzzinByContractor(deps.db, event);
      if (!link) return "not_ours";
      await ended(deps, link, "removed", "buzzin.contractor_removed", {
        contractorId: event.contractorId ?? null,
      });
      return "handled";
    }
    case "passes.permits.issued": {
      const link = findBuzzinByPermit(deps.db, event);
      if (!link) return "not_ours";
      const result = await deliverPass(deps, link, {
        ...(event.permitId ? { permitId: event.permitId } : {}),
        accessCode: event.accessCode,
        ...(event.qrImageUrl ? { qrImageUrl: event.qrImageUrl } : {}),
        ...(event.passNumber ? { passNumber: event.passNumber } : {}),
        ...(event.validTill ? { validTill: event.validTill } : {}),
        issuedAt: event.createdAt,
      });
      return result === "not_ours" ? "not_ours" : result === "stale" ? "stale" : "handled";
    }
    case "passes.permits.expiring": {
      const link = permitOf(deps, event);
      if (!link) return "not_ours";
      audit(deps, link, "buzzin.pass_expiring", { validTill: event.validTill?.toISOString() ?? null });
      const person =
        link.managedPersonId === null ? undefined : getManagedPerson(deps.db, link.managedPersonId);
      if (person?.status === "active") {
        const today = localDateOf(deps.now(), deps.settings.buzzinTimeZone);
        const daysLeft = daysBetween(today, person.endDate);
        await remindOnce(deps, person, expiringReminderKind(daysLeft), Math.max(daysLeft, 0));
      }
      return "handled";
    }
    case "passes.permits.expired": {
      const link = permitOf(deps, event);
      if (!link) return "not_ours";
      await ended(deps, link, "expired", "buzzin.pass_expired", {
        validTill: event.validTill?.toISOString() ?? null,
      });
      return "handled";
    }
    case "passes.permits.updated":
      return permitUpdated(deps, event);
    case "passes.permits.scanned":
    case "passes.permits.firstScanned":
    case "passes.permits.lastScanned": {
      const link = permitOf(deps, event);
      if (!link) return "not_ours";
      audit(deps, link, `buzzin.pass_${event.event.slice("passes.permits.".length)}`, {
        scannedAt: event.scannedAt?.toISOString() ?? null,
        gate: event.gate ?? null,
        direction: event.direction ?? null,
      });
      return "handled";
    }
  }
}

/**
 * A new window (an extension) is audited; a status that gives no access again (the contractor was
 * revoked and the permit archived, or Buzz-in revoked it) ends the contract as Buzz-in's own doing.
 */
async function permitUpdated(
  deps: Deps,
  event: PermitRef & { status: PermitStatus; validFrom?: Date; validTill?: Date },
): Promise<BuzzinEventOutcome> {
  const link = permitOf(deps, event);
  if (!link) return "not_ours";
  const details = {
    status: event.status.name,
    validFrom: event.validFrom?.toISOString() ?? null,
    validTill: event.validTill?.toISOString() ?? null,
  };
  if (event.status.ended) await ended(deps, link, "revoked", "buzzin.pass_ended", details);
  else audit(deps, link, "buzzin.pass_updated", details);
  return "handled";
}

/**
 * The community admin approved the contractor: recorded (the registration's answer may still be
 * on its way), and the request goes back to provisioning once. Returns whether to provision now.
 */
function contractorApproved(deps: Deps, link: BuzzinPermit, contractorId: string | undefined): boolean {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => {
    const current = getBuzzinPermit(tx, link.requestId);
    // A second approval event, or a re-sent one: nothing to do.
    if (!current || current.contractorApprovedAt !== null || !LIVE.includes(current.stage)) return false;
    // Matched by the Salesforce id (the registration's answer was lost, or is still on its way).
    const learned =
      current.contractorId === null &&
      current.stage !== "contractor" &&
      contractorId &&
      contractorIdFree(tx, contractorId)
        ? { contractorId }
        : {};
    updateBuzzinPermit(tx, link.requestId, { contractorApprovedAt: now, ...learned }, now);
    const request = getAccessRequest(tx, link.requestId);
    if (request) auditRequest(tx, request, { actor: "buzzin", action: "buzzin.contractor_approved" }, now);
    if (current.stage !== "awaiting_community") return false;
    updateBuzzinPermit(tx, link.requestId, { stage: "permit" }, now, ["awaiting_community"]);
    // A run that registered the contractor may still be finishing (state `provisioning`): it then
    // leaves the request as it is, and this provisioning, or the housekeeping retry, goes on.
    transitionAccessRequest(tx, link.requestId, ["awaiting_provider"], "approved", now);
    // The community may approve days later: transient failures from here get their own 24 hours.
    recordProvisioningProgress(
      tx,
      link.requestId,
      { nextAttemptAt: now, giveUpAt: new Date(now.getTime() + PROVISIONING_GIVE_UP_MS) },
      now,
    );
    const after = getAccessRequest(tx, link.requestId);
    return after !== undefined && ["approved", "provisioning"].includes(after.state);
  });
}

/** Buzz-in ended the access itself (the contractor removed, the pass expired or revoked): marked and audited. */
async function ended(
  deps: Deps,
  link: BuzzinPermit,
  stage: BuzzinStage,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  // Already over, or the echo of Gatehouse's own offboarding (revoking the contractor makes Buzz-in
  // archive the permit and say so): recorded, and the offboarding itself finishes the contract.
  if (ENDED.includes(link.stage) || findStartedOffboardingForRequest(deps.db, link.requestId)) {
    audit(deps, link, action, details);
    return;
  }
  const now = deps.now();
  const request = inTransaction(deps.db, (tx) => {
    const moved = updateBuzzinPermit(tx, link.requestId, { stage }, now, LIVE);
    if (!moved) return undefined;
    if (link.managedPersonId !== null) markOffboarded(tx, link.managedPersonId, now);
    transitionAccessRequest(
      tx,
      link.requestId,
      ["approved", "provisioning", "awaiting_provider", "active"],
      "ended",
      now,
    );
    const row = getAccessRequest(tx, link.requestId);
    if (row) auditRequest(tx, row, { actor: "buzzin", action, details }, now);
    return row;
  });
  if (!request) return;
  const text =
    stage === "removed"
      ? `Buzz-in removed ${personName(request)} from the community: their pass no longer works.`
      : stage === "expired"
        ? `The Buzz-in pass of ${personName(request)} has expired.`
        : `Buzz-in ended the work permit of ${personName(request)} (${typeof details.status === "string" ? details.status.toLowerCase() : "revoked"}): their pass no longer works.`;
  await tell(deps, request.requesterId, text);
}

/**
 * The request a permit event is about. One matched by its Salesforce id (a permit whose create
 * answer was lost) also tells Gatehouse the permit's id, so it can be read back from then on.
 */
function permitOf(deps: Deps, ref: PermitRef): BuzzinPermit | undefined {
  const link = findBuzzinByPermit(deps.db, ref);
  if (!link || link.permitId !== null || !ref.permitId) return link;
  return updateBuzzinPermit(deps.db, link.requestId, { permitId: ref.permitId }, deps.now()) ?? link;
}

function audit(deps: Deps, link: BuzzinPermit, action: string, details: Record<string, unknown>): void {
  const request: AccessRequest | undefined = getAccessRequest(deps.db, link.requestId);
  if (request) auditRequest(deps.db, request, { actor: "buzzin", action, details }, deps.now());
}

/**
 * A delivery with the right token that Gatehouse could not use: the security channel is told once
 * per kind of problem (the event and what was wrong), so a payload that changed shape does not
 * flood it; every delivery stays recorded with its problem.
 */
export async function reportUnusableDelivery(
  deps: Deps,
  delivery: { deliveryId: string; event: string; problem: string },
): Promise<void> {
  const kind = delivery.problem.replace(/\(fields present:.*\)$/, "").trim();
  const key = `buzzin-webhook:${delivery.event}:${kind}`.slice(0, 300);
  const summary = `Buzz-in sent a \`${delivery.event}\` webhook Gatehouse could not use: ${delivery.problem}. It was recorded (delivery ${delivery.deliveryId}) and acknowledged; later deliveries with the same problem are recorded without another notice. Buzz-in's payload may differ from what Gatehouse expects (src/buzzin/events.ts).`;
  alertOnce(deps, {
    key,
    kind: "buzzin",
    summary,
    title: `Buzz-in webhook not usable: ${delivery.event}`,
    lines: [{ text: summary }],
  });
}
