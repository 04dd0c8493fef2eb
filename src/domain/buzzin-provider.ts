/**
 * Buzz-in work permits behind the access-provider port. A Buzz-in contractor request goes:
 *
 *   approved → register the community contractor → (community admin approves in Buzz-in:
 *   `communityContractors.approved`) → create and submit the permit → (Buzz-in accepts it and
 *   issues the pass: `passes.permits.issued`) → the access code and QR to the requester → active.
 *
 * Each stage is recorded in `buzzin_permits` before the next call, so a restart resumes where it
 * stopped; the two waits are the request's `awaiting_provider` state, ended by the webhook (see
 * buzzin-events.ts) or by reconciliation reading the permit back. The access code, like a PIN, is
 * never stored or logged: it goes to the requester's direct message only.
 *
 * Offboarding revokes the contractor (which revokes their passes and stops any permit going
 * further) and verifies by reading the permit back; extension moves the permit's dates.
 */
import { inTransaction } from "../db/database.js";
import {
  type AccessRequest,
  claimProvisioning,
  getAccessRequest,
  recordProvisioningProgress,
  releaseProvisioningLease,
  transitionAccessRequest,
} from "../db/repositories/access-requests.js";
import {
  type BuzzinPermitRow,
  findBuzzinByManagedPerson,
  getBuzzinPermit,
  updateBuzzinPermit,
} from "../db/repositories/buzzin-permits.js";
import {
  insertManagedPerson,
  type ManagedPerson,
  managedFromRequest,
  markOffboarded,
} from "../db/repositories/managed-people.js";
import {
  attachPersonToOffboarding,
  findStartedOffboardingForRequest,
  type Offboarding,
} from "../db/repositories/offboardings.js";
import { recordAudit } from "../db/repositories/audit.js";
import type { BuzzinClient } from "../buzzin/client.js";
import type { BuzzinPermit } from "../buzzin/schemas.js";
import type { LocalDate } from "../lib/time.js";
import { auditRequest, personName } from "./audit.js";
import type { Deps } from "./deps.js";
import { describeFailure, ProvisioningRefused } from "./failures.js";
import { offboardingActor } from "./offboarding-actor.js";
import type { AccessProvider, ProviderOffboarding } from "./providers.js";
import { handleProvisioningFailure, resolveProvisioningAlert } from "./provisioning-failure.js";
import type { ProvisionResult } from "./provisioning.js";

const LEASE_MS = 2 * 60_000;

export function createBuzzinProvider(deps: Deps): AccessProvider {
  return {
    id: "buzzin",
    provision: (requestId) => provisionInBuzzin(deps, requestId),
    extend: (person, newEndDate) => extendInBuzzin(deps, person, newEndDate),
    offboard: (claimed) => Promise.all(claimed.map((o) => offboardInBuzzin(deps, o))),
  };
}

export function buzzinClientOf(deps: Pick<Deps, "buzzin">): BuzzinClient {
  if (!deps.buzzin)
    throw new ProvisioningRefused(
      "Buzz-in is not configured here: set BUZZIN_API_KEY (and BUZZIN_WEBHOOK_TOKEN for its webhooks).",
    );
  return deps.buzzin;
}

async function provisionInBuzzin(deps: Deps, requestId: string): Promise<ProvisionResult> {
  const claimed = claimProvisioning(deps.db, requestId, deps.processId, LEASE_MS, deps.now());
  if (!claimed) return { status: "busy" };
  recordProvisioningProgress(deps.db, requestId, { attempts: claimed.attempts + 1 }, deps.now());
  const request: AccessRequest = { ...claimed, attempts: claimed.attempts + 1 };
  try {
    if (findStartedOffboardingForRequest(deps.db, requestId))
      throw new ProvisioningRefused(
        `${personName(request)} was offboarded before their Buzz-in permit was issued, so Gatehouse stopped.`,
      );
    const link = getBuzzinPermit(deps.db, requestId);
    if (!link) throw new ProvisioningRefused("This request has none of the details Buzz-in needs.");
    const client = buzzinClientOf(deps);
    switch (link.stage) {
      case "contractor":
        return await registerContractor(deps, client, request, link);
      case "permit":
        return await submitPermit(deps, client, request, link);
      case "awaiting_community":
      case "awaiting_pass":
        return { status: "waiting", request: wait(deps, request) };
      case "active":
        return { status: "active", request };
      default:
        throw new ProvisioningRefused(`Buzz-in reports this contractor as ${link.stage}.`);
    }
  } catch (error) {
    return await handleProvisioningFailure(deps, request, error);
  } finally {
    releaseProvisioningLease(deps.db, requestId, deps.processId, deps.now());
  }
}

/**
 * Provisioning stops here until Buzz-in's own people act; the webhook moves the request on. Only
 * while the stage is still a wait: a webhook that came in meanwhile has moved it on, and then the
 * request stays where that left it (a run, or the housekeeping retry, carries it on).
 */
function wait(deps: Deps, request: AccessRequest): AccessRequest {
  return inTransaction(deps.db, (tx) => {
    const stage = getBuzzinPermit(tx, request.id)?.stage;
    if (stage === "awaiting_community" || stage === "awaiting_pass")
      recordProvisioningProgress(
        tx,
        request.id,
        { state: "awaiting_provider", nextAttemptAt: null, lastError: null },
        deps.now(),
      );
    return getAccessRequest(tx, request.id) ?? request;
  });
}

/**
 * Not sent again after a lost answer (Buzz-in has no idempotency key and no contractor search):
 * a second POST would meet the first one's email and fail with a 409 that says so.
 */
async function registerContractor(
  deps: Deps,
  client: BuzzinClient,
  request: AccessRequest,
  link: BuzzinPermitRow,
): Promise<ProvisionResult> {
  const contractor = await client.createContractor({
    name: personName(request),
    email: request.email ?? "",
    phone: link.phone,
    company: {
      companyName: request.company,
      tradeLicense: { type: "url", url: link.tradeLicenseUrl },
      tradeLicenseExpiryDate: link.tradeLicenseExpiry,
    },
    salesforceId: link.salesforceId,
  });
  const now = deps.now();
  const next = contractor.approved ? "permit" : "awaiting_community";
  inTransaction(deps.db, (tx) => {
    updateBuzzinPermit(tx, request.id, { contractorId: contractor._id, stage: next }, now, ["contractor"]);
    auditRequest(
      tx,
      request,
      {
        actor: "system",
        action: "buzzin.contractor_registered",
        details: { contractorId: contractor._id, approved: contractor.approved },
      },
      now,
    );
  });
  const updated = getBuzzinPermit(deps.db, request.id) ?? link;
  if (next === "permit") return submitPermit(deps, client, request, updated);
  await tell(
    deps,
    request.requesterId,
    `${personName(request)} is registered with Buzz-in and waits for the community admin's approval there. Gatehouse goes on by itself once it arrives, and sends you the access code when Buzz-in issues the pass.`,
  );
  return { status: "waiting", request: wait(deps, request) };
}

/** Creates the draft permit (once: its id is recorded before submitting) and submits it. */
async function submitPermit(
  deps: Deps,
  client: BuzzinClient,
  request: AccessRequest,
  link: BuzzinPermitRow,
): Promise<ProvisionResult> {
  if (!link.contractorId) throw new ProvisioningRefused("The Buzz-in contractor id was not recorded.");
  let permitId = link.permitId;
  if (!permitId) {
    const draft = await client.createPermit({
      kind: link.permitType,
      contractorId: link.contractorId,
      property: link.property,
      unit: link.unit,
      startDate: request.startDate,
      endDate: request.endDate,
      salesforce: { propertyId: link.propertySalesforceId, unitId: link.unitSalesforceId },
    });
    permitId = draft._id;
    const now = deps.now();
    inTransaction(deps.db, (tx) => {
      updateBuzzinPermit(tx, request.id, { permitId: draft._id }, now);
      auditRequest(
        tx,
        request,
        { actor: "system", action: "buzzin.permit_created", details: { permitId, type: link.permitType } },
        now,
      );
    });
  }
  const submitted = await client.submitPermit(permitId);
  const now = deps.now();
  inTransaction(deps.db, (tx) => {
    updateBuzzinPermit(tx, request.id, { stage: "awaiting_pass" }, now, ["permit"]);
    auditRequest(
      tx,
      request,
      { actor: "system", action: "buzzin.permit_submitted", details: { permitId, status: submitted.status } },
      now,
    );
  });
  // Buzz-in may accept at once; the pass then comes in this answer as well as by webhook.
  if (submitted.status === "accepted" && submitted.pass?.status === "active") {
    await passIssued(deps, getBuzzinPermit(deps.db, request.id) ?? link, submitted);
    return { status: "active", request: getAccessRequest(deps.db, request.id) ?? request };
  }
  await tell(
    deps,
    request.requesterId,
    `The community approved ${personName(request)}. Their ${link.permitType === "noc" ? "NOC" : "fit-out"} permit for ${link.property}, unit ${link.unit}, is submitted; you get the access code as soon as Buzz-in issues the pass.`,
  );
  return { status: "waiting", request: wait(deps, request) };
}

/**
 * The pass exists: the request becomes active, the contractor managed (App Home, reminders,
 * extension, offboarding), and the requester gets the code. Both the webhook and a read-back may
 * get here; the code goes out once per pass (`pass_notified_id`), and again for a reissued pass.
 */
export async function passIssued(
  deps: Deps,
  link: BuzzinPermitRow,
  permit: Pick<BuzzinPermit, "_id"> & {
    pass: { _id: string; accessCode: string; qrCodeUrl: string; validFrom: string; validTo: string } | null;
  },
): Promise<"sent" | "already_sent" | "not_ours"> {
  const pass = permit.pass;
  const request = getAccessRequest(deps.db, link.requestId);
  if (!pass || !request) return "not_ours";
  const now = deps.now();
  // The pass is claimed for sending in the same transaction that activates the request, so of the
  // submit answer, the webhook and a read-back arriving together exactly one sends the code.
  const claimed = inTransaction(deps.db, (tx) => {
    const current = getBuzzinPermit(tx, link.requestId);
    if (!current || !["permit", "awaiting_pass", "active"].includes(current.stage))
      return "not_ours" as const;
    if (current.passNotifiedId === pass._id) return "already_sent" as const;
    let managedPersonId = current.managedPersonId;
    if (managedPersonId === null) {
      managedPersonId = insertManagedPerson(
        tx,
        { ...managedFromRequest(request), doorflowPersonId: null, provider: "buzzin" },
        now,
      ).id;
      attachPersonToOffboarding(tx, request.id, { doorflowPersonId: null, managedPersonId }, now);
    }
    updateBuzzinPermit(
      tx,
      request.id,
      { stage: "active", passId: pass._id, passNotifiedId: pass._id, managedPersonId },
      now,
    );
    recordProvisioningProgress(
      tx,
      request.id,
      { state: "active", step: "done", nextAttemptAt: null, lastError: null },
      now,
    );
    auditRequest(
      tx,
      request,
      {
        actor: "system",
        action: "buzzin.pass_issued",
        details: { permitId: permit._id, passId: pass._id, validFrom: pass.validFrom, validTo: pass.validTo },
      },
      now,
    );
    return { activated: getAccessRequest(tx, request.id) ?? request, previous: current.passNotifiedId };
  });
  if (typeof claimed === "string") return claimed;
  try {
    await deps.messenger.passIssued(claimed.activated, {
      personName: personName(request),
      property: link.property,
      unit: link.unit,
      accessCode: pass.accessCode,
      qrCodeUrl: pass.qrCodeUrl,
      startDate: claimed.activated.startDate,
      endDate: claimed.activated.endDate,
    });
  } catch (error) {
    // Not sent: the claim is given back, so Buzz-in's re-send of the delivery (marked failed by the
    // receiver) or the next read-back sends it.
    updateBuzzinPermit(deps.db, request.id, { passNotifiedId: claimed.previous }, deps.now());
    throw error;
  }
  await resolveProvisioningAlert(deps, claimed.activated);
  return "sent";
}

/** Lost webhooks: permits submitted a while ago are read back, and an issued pass is taken up. */
export async function reconcileBuzzinPermits(deps: Deps, links: BuzzinPermitRow[]): Promise<number> {
  if (!deps.buzzin || links.length === 0) return 0;
  let taken = 0;
  for (const link of links) {
    if (!link.permitId) continue;
    try {
      const permit = await deps.buzzin.getPermit(link.permitId);
      if (permit.status === "accepted" && permit.pass?.status === "active") {
        if ((await passIssued(deps, link, permit)) === "sent") taken++;
      }
    } catch (error) {
      deps.logger.warn("could not read a Buzz-in permit back", {
        requestId: link.requestId,
        error: describeFailure(error),
      });
    }
  }
  return taken;
}

function linkOf(deps: Deps, person: { id: number; requestId: string | null }): BuzzinPermitRow | undefined {
  return (
    (person.requestId ? getBuzzinPermit(deps.db, person.requestId) : undefined) ??
    findBuzzinByManagedPerson(deps.db, person.id)
  );
}

/** Moves the permit's end; an active pass moves with it. Read back, since that is what gates check. */
async function extendInBuzzin(
  deps: Deps,
  person: ManagedPerson,
  newEndDate: LocalDate,
): Promise<{ groupReservationId?: number }> {
  const link = linkOf(deps, person);
  if (!link?.permitId) throw new ProvisioningRefused("This contractor has no Buzz-in permit to extend.");
  const client = buzzinClientOf(deps);
  await client.updatePermitDates(link.permitId, { startDate: person.startDate, endDate: newEndDate });
  const back = await client.getPermit(link.permitId);
  if (back.endDate !== newEndDate)
    throw new Error(
      `Buzz-in still shows permit ${link.permitId} ending on ${back.endDate}, not ${newEndDate}.`,
    );
  return {};
}

/**
 * Revoking the contractor revokes their passes and stops any permit of theirs going further; the
 * permit is then read back, and a pass still active is revoked on its own and read back again.
 */
async function offboardInBuzzin(deps: Deps, o: Offboarding): Promise<ProviderOffboarding> {
  const link = o.requestId
    ? getBuzzinPermit(deps.db, o.requestId)
    : o.managedPersonId !== null
      ? findBuzzinByManagedPerson(deps.db, o.managedPersonId)
      : undefined;
  const details: Record<string, unknown> = {
    provider: "buzzin",
    contractorId: link?.contractorId ?? null,
    permitId: link?.permitId ?? null,
  };
  try {
    if (link?.contractorId) {
      const client = buzzinClientOf(deps);
      await client.revokeContractor(link.contractorId);
      if (link.permitId) {
        let permit = await client.getPermit(link.permitId);
        if (permit.pass?.status === "active") permit = await client.revokePass(link.permitId);
        if (permit.pass?.status === "active")
          throw new Error(
            `Buzz-in still shows the pass of permit ${link.permitId} as active after revoking it.`,
          );
        details.pass = permit.pass?.status ?? "none";
      }
    }
    const now = deps.now();
    inTransaction(deps.db, (tx) => {
      if (link) updateBuzzinPermit(tx, link.requestId, { stage: "revoked" }, now);
      const managedId = o.managedPersonId ?? link?.managedPersonId ?? null;
      if (managedId !== null) markOffboarded(tx, managedId, now);
      if (o.requestId)
        transitionAccessRequest(
          tx,
          o.requestId,
          ["approved", "provisioning", "awaiting_provider", "active"],
          "ended",
          now,
        );
      recordAudit(tx, {
        at: now,
        actor: offboardingActor(o),
        action: "offboard.completed",
        outcome: "ok",
        requestId: o.requestId,
        subjectEmail: o.email,
        subjectName: o.personName,
        details: { ...details, reason: o.reason, verified: true },
      });
    });
    return { offboarding: o, outcome: null };
  } catch (error) {
    const reason = describeFailure(error);
    recordAudit(deps.db, {
      at: deps.now(),
      actor: offboardingActor(o),
      action: "offboard.failed",
      outcome: "failed",
      requestId: o.requestId,
      subjectEmail: o.email,
      subjectName: o.personName,
      details: { ...details, reason: o.reason, error: reason },
    });
    return { offboarding: o, outcome: null, error: reason };
  }
}

async function tell(deps: Deps, userId: string, text: string): Promise<void> {
  await deps.messenger
    .notifyUser(userId, text)
    .catch((error: unknown) =>
      deps.logger.warn("could not tell the requester", { error: describeFailure(error) }),
    );
}
