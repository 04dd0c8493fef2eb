/**
 * Scheduled offboardings. A due one is claimed with a lease inside one immediate transaction, so
 * two processes on one database never offboard the same person twice; a crashed process's lease
 * expires and the offboarding is claimed again.
 */
import { and, asc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import type { Executor } from "../database.js";
import { offboardings } from "../schema.js";
import { type OffboardingReason, type ProviderId } from "../../domain/model.js";
import type { Offboarding } from "../../domain/model.js";
import { rowIs } from "../rows.js";

rowIs<typeof offboardings.$inferSelect, Offboarding>(true);

const OPEN = ["scheduled", "running", "failed"] as const;

export interface ScheduleOffboardingInput {
  provider?: ProviderId;
  /** Null when recorded before provisioning has found or created the person (see `requestId`). */
  doorflowPersonId: number | null;
  requestId?: string | null;
  managedPersonId?: number | null;
  personName: string;
  email?: string | null;
  reason: OffboardingReason;
  lastDay: string;
  dueAt: Date;
  requestedBy: string;
}

/** Schedules the person's offboarding, or moves the open one to the new day (one per person). */
export function scheduleOffboarding(db: Executor, input: ScheduleOffboardingInput, now: Date): Offboarding {
  const provider = input.provider ?? "doorflow";
  const open =
    input.doorflowPersonId !== null
      ? findOpenOffboarding(db, input.doorflowPersonId, provider)
      : input.requestId
        ? findOffboardingForRequest(db, input.requestId)
        : undefined;
  if (open) {
    return db
      .update(offboardings)
      .set({
        reason: input.reason,
        lastDay: input.lastDay,
        dueAt: input.dueAt,
        requestedBy: input.requestedBy,
        managedPersonId: input.managedPersonId ?? open.managedPersonId,
        personName: input.personName,
        email: input.email ?? open.email,
        updatedAt: now,
      })
      .where(eq(offboardings.id, open.id))
      .returning()
      .get();
  }
  return db
    .insert(offboardings)
    .values({ ...input, provider, status: "scheduled", createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function findOffboardingForRequest(db: Executor, requestId: string): Offboarding | undefined {
  return db
    .select()
    .from(offboardings)
    .where(and(eq(offboardings.requestId, requestId), inArray(offboardings.status, [...OPEN])))
    .get();
}

/** The request's offboarding once it has begun or is over (by the job, in bulk, or done by hand). */
export function findStartedOffboardingForRequest(db: Executor, requestId: string): Offboarding | undefined {
  return db
    .select()
    .from(offboardings)
    .where(
      and(
        eq(offboardings.requestId, requestId),
        inArray(offboardings.status, ["running", "completed", "cancelled"]),
      ),
    )
    .get();
}

/** Provisioning found or created the person: the offboarding recorded beforehand now names them. */
export function attachPersonToOffboarding(
  db: Executor,
  requestId: string,
  person: { doorflowPersonId: number | null; managedPersonId: number | null },
  now: Date,
): void {
  db.update(offboardings)
    .set({ ...person, updatedAt: now })
    .where(and(eq(offboardings.requestId, requestId), inArray(offboardings.status, [...OPEN])))
    .run();
}

export function getOffboarding(db: Executor, id: number): Offboarding | undefined {
  return db.select().from(offboardings).where(eq(offboardings.id, id)).get();
}

export function findOpenOffboarding(
  db: Executor,
  doorflowPersonId: number,
  provider: ProviderId = "doorflow",
): Offboarding | undefined {
  return db
    .select()
    .from(offboardings)
    .where(
      and(
        eq(offboardings.provider, provider),
        eq(offboardings.doorflowPersonId, doorflowPersonId),
        inArray(offboardings.status, [...OPEN]),
      ),
    )
    .get();
}

/**
 * The open offboarding of a managed person: by their DoorFlow person, or, for a provider without
 * one (Buzz-in), by the person's row or the request that created it.
 */
export function findOpenOffboardingOfManaged(
  db: Executor,
  m: { id: number; provider: ProviderId; doorflowPersonId: number | null; requestId: string | null },
): Offboarding | undefined {
  if (m.doorflowPersonId !== null) return findOpenOffboarding(db, m.doorflowPersonId, m.provider);
  return db
    .select()
    .from(offboardings)
    .where(
      and(
        eq(offboardings.provider, m.provider),
        m.requestId
          ? or(eq(offboardings.managedPersonId, m.id), eq(offboardings.requestId, m.requestId))
          : eq(offboardings.managedPersonId, m.id),
        inArray(offboardings.status, [...OPEN]),
      ),
    )
    .get();
}

/** What is due at `now`: due_at passed, not leased by a live process, not waiting out a backoff. */
function dueCondition(now: Date) {
  return and(
    inArray(offboardings.status, [...OPEN]),
    lte(offboardings.dueAt, now),
    or(isNull(offboardings.nextAttemptAt), lte(offboardings.nextAttemptAt, now)),
    or(isNull(offboardings.leaseExpiresAt), lte(offboardings.leaseExpiresAt, now)),
  );
}

export function findDueOffboardings(db: Executor, now: Date): Offboarding[] {
  return db
    .select()
    .from(offboardings)
    .where(dueCondition(now))
    .orderBy(asc(offboardings.dueAt), asc(offboardings.id))
    .all();
}

/**
 * Claims up to `limit` due offboardings for `owner`. Call inside `inTransaction` (BEGIN IMMEDIATE):
 * the select and the conditional update then see the same rows, and the lease check in the update
 * makes a second claimer get nothing even without it.
 */
export function claimDueOffboardings(
  db: Executor,
  owner: string,
  leaseMs: number,
  now: Date,
  limit = 1000,
): Offboarding[] {
  const due = db
    .select({ id: offboardings.id })
    .from(offboardings)
    .where(dueCondition(now))
    .orderBy(asc(offboardings.dueAt))
    .limit(limit)
    .all();
  if (due.length === 0) return [];
  return db
    .update(offboardings)
    .set({
      status: "running",
      leaseOwner: owner,
      leaseExpiresAt: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    })
    .where(
      and(
        inArray(
          offboardings.id,
          due.map((d) => d.id),
        ),
        dueCondition(now),
      ),
    )
    .returning()
    .all();
}

/** Claims one offboarding whatever its due time (an operator's "Offboard now" or "Retry"). */
export function claimOffboarding(
  db: Executor,
  id: number,
  owner: string,
  leaseMs: number,
  now: Date,
): Offboarding | undefined {
  return db
    .update(offboardings)
    .set({
      status: "running",
      leaseOwner: owner,
      leaseExpiresAt: new Date(now.getTime() + leaseMs),
      updatedAt: now,
    })
    .where(
      and(
        eq(offboardings.id, id),
        inArray(offboardings.status, [...OPEN]),
        or(
          isNull(offboardings.leaseExpiresAt),
          lte(offboardings.leaseExpiresAt, now),
          eq(offboardings.leaseOwner, owner),
        ),
      ),
    )
    .returning()
    .get();
}

export function completeOffboarding(
  db: Executor,
  id: number,
  owner: string,
  now: Date,
): Offboarding | undefined {
  return db
    .update(offboardings)
    .set({
      status: "completed",
      completedAt: now,
      lastError: null,
      nextAttemptAt: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: now,
    })
    .where(and(eq(offboardings.id, id), eq(offboardings.leaseOwner, owner)))
    .returning()
    .get();
}

export function failOffboarding(
  db: Executor,
  id: number,
  owner: string,
  failure: { error: string; nextAttemptAt: Date },
  now: Date,
): Offboarding | undefined {
  const current = getOffboarding(db, id);
  if (!current || current.leaseOwner !== owner) return undefined;
  return db
    .update(offboardings)
    .set({
      status: "failed",
      attempts: current.attempts + 1,
      lastError: failure.error,
      nextAttemptAt: failure.nextAttemptAt,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: now,
    })
    .where(and(eq(offboardings.id, id), eq(offboardings.leaseOwner, owner)))
    .returning()
    .get();
}

export function cancelOffboarding(db: Executor, id: number, now: Date): Offboarding | undefined {
  return db
    .update(offboardings)
    .set({ status: "cancelled", leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
    .where(and(eq(offboardings.id, id), inArray(offboardings.status, ["scheduled", "failed"])))
    .returning()
    .get();
}
