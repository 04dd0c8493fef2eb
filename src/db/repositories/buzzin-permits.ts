/** A Buzz-in contractor request's own fields and Buzz-in's ids (see `buzzinPermits` in the schema). */
import { and, eq, inArray, isNotNull, isNull, lt, lte, ne, or } from "drizzle-orm";
import type { Executor } from "../database.js";
import { buzzinPermits } from "../schema.js";
import { type BuzzinStage } from "../../domain/model.js";
import type { BuzzinPermit } from "../../domain/model.js";
import { rowIs } from "../rows.js";

rowIs<typeof buzzinPermits.$inferSelect, BuzzinPermit>(true);

/** What Gatehouse learns and tracks after the request was made. */
type Tracked =
  | "stage"
  | "contractorId"
  | "permitId"
  | "salesforcePermitId"
  | "managedPersonId"
  | "contractorApprovedAt"
  | "passFingerprint"
  | "passNumber"
  | "passIssuedAt"
  | "passNotifiedFingerprint"
  | "passSendingUntil"
  | "passSendingOwner"
  | "retiredFingerprint"
  | "reissueRequestedAt";

export type NewBuzzinPermit = Omit<typeof buzzinPermits.$inferInsert, "createdAt" | "updatedAt" | Tracked>;
export type BuzzinPermitChange = Partial<Pick<BuzzinPermit, Tracked>>;

export function insertBuzzinPermit(db: Executor, row: NewBuzzinPermit, now: Date): BuzzinPermit {
  return db
    .insert(buzzinPermits)
    .values({ ...row, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function getBuzzinPermit(db: Executor, requestId: string): BuzzinPermit | undefined {
  return db.select().from(buzzinPermits).where(eq(buzzinPermits.requestId, requestId)).get();
}

/** By Buzz-in's contractor id, or (before that id is recorded) by the contractor's Salesforce id. */
export function findBuzzinByContractor(
  db: Executor,
  ref: { contractorId?: string; salesforceId?: string },
): BuzzinPermit | undefined {
  if (ref.contractorId) {
    const found = db
      .select()
      .from(buzzinPermits)
      .where(eq(buzzinPermits.contractorId, ref.contractorId))
      .get();
    if (found) return found;
  }
  if (!ref.salesforceId) return undefined;
  // A contractor's Salesforce id is unique in the community but may come back in a later request
  // (a new registration after a revoke): the newest live one is meant.
  return db
    .select()
    .from(buzzinPermits)
    .where(
      and(
        eq(buzzinPermits.salesforceId, ref.salesforceId),
        inArray(buzzinPermits.stage, [
          "contractor",
          "awaiting_community",
          "permit",
          "awaiting_pass",
          "active",
        ]),
      ),
    )
    .all()
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
}

/** By Buzz-in's permit id, or by its `salesforcePermitId` (a permit whose id was never learned). */
export function findBuzzinByPermit(
  db: Executor,
  ref: { permitId?: string; salesforceId?: string },
): BuzzinPermit | undefined {
  if (ref.permitId) {
    const found = db.select().from(buzzinPermits).where(eq(buzzinPermits.permitId, ref.permitId)).get();
    if (found) return found;
  }
  if (!ref.salesforceId) return undefined;
  return db.select().from(buzzinPermits).where(eq(buzzinPermits.salesforcePermitId, ref.salesforceId)).get();
}

/** Whether no request holds this Buzz-in contractor id yet (it is unique across requests). */
export function contractorIdFree(db: Executor, contractorId: string): boolean {
  return (
    db.select().from(buzzinPermits).where(eq(buzzinPermits.contractorId, contractorId)).get() === undefined
  );
}

export function findBuzzinByManagedPerson(db: Executor, managedPersonId: number): BuzzinPermit | undefined {
  return db.select().from(buzzinPermits).where(eq(buzzinPermits.managedPersonId, managedPersonId)).get();
}

/**
 * Applies `change` only while the row is in one of `from` (when given): a webhook and the
 * provisioning run that race for the same step move it once. Returns the row after, or undefined.
 */
export function updateBuzzinPermit(
  db: Executor,
  requestId: string,
  change: BuzzinPermitChange,
  now: Date,
  from?: readonly BuzzinStage[],
): BuzzinPermit | undefined {
  return db
    .update(buzzinPermits)
    .set({ ...change, updatedAt: now })
    .where(
      from
        ? and(eq(buzzinPermits.requestId, requestId), inArray(buzzinPermits.stage, [...from]))
        : eq(buzzinPermits.requestId, requestId),
    )
    .returning()
    .get();
}

/**
 * Claims the sending of the pass with this fingerprint: only while its code has not been sent
 * and nobody else is sending it (or their claim lapsed). Returns the row, or undefined.
 */
export function claimPassSending(
  db: Executor,
  requestId: string,
  fingerprint: string,
  owner: string,
  until: Date,
  now: Date,
): BuzzinPermit | undefined {
  return db
    .update(buzzinPermits)
    .set({ passSendingUntil: until, passSendingOwner: owner, updatedAt: now })
    .where(
      and(
        eq(buzzinPermits.requestId, requestId),
        eq(buzzinPermits.passFingerprint, fingerprint),
        or(
          isNull(buzzinPermits.passNotifiedFingerprint),
          ne(buzzinPermits.passNotifiedFingerprint, fingerprint),
        ),
        or(isNull(buzzinPermits.passSendingUntil), lte(buzzinPermits.passSendingUntil, now)),
      ),
    )
    .returning()
    .get();
}

/**
 * What to read back from Buzz-in, untouched since `before`: permits submitted whose pass has not
 * reached us (a lost webhook), and issued passes whose code the requester was not sent (Slack
 * failed, or the process died between the webhook's answer and the DM), unless someone is
 * sending it right now. `afterRestart` adds permits created but not known to be submitted: the
 * process that submitted them may have died before hearing that Buzz-in accepted at once.
 */
export function listPassesToReconcile(
  db: Executor,
  before: Date,
  now: Date,
  afterRestart = false,
): BuzzinPermit[] {
  return db
    .select()
    .from(buzzinPermits)
    .where(
      and(
        lte(buzzinPermits.updatedAt, before),
        or(isNull(buzzinPermits.passSendingUntil), lt(buzzinPermits.passSendingUntil, now)),
        or(
          and(
            inArray(buzzinPermits.stage, afterRestart ? ["awaiting_pass", "permit"] : ["awaiting_pass"]),
            isNotNull(buzzinPermits.permitId),
          ),
          and(
            eq(buzzinPermits.stage, "active"),
            isNotNull(buzzinPermits.passFingerprint),
            or(
              isNull(buzzinPermits.passNotifiedFingerprint),
              ne(buzzinPermits.passNotifiedFingerprint, buzzinPermits.passFingerprint),
            ),
          ),
        ),
      ),
    )
    .all();
}

/** Contractors still waiting for the community admin since `before` (a lost approval webhook?). */
export function listAwaitingCommunity(db: Executor, before: Date): BuzzinPermit[] {
  return db
    .select()
    .from(buzzinPermits)
    .where(and(eq(buzzinPermits.stage, "awaiting_community"), lte(buzzinPermits.updatedAt, before)))
    .all();
}
