/**
 * Access requests: a state machine from `requested` to active, denied, expired or failed. Every
 * transition is one conditional UPDATE (`where state = …`), so of twenty concurrent clicks exactly
 * one decides and the others read who did.
 */
import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../database.js";
import { accessRequests } from "../schema.js";
import type { RequestState } from "../../domain/model.js";
import type { AccessRequest } from "../../domain/model.js";
import { rowIs } from "../rows.js";

rowIs<typeof accessRequests.$inferSelect, AccessRequest>(true);
export type NewAccessRequest = Omit<typeof accessRequests.$inferInsert, "updatedAt" | "createdAt" | "state">;

export function insertAccessRequest(db: Executor, request: NewAccessRequest, now: Date): AccessRequest {
  return db
    .insert(accessRequests)
    .values({ ...request, state: "requested", createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function getAccessRequest(db: Executor, id: string): AccessRequest | undefined {
  return db.select().from(accessRequests).where(eq(accessRequests.id, id)).get();
}

export function setApprovalMessage(db: Executor, id: string, channelId: string, ts: string, now: Date): void {
  db.update(accessRequests)
    .set({ approvalChannelId: channelId, approvalTs: ts, updatedAt: now })
    .where(eq(accessRequests.id, id))
    .run();
}

export type Decision = { outcome: "approved"; giveUpAt: Date } | { outcome: "denied"; reason: string };

/**
 * The single transition that decides a request. Returns the decided request, or `undefined` when
 * it was no longer pending (someone else decided first, or it expired).
 */
export function decideAccessRequest(
  db: Executor,
  id: string,
  decision: Decision,
  decidedBy: string,
  now: Date,
): AccessRequest | undefined {
  const fields =
    decision.outcome === "approved"
      ? {
          state: "approved" as const,
          step: "person" as const,
          nextAttemptAt: now,
          giveUpAt: decision.giveUpAt,
        }
      : { state: "denied" as const, denyReason: decision.reason };
  return db
    .update(accessRequests)
    .set({ ...fields, decidedBy, decidedAt: now, updatedAt: now })
    .where(and(eq(accessRequests.id, id), eq(accessRequests.state, "requested")))
    .returning()
    .get();
}

/** Moves `from` → `to` only if the request is still in `from`; returns the updated row or `undefined`. */
export function transitionAccessRequest(
  db: Executor,
  id: string,
  from: RequestState[],
  to: RequestState,
  now: Date,
  fields: Partial<Pick<AccessRequest, "lastError" | "failureNotifiedAt" | "step">> = {},
): AccessRequest | undefined {
  return db
    .update(accessRequests)
    .set({ ...fields, state: to, updatedAt: now })
    .where(and(eq(accessRequests.id, id), inArray(accessRequests.state, from)))
    .returning()
    .get();
}

/**
 * Ends the active requests whose access an offboarding has just removed: the request named (the
 * managed person's) and any other active request for the same DoorFlow person. A request still
 * being provisioned is left to provisioning, which stops at its next step on finding the person
 * offboarded and reports it. Returns the ended rows.
 */
export function endRequestsOfPerson(
  db: Executor,
  person: { requestId: string | null; doorflowPersonId: number | null },
  now: Date,
): AccessRequest[] {
  const which = [
    person.requestId === null ? undefined : eq(accessRequests.id, person.requestId),
    person.doorflowPersonId === null
      ? undefined
      : eq(accessRequests.doorflowPersonId, person.doorflowPersonId),
  ].filter((c) => c !== undefined);
  if (which.length === 0) return [];
  return db
    .update(accessRequests)
    .set({ state: "ended", nextAttemptAt: null, updatedAt: now })
    .where(and(or(...which), eq(accessRequests.state, "active")))
    .returning()
    .all();
}

export type ProvisioningProgress = Partial<
  Pick<
    AccessRequest,
    | "step"
    | "doorflowPersonId"
    | "personCreated"
    | "groupReservationId"
    | "reservationId"
    | "attempts"
    | "nextAttemptAt"
    | "lastError"
    | "failureNotifiedAt"
    | "state"
    | "giveUpAt"
  >
>;

/** Records a provisioning step's outcome, so a restart resumes where it stopped. */
export function recordProvisioningProgress(
  db: Executor,
  id: string,
  progress: ProvisioningProgress,
  now: Date,
): void {
  db.update(accessRequests)
    .set({ ...progress, updatedAt: now })
    .where(eq(accessRequests.id, id))
    .run();
}

/**
 * Claims an approved request for provisioning with a lease, so two processes never work on the same
 * request at once; an expired lease (a crashed process) can be claimed again.
 */
export function claimProvisioning(
  db: Executor,
  id: string,
  owner: string,
  leaseMs: number,
  now: Date,
): AccessRequest | undefined {
  return db
    .update(accessRequests)
    .set({
      state: "provisioning",
      leaseOwner: owner,
      leaseExpiresAt: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    })
    .where(
      and(
        eq(accessRequests.id, id),
        inArray(accessRequests.state, ["approved", "provisioning"]),
        or(
          isNull(accessRequests.leaseExpiresAt),
          lte(accessRequests.leaseExpiresAt, now),
          eq(accessRequests.leaseOwner, owner),
        ),
      ),
    )
    .returning()
    .get();
}

export function releaseProvisioningLease(db: Executor, id: string, owner: string, now: Date): void {
  db.update(accessRequests)
    .set({ leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
    .where(and(eq(accessRequests.id, id), eq(accessRequests.leaseOwner, owner)))
    .run();
}

/** Approved requests whose next provisioning attempt is due (at start and every few minutes). */
export function findProvisioningDue(db: Executor, now: Date): AccessRequest[] {
  return db
    .select()
    .from(accessRequests)
    .where(
      and(
        inArray(accessRequests.state, ["approved", "provisioning"]),
        or(isNull(accessRequests.nextAttemptAt), lte(accessRequests.nextAttemptAt, now)),
        or(isNull(accessRequests.leaseExpiresAt), lte(accessRequests.leaseExpiresAt, now)),
      ),
    )
    .orderBy(asc(accessRequests.createdAt))
    .all();
}

/** Pending requests past their expiry, each moved to `expired` exactly once. */
export function expirePendingRequests(db: Executor, now: Date): AccessRequest[] {
  return db
    .update(accessRequests)
    .set({ state: "expired", updatedAt: now })
    .where(and(eq(accessRequests.state, "requested"), lte(accessRequests.expiresAt, now)))
    .returning()
    .all();
}

export function listRequestsByRequester(db: Executor, requesterId: string, limit = 20): AccessRequest[] {
  return db
    .select()
    .from(accessRequests)
    .where(eq(accessRequests.requesterId, requesterId))
    .orderBy(desc(accessRequests.createdAt))
    .limit(limit)
    .all();
}

export function listPendingRequests(db: Executor): AccessRequest[] {
  return db
    .select()
    .from(accessRequests)
    .where(eq(accessRequests.state, "requested"))
    .orderBy(asc(accessRequests.createdAt))
    .all();
}

export function listRequestsByEmail(db: Executor, email: string, limit = 20): AccessRequest[] {
  return db
    .select()
    .from(accessRequests)
    .where(sql`lower(${accessRequests.email}) = ${email.trim().toLowerCase()}`)
    .orderBy(desc(accessRequests.createdAt))
    .limit(limit)
    .all();
}

/** Requests for this email that are pending or on their way to access (not yet active or ended). */
export function findOpenRequestsByEmail(db: Executor, email: string): AccessRequest[] {
  return db
    .select()
    .from(accessRequests)
    .where(
      and(
        sql`lower(${accessRequests.email}) = ${email.trim().toLowerCase()}`,
        inArray(accessRequests.state, ["requested", "approved", "provisioning", "awaiting_provider"]),
      ),
    )
    .orderBy(asc(accessRequests.createdAt))
    .all();
}
