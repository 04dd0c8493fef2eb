/**
 * A Buzz-in pass and its access code: taking an issued pass up (the request becomes active, the
 * contractor managed), sending the code to the requester's DM exactly once per pass, reissuing it
 * (by hand, or to recover a code that never reached the requester), and reading back what a lost
 * webhook would have said.
 *
 * The code is never stored: passes are told apart by a keyed fingerprint of their code. The "sent"
 * marker (`passNotifiedFingerprint`) is set only after Slack accepted the DM, so a process killed
 * between the webhook's 2xx and the DM leaves the pass unsent, and reconciliation takes it up. As
 * the code itself is gone by then, the pass is reissued (the documented way: the old code dies, a
 * new one comes with `passes.permits.issued`), unless Buzz-in's read-back shows the code.
 */
import { inTransaction } from "../../../db/database.js";
import { getAccessRequest, recordProvisioningProgress } from "../../../db/repositories/access-requests.js";
import {
  claimPassSending,
  findBuzzinByManagedPerson,
  getBuzzinPermit,
  updateBuzzinPermit,
} from "../../../db/repositories/buzzin-permits.js";
import { type BuzzinPermit, personName } from "../../model.js";
import {
  getManagedPerson,
  insertManagedPerson,
  managedFromRequest,
} from "../../../db/repositories/managed-people.js";
import { attachPersonToOffboarding } from "../../../db/repositories/offboardings.js";
import { auditRequest } from "../../audit.js";
import { buzzinClientOf, permitWindow } from "./shared.js";
import type { Deps } from "../../deps.js";
import { describeFailure } from "../../failures.js";
import { resolveProvisioningAlert } from "../../provisioning-failure.js";

/** How long one process may take to send a code before another may take the send over. */
const SENDING_LEASE_MS = 2 * 60_000;

const LIVE_STAGES = ["permit", "awaiting_pass", "active"] as const;

export interface IssuedPass {
  permitId?: string;
  accessCode: string;
  qrImageUrl?: string;
  passNumber?: string;
  validTill?: Date;
  /** When Buzz-in issued it (the event's `createdAt`), or when it was read back. */
  issuedAt: Date;
}

export type PassDelivery = "sent" | "already_sent" | "stale" | "busy" | "not_ours";

/**
 * The pass exists: the request becomes active, the contractor managed (App Home, reminders,
 * extension, offboarding), and the requester gets the code, once per pass. Both the webhook and a
 * read-back may get here, at once: the send is claimed, and marked done only once Slack took it.
 */
export async function deliverPass(deps: Deps, link: BuzzinPermit, pass: IssuedPass): Promise<PassDelivery> {
  const fingerprint = buzzinClientOf(deps).fingerprint(pass.accessCode);
  const now = deps.now();
  const taken = inTransaction(deps.db, (tx) => {
    const current = getBuzzinPermit(tx, link.requestId);
    const request = getAccessRequest(tx, link.requestId);
    if (!current || !request || !(LIVE_STAGES as readonly string[]).includes(current.stage))
      return "not_ours" as const;
    if (current.retiredFingerprint === fingerprint) return "stale" as const;
    const newer = current.passFingerprint !== fingerprint;
    // One code per permit: an issued event older than the pass we know of carries a dead code.
    if (newer && current.passIssuedAt && pass.issuedAt < current.passIssuedAt) return "stale" as const;
    if (current.passNotifiedFingerprint === fingerprint) return "already_sent" as const;
    if (!newer && current.passSendingUntil && current.passSendingUntil > now) return "busy" as const;

    let managedPersonId = current.managedPersonId;
    if (managedPersonId === null) {
      managedPersonId = insertManagedPerson(
        tx,
        { ...managedFromRequest(request), doorflowPersonId: null, provider: "buzzin" },
        now,
      ).id;
      attachPersonToOffboarding(tx, request.id, { doorflowPersonId: null, managedPersonId }, now);
    }
    const replaces = newer && current.passNotifiedFingerprint !== null;
    updateBuzzinPermit(
      tx,
      request.id,
      {
        stage: "active",
        managedPersonId,
        permitId: current.permitId ?? pass.permitId ?? null,
        ...(newer
          ? {
              passFingerprint: fingerprint,
              passIssuedAt: pass.issuedAt,
              passNumber: pass.passNumber ?? current.passNumber,
              retiredFingerprint: current.passFingerprint ?? current.retiredFingerprint,
              passSendingUntil: null,
            }
          : {}),
      },
      now,
    );
    if (!["active", "ended", "denied", "expired"].includes(request.state))
      recordProvisioningProgress(
        tx,
        request.id,
        { state: "active", step: "done", nextAttemptAt: null, lastError: null },
        now,
      );
    if (newer)
      auditRequest(
        tx,
        request,
        {
          actor: "buzzin",
          action: "buzzin.pass_issued",
          details: {
            permitId: current.permitId ?? pass.permitId ?? null,
            passNumber: pass.passNumber ?? null,
            validTill: pass.validTill?.toISOString() ?? null,
            replaces,
          },
        },
        now,
      );
    const claimed = claimPassSending(
      tx,
      request.id,
      fingerprint,
      deps.processId,
      new Date(now.getTime() + SENDING_LEASE_MS),
      now,
    );
    if (!claimed) return "busy" as const;
    return { row: claimed, request: getAccessRequest(tx, request.id) ?? request, managedPersonId, replaces };
  });
  if (typeof taken === "string") return taken;

  const { row, request } = taken;
  const zone = deps.settings.buzzinTimeZone;
  try {
    await deps.messenger.passIssued(request, {
      managedPersonId: taken.managedPersonId,
      personName: personName(request),
      property: row.property,
      unit: row.unit,
      accessCode: pass.accessCode,
      ...(pass.qrImageUrl ? { qrImageUrl: pass.qrImageUrl } : {}),
      ...(row.passNumber ? { passNumber: row.passNumber } : {}),
      startDate: request.startDate,
      endDate: request.endDate,
      timeIn: row.timeIn,
      timeOut: row.timeOut,
      timeZone: zone,
      validTill: pass.validTill ?? permitWindow(row, request, zone).validTill,
      replaces: taken.replaces,
    });
  } catch (error) {
    // Not sent: the claim is given back, so a re-send of the delivery or the read-back sends it.
    updateBuzzinPermit(deps.db, request.id, { passSendingUntil: null, passSendingOwner: null }, deps.now());
    throw error;
  }
  // Slack took it: only now is it sent. A process killed just before this line sends it again.
  const sentAt = deps.now();
  inTransaction(deps.db, (tx) => {
    const current = getBuzzinPermit(tx, request.id);
    if (current?.passFingerprint === fingerprint)
      updateBuzzinPermit(
        tx,
        request.id,
        { passNotifiedFingerprint: fingerprint, passSendingUntil: null, passSendingOwner: null },
        sentAt,
      );
    auditRequest(
      tx,
      request,
      { actor: "system", action: "buzzin.pass_sent", details: { passNumber: row.passNumber } },
      sentAt,
    );
  });
  await resolveProvisioningAlert(deps, request);
  return "sent";
}

export type ReissueResult =
  | { status: "forbidden" }
  | { status: "not_found" }
  | { status: "not_active"; message: string }
  | { status: "reissued"; requesterId: string; personName: string }
  | { status: "failed"; error: string };

/**
 * "Reissue pass", for the requester and operators: the old code dies at once and Buzz-in's
 * `passes.permits.issued` brings the new one to the requester's DM.
 */
export async function reissueBuzzinPass(
  deps: Deps,
  input: { actor: string; managedPersonId: number },
): Promise<ReissueResult> {
  const person = getManagedPerson(deps.db, input.managedPersonId);
  if (!person || person.provider !== "buzzin") return { status: "not_found" };
  if (person.requesterId !== input.actor && !(await deps.policy.isOperator(input.actor)))
    return { status: "forbidden" };
  const link =
    (person.requestId ? getBuzzinPermit(deps.db, person.requestId) : undefined) ??
    findBuzzinByManagedPerson(deps.db, person.id);
  if (person.status !== "active" || !link?.permitId || link.stage !== "active")
    return {
      status: "not_active",
      message: `${personName(person)} has no active Buzz-in pass to reissue.`,
    };
  try {
    await reissue(deps, link, input.actor, "requested");
  } catch (error) {
    return { status: "failed", error: describeFailure(error) };
  }
  return {
    status: "reissued",
    requesterId: person.requesterId ?? input.actor,
    personName: personName(person),
  };
}

/** Records the reissue before asking for it: the issued event it fires may come before the answer. */
export async function reissue(
  deps: Deps,
  link: BuzzinPermit,
  actor: string,
  why: "requested" | "recover_undelivered_code",
): Promise<void> {
  const client = buzzinClientOf(deps);
  const now = deps.now();
  inTransaction(deps.db, (tx) => {
    const current = getBuzzinPermit(tx, link.requestId);
    updateBuzzinPermit(tx, link.requestId, { reissueRequestedAt: now }, now);
    const request = getAccessRequest(tx, link.requestId);
    if (request && current)
      auditRequest(
        tx,
        request,
        { actor, action: "buzzin.pass_reissued", details: { permitId: current.permitId, why } },
        now,
      );
  });
  await client.reissuePass(link.permitId as string);
}
