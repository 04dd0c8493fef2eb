/**
 * What Buzz-in's webhooks mean for Gatehouse. Each delivery reaches this once (the receiver
 * deduplicates on `X-Buzzin-Delivery`); each handler is also safe to run twice, since a delivery
 * whose handling failed is taken again when Buzz-in re-sends it.
 */
import { inTransaction } from "../db/database.js";
import {
  type AccessRequest,
  getAccessRequest,
  recordProvisioningProgress,
  transitionAccessRequest,
} from "../db/repositories/access-requests.js";
import {
  type BuzzinPermitRow,
  findBuzzinByContractor,
  findBuzzinByPermit,
  updateBuzzinPermit,
} from "../db/repositories/buzzin-permits.js";
import { getManagedPerson, markOffboarded } from "../db/repositories/managed-people.js";
import type { BuzzinStage } from "../db/schema.js";
import type { BuzzinEvent } from "../buzzin/events.js";
import { daysBetween, localDateOf } from "../lib/time.js";
import { auditRequest, personName } from "./audit.js";
import { passIssued } from "./buzzin-provider.js";
import type { Deps } from "./deps.js";
import { describeFailure } from "./failures.js";
import { remindOnce } from "./reminders.js";
import { PROVISIONING_GIVE_UP_MS } from "./requests.js";

export type BuzzinEventOutcome = "handled" | "not_ours";

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
      const link = findBuzzinByContractor(deps.db, event.data.contractorId);
      if (!link) return "not_ours";
      if (contractorApproved(deps, link)) await provision(link.requestId);
      return "handled";
    }
    case "communityContractors.removed": {
      const link = findBuzzinByContractor(deps.db, event.data.contractorId);
      if (!link) return "not_ours";
      await ended(deps, link, "removed", "buzzin.contractor_removed", {
        contractorId: event.data.contractorId,
      });
      return "handled";
    }
    case "passes.permits.issued": {
      const link = findBuzzinByPermit(deps.db, event.data.permitId);
      if (!link) return "not_ours";
      const { accessCode, qrCodeUrl, validFrom, validTo, passId } = event.data;
      const result = await passIssued(deps, link, {
        _id: event.data.permitId,
        pass: { _id: passId, accessCode, qrCodeUrl, validFrom, validTo },
      });
      return result === "not_ours" ? "not_ours" : "handled";
    }
    case "passes.permits.expiring": {
      const link = findBuzzinByPermit(deps.db, event.data.permitId);
      if (!link) return "not_ours";
      const person =
        link.managedPersonId === null ? undefined : getManagedPerson(deps.db, link.managedPersonId);
      audit(deps, link, "buzzin.pass_expiring", { validTo: event.data.validTo });
      if (person?.status === "active") {
        const daysLeft = daysBetween(localDateOf(deps.now(), deps.settings.timeZone), person.endDate);
        // Counted as the reminder of its kind, so the daily run does not send the same one again.
        await remindOnce(deps, person, daysLeft <= 1 ? "1d" : "7d", Math.max(daysLeft, 0));
      }
      return "handled";
    }
    case "passes.permits.expired": {
      const link = findBuzzinByPermit(deps.db, event.data.permitId);
      if (!link) return "not_ours";
      await ended(deps, link, "expired", "buzzin.pass_expired", { validTo: event.data.validTo });
      return "handled";
    }
    case "passes.permits.updated": {
      const link = findBuzzinByPermit(deps.db, event.data.permitId);
      if (!link) return "not_ours";
      audit(deps, link, "buzzin.pass_updated", {
        validFrom: event.data.validFrom,
        validTo: event.data.validTo,
      });
      return "handled";
    }
    case "passes.permits.scanned":
    case "passes.permits.firstScanned":
    case "passes.permits.lastScanned": {
      const link = findBuzzinByPermit(deps.db, event.data.permitId);
      if (!link) return "not_ours";
      audit(deps, link, `buzzin.pass_${event.event.slice("passes.permits.".length)}`, {
        scannedAt: event.data.scannedAt,
        gate: event.data.gate ?? null,
      });
      return "handled";
    }
  }
}

/** The community admin approved the contractor: the request goes back to provisioning, once. */
function contractorApproved(deps: Deps, link: BuzzinPermitRow): boolean {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => {
    const moved = updateBuzzinPermit(tx, link.requestId, { stage: "permit" }, now, ["awaiting_community"]);
    // Already past this stage (a second approval event, or a re-sent one): nothing to do.
    if (!moved) return false;
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
    const request = getAccessRequest(tx, link.requestId);
    if (request) auditRequest(tx, request, { actor: "buzzin", action: "buzzin.contractor_approved" }, now);
    return request !== undefined && ["approved", "provisioning"].includes(request.state);
  });
}

/** Buzz-in ended the access itself (the contractor removed, or the pass expired): marked and audited. */
async function ended(
  deps: Deps,
  link: BuzzinPermitRow,
  stage: BuzzinStage,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  if (ENDED.includes(link.stage)) {
    audit(deps, link, action, details);
    return;
  }
  const now = deps.now();
  const request = inTransaction(deps.db, (tx) => {
    updateBuzzinPermit(tx, link.requestId, { stage }, now, LIVE);
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
      : `The Buzz-in pass of ${personName(request)} has expired.`;
  await deps.messenger
    .notifyUser(request.requesterId, text)
    .catch((error: unknown) =>
      deps.logger.warn("could not tell the requester", { error: describeFailure(error) }),
    );
}

function audit(deps: Deps, link: BuzzinPermitRow, action: string, details: Record<string, unknown>): void {
  const request: AccessRequest | undefined = getAccessRequest(deps.db, link.requestId);
  if (request) auditRequest(deps.db, request, { actor: "buzzin", action, details }, deps.now());
}
