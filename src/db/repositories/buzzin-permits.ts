/** A Buzz-in contractor request's own fields and Buzz-in's ids (see `buzzinPermits` in the schema). */
import { and, eq, inArray, isNull, lte, ne, or } from "drizzle-orm";
import type { Executor } from "../database.js";
import { type BuzzinStage, buzzinPermits } from "../schema.js";

export type BuzzinPermitRow = typeof buzzinPermits.$inferSelect;
export type NewBuzzinPermit = Omit<
  typeof buzzinPermits.$inferInsert,
  | "createdAt"
  | "updatedAt"
  | "stage"
  | "contractorId"
  | "permitId"
  | "passId"
  | "passNotifiedId"
  | "managedPersonId"
>;
export type BuzzinPermitChange = Partial<
  Pick<
    BuzzinPermitRow,
    "stage" | "contractorId" | "permitId" | "passId" | "passNotifiedId" | "managedPersonId"
  >
>;

export function insertBuzzinPermit(db: Executor, row: NewBuzzinPermit, now: Date): BuzzinPermitRow {
  return db
    .insert(buzzinPermits)
    .values({ ...row, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function getBuzzinPermit(db: Executor, requestId: string): BuzzinPermitRow | undefined {
  return db.select().from(buzzinPermits).where(eq(buzzinPermits.requestId, requestId)).get();
}

export function findBuzzinByContractor(db: Executor, contractorId: string): BuzzinPermitRow | undefined {
  return db.select().from(buzzinPermits).where(eq(buzzinPermits.contractorId, contractorId)).get();
}

export function findBuzzinByPermit(db: Executor, permitId: string): BuzzinPermitRow | undefined {
  return db.select().from(buzzinPermits).where(eq(buzzinPermits.permitId, permitId)).get();
}

export function findBuzzinByManagedPerson(
  db: Executor,
  managedPersonId: number,
): BuzzinPermitRow | undefined {
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
): BuzzinPermitRow | undefined {
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
 * What to read back from Buzz-in, untouched since `before`: permits submitted whose pass has not
 * reached us (a lost webhook), and issued passes whose code the requester was not sent (Slack failed).
 */
export function listPassesToReconcile(db: Executor, before: Date): BuzzinPermitRow[] {
  return db
    .select()
    .from(buzzinPermits)
    .where(
      and(
        lte(buzzinPermits.updatedAt, before),
        or(
          eq(buzzinPermits.stage, "awaiting_pass"),
          and(
            eq(buzzinPermits.stage, "active"),
            or(isNull(buzzinPermits.passNotifiedId), ne(buzzinPermits.passNotifiedId, buzzinPermits.passId)),
          ),
        ),
      ),
    )
    .all();
}
