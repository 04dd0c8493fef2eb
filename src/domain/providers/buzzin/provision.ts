/**
 * Buzz-in work permits behind the access-provider port. A Buzz-in contractor request goes:
 *
 *   approved → register the community contractor → (community admin approves in Buzz-in:
 *   `communityContractors.approved`) → create the DRAFT permit and submit it
 *   (`PATCH /passes/{id} {action:"submit"}`) → (Buzz-in accepts it and issues the pass:
 *   `passes.permits.issued`) → the access code to the requester (buzzin-pass.ts) → active.
 *
 * Each stage is recorded in `buzzin_permits` before the next call, so a restart resumes where it
 * stopped; the two waits are the request's `awaiting_provider` state, ended by the webhook (see
 * buzzin-events.ts) or by reconciliation (buzzin-reconcile.ts). The permit's `salesforcePermitId`
 * is recorded before it is created, so a create whose answer was lost is sent again harmlessly
 * (a 409) and never makes a second permit. The access code, like a PIN, is never stored or logged.
 *
 * Offboarding revokes the contractor (Buzz-in archives their permits) and verifies by reading the
 * permit back, revoking its pass if it still works; extension moves the permit's `validTill`.
 */
import type { BuzzinClient } from "../../../buzzin/client.js";
import { BuzzinError } from "../../../buzzin/errors.js";
import { meansNotApprovedYet, salesforcePermitIdFor } from "../../../buzzin/assumptions.js";
import { permitStatus } from "../../../buzzin/schemas.js";
import { inTransaction } from "../../../db/database.js";
import { getAccessRequest, recordProvisioningProgress } from "../../../db/repositories/access-requests.js";
import { type AccessRequest, personName } from "../../model.js";
import {
  contractorIdFree,
  getBuzzinPermit,
  updateBuzzinPermit,
} from "../../../db/repositories/buzzin-permits.js";
import { type BuzzinPermit } from "../../model.js";
import { findStartedOffboardingForRequest } from "../../../db/repositories/offboardings.js";
import { auditRequest } from "../../audit.js";
import { placeName } from "../../buzzin-form.js";
import type { Deps } from "../../deps.js";
import { alertOnce } from "../../security-alerts.js";
import { ProvisioningRefused } from "../../failures.js";
import { underProvisioningLease } from "../lease.js";
import type { ProvisionResult } from "../../ports.js";
import { buzzinClientOf, permitWindow, submitDetailsOf, tell } from "./shared.js";

export function provisionInBuzzin(deps: Deps, requestId: string): Promise<ProvisionResult> {
  return underProvisioningLease(deps, requestId, async ({ request }) => {
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
        return await createAndSubmitPermit(deps, client, request, link);
      case "awaiting_community":
      case "awaiting_pass":
        return { status: "waiting", request: wait(deps, request) };
      case "active":
        return { status: "active", request: getAccessRequest(deps.db, requestId) ?? request };
      default:
        throw new ProvisioningRefused(`Buzz-in reports this contractor as ${link.stage}.`);
    }
  });
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
 * Registers the contractor. Buzz-in has no idempotency key and no contractor search, so a POST
 * whose answer was lost is not repeated by the client; the next attempt's 409 then says whether the
 * first one took: Buzz-in already holding this DAMAC contractor (its Salesforce id, unique in the
 * community) means it did, and Gatehouse goes on by that Salesforce id (the permit takes
 * `contractorSalesforceId`; the approval webhook and the permit's answer name the Buzz-in id).
 */
async function registerContractor(
  deps: Deps,
  client: BuzzinClient,
  request: AccessRequest,
  link: BuzzinPermit,
): Promise<ProvisionResult> {
  let contractor;
  try {
    contractor = await createContractorOf(client, request, link);
  } catch (error) {
    if (!(error instanceof BuzzinError) || !alreadyRegistered(error, request)) throw error;
    return contractorFoundAgain(deps, client, request);
  }
  return contractorRegistered(deps, client, request, link, contractor);
}

function createContractorOf(client: BuzzinClient, request: AccessRequest, link: BuzzinPermit) {
  return client.createContractor({
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
}

/**
 * A 409 naming the contractor's Salesforce id is this contractor; one naming no field is taken as
 * such only after an earlier attempt at this stage (whose answer may have been lost).
 */
function alreadyRegistered(error: BuzzinError, request: AccessRequest): boolean {
  if (error.code !== "buzzin_duplicate_contractor" || !error.duplicates.includes("salesforceId"))
    return false;
  return error.duplicatesNamed || request.attempts > 1;
}

async function contractorFoundAgain(
  deps: Deps,
  client: BuzzinClient,
  request: AccessRequest,
): Promise<ProvisionResult> {
  const now = deps.now();
  // The approval webhook may have gone to the process whose answer was lost: try the permit now,
  // which Buzz-in refuses (and the stage goes back to waiting) until the admin approved.
  inTransaction(deps.db, (tx) => {
    updateBuzzinPermit(tx, request.id, { stage: "permit" }, now, ["contractor"]);
    auditRequest(
      tx,
      request,
      { actor: "system", action: "buzzin.contractor_found_again", details: { by: "salesforceId" } },
      now,
    );
  });
  const updated = getBuzzinPermit(deps.db, request.id);
  if (!updated) throw new ProvisioningRefused("This request has none of the details Buzz-in needs.");
  const result = await createAndSubmitPermit(deps, client, request, updated);
  if (getBuzzinPermit(deps.db, request.id)?.stage === "awaiting_community")
    await tell(
      deps,
      request.requesterId,
      `${personName(request)} is registered with Buzz-in and waits for the community admin's approval there. Gatehouse goes on by itself once it arrives, and sends you the access code when Buzz-in issues the pass.`,
    );
  return result;
}

async function contractorRegistered(
  deps: Deps,
  client: BuzzinClient,
  request: AccessRequest,
  link: BuzzinPermit,
  contractor: { _id: string; approved: boolean },
): Promise<ProvisionResult> {
  const now = deps.now();
  // The approval webhook may have come before this answer (it is matched by the Salesforce id).
  const next = inTransaction(deps.db, (tx) => {
    const knownApproved = getBuzzinPermit(tx, request.id)?.contractorApprovedAt != null;
    const approved = contractor.approved || knownApproved;
    const stage = approved ? "permit" : "awaiting_community";
    updateBuzzinPermit(
      tx,
      request.id,
      {
        contractorId: contractor._id,
        stage,
        ...(contractor.approved && !knownApproved ? { contractorApprovedAt: now } : {}),
      },
      now,
      ["contractor"],
    );
    auditRequest(
      tx,
      request,
      {
        actor: "system",
        action: "buzzin.contractor_registered",
        details: { contractorId: contractor._id, approved },
      },
      now,
    );
    return stage;
  });
  const updated = getBuzzinPermit(deps.db, request.id) ?? link;
  if (next === "permit") return createAndSubmitPermit(deps, client, request, updated);
  await tell(
    deps,
    request.requesterId,
    `${personName(request)} is registered with Buzz-in and waits for the community admin's approval there. Gatehouse goes on by itself once it arrives, and sends you the access code when Buzz-in issues the pass.`,
  );
  return { status: "waiting", request: wait(deps, request) };
}

/**
 * Creates the DRAFT permit (its `salesforcePermitId` recorded first, its id right after) and
 * submits it. A create answered 409 is one an earlier attempt made: taken by its id when Buzz-in
 * names it, otherwise waited for by its Salesforce id, with the security channel told once.
 */
async function createAndSubmitPermit(
  deps: Deps,
  client: BuzzinClient,
  request: AccessRequest,
  link: BuzzinPermit,
): Promise<ProvisionResult> {
  const salesforcePermitId = link.salesforcePermitId ?? salesforcePermitIdFor(request.id);
  if (!link.salesforcePermitId) updateBuzzinPermit(deps.db, request.id, { salesforcePermitId }, deps.now());
  const details = submitDetailsOf(link);
  let permitId = link.permitId;
  if (!permitId) {
    const window = permitWindow(link, request, deps.settings.buzzinTimeZone);
    let created;
    try {
      created = await client.createPermit({
        salesforcePermitId,
        contractor: link.contractorId ? { id: link.contractorId } : { salesforceId: link.salesforceId },
        property: link.property,
        unit: link.unit,
        ...window,
        jobsSummary: link.jobsSummary,
        noc: {
          url: link.nocUrl,
          nocNumber: link.nocNumber,
          issueDate: link.nocIssueDate,
          expiryDate: link.nocExpiryDate,
        },
        details,
      });
    } catch (error) {
      if (
        error instanceof BuzzinError &&
        meansNotApprovedYet(error.status) &&
        notKnownApproved(deps, request.id)
      )
        return backToWaitingForCommunity(deps, request);
      throw error;
    }
    const now = deps.now();
    if (created.status === "exists" && created.permitId === null)
      return permitUnconfirmed(deps, request, link, salesforcePermitId);
    const id = created.status === "created" ? created.permit._id : (created.permitId as string);
    permitId = id;
    // The contractor's Buzz-in id, when only its Salesforce id was known (and no other request has it).
    const named = created.status === "created" ? created.permit.communityContractorId : undefined;
    const learned = !link.contractorId && named && contractorIdFree(deps.db, named) ? named : undefined;
    inTransaction(deps.db, (tx) => {
      updateBuzzinPermit(
        tx,
        request.id,
        { permitId: id, ...(learned ? { contractorId: learned } : {}) },
        now,
      );
      auditRequest(
        tx,
        request,
        {
          actor: "system",
          action: created.status === "created" ? "buzzin.permit_created" : "buzzin.permit_found_again",
          details: {
            permitId: id,
            salesforcePermitId,
            ...(created.status === "created" ? { status: permitStatus(created.permit).name } : {}),
          },
        },
        now,
      );
    });
  }
  const outcome = await client.submitPermit(permitId, details);
  const now = deps.now();
  const moved = inTransaction(deps.db, (tx) => {
    const row = updateBuzzinPermit(tx, request.id, { stage: "awaiting_pass" }, now, ["permit"]);
    auditRequest(
      tx,
      request,
      { actor: "system", action: "buzzin.permit_submitted", details: { permitId, outcome } },
      now,
    );
    return row !== undefined;
  });
  // Buzz-in may have accepted at once, and its webhook already made the request active.
  if (moved)
    await tell(
      deps,
      request.requesterId,
      `The community approved ${personName(request)}. Their work permit for ${placeName(link)} is submitted; you get the access code as soon as Buzz-in issues the pass.`,
    );
  return { status: "waiting", request: wait(deps, request) };
}

function notKnownApproved(deps: Deps, requestId: string): boolean {
  return getBuzzinPermit(deps.db, requestId)?.contractorApprovedAt == null;
}

/** A probe for a lost approval found the contractor not approved yet: back to waiting. */
function backToWaitingForCommunity(deps: Deps, request: AccessRequest): ProvisionResult {
  const now = deps.now();
  inTransaction(deps.db, (tx) => {
    if (getBuzzinPermit(tx, request.id)?.contractorApprovedAt == null)
      updateBuzzinPermit(tx, request.id, { stage: "awaiting_community" }, now, ["permit"]);
  });
  const row = getBuzzinPermit(deps.db, request.id);
  if (row?.stage === "permit") {
    // The approval came while we were asking: go on at the next retry.
    recordProvisioningProgress(deps.db, request.id, { state: "approved", nextAttemptAt: now }, now);
    return { status: "waiting", request: getAccessRequest(deps.db, request.id) ?? request };
  }
  return { status: "waiting", request: wait(deps, request) };
}

/**
 * Buzz-in holds a permit under our `salesforcePermitId` but did not say its id (the 409 is
 * documented bare), and has no search: the permit waits, as a DRAFT, to be submitted in Buzz-in's
 * dashboard; its `passes.permits.issued` is matched by the Salesforce id. Never a second permit.
 */
async function permitUnconfirmed(
  deps: Deps,
  request: AccessRequest,
  link: BuzzinPermit,
  salesforcePermitId: string,
): Promise<ProvisionResult> {
  const now = deps.now();
  inTransaction(deps.db, (tx) => {
    updateBuzzinPermit(tx, request.id, { stage: "awaiting_pass" }, now, ["permit"]);
    auditRequest(
      tx,
      request,
      { actor: "system", action: "buzzin.permit_unconfirmed", details: { salesforcePermitId } },
      now,
    );
  });
  const key = `buzzin-permit:${request.id}`;
  const summary = `Buzz-in already holds the work permit for ${personName(request)} (${placeName(link)}, salesforcePermitId ${salesforcePermitId}): an earlier attempt created it but its answer was lost, and Buzz-in's API does not say the permit's id. Find the DRAFT in Buzz-in's dashboard by that Salesforce id and submit it; Gatehouse sends the access code when Buzz-in issues the pass. If the code has not reached the requester 15 minutes after the permit was accepted, its webhook was lost too: reissue the pass in the dashboard. Gatehouse did not create a second permit.`;
  alertOnce(deps, {
    key,
    kind: "buzzin",
    summary,
    title: `Buzz-in permit needs submitting by hand: ${personName(request)}`,
    lines: [{ text: summary }],
  });
  return { status: "waiting", request: wait(deps, request) };
}
