/**
 * Leaver events (HR webhook, SCIM deprovisioning, Slack deactivation). A row is recorded before the
 * sender is answered, keyed so that a re-sent signal finds the first one; it is then claimed with a
 * short lease, acted on, and settled. A process that dies in between leaves it `received`, and the
 * next start (or the housekeeping tick) takes it up again.
 */
import { and, desc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../database.js";
import { leaverEvents } from "../schema.js";
import { type LeaverSignal, type LeaverSource, type LeaverState } from "../../domain/model.js";
import type { LeaverEvent } from "../../domain/model.js";
import { rowIs } from "../rows.js";

rowIs<typeof leaverEvents.$inferSelect, LeaverEvent>(true);

export interface NewLeaverEvent {
  key: string;
  source: LeaverSource;
  signal: LeaverSignal;
  externalId: string;
  email: string | null;
  name?: string | null;
  lastDay?: string | null;
}

/** Records the event once per key: `created: false` hands back the row recorded first. */
export function recordLeaverEvent(
  db: Executor,
  input: NewLeaverEvent,
  now: Date,
): { created: boolean; event: LeaverEvent } {
  const inserted = db
    .insert(leaverEvents)
    .values({ ...input, state: "received", receivedAt: now, updatedAt: now })
    .onConflictDoNothing({ target: leaverEvents.key })
    .returning()
    .get();
  if (inserted) return { created: true, event: inserted };
  return { created: false, event: findLeaverEventByKey(db, input.key) as LeaverEvent };
}

export function findLeaverEventByKey(db: Executor, key: string): LeaverEvent | undefined {
  return db.select().from(leaverEvents).where(eq(leaverEvents.key, key)).get();
}

const unleased = (now: Date) =>
  or(isNull(leaverEvents.leaseExpiresAt), lte(leaverEvents.leaseExpiresAt, now));

/** Events recorded but not yet acted on, and not held by a live process, in order after `afterId`. */
export function listReceivedLeaverEvents(db: Executor, now: Date, afterId = 0, limit = 200): LeaverEvent[] {
  return db
    .select()
    .from(leaverEvents)
    .where(and(eq(leaverEvents.state, "received"), unleased(now), gt(leaverEvents.id, afterId)))
    .orderBy(leaverEvents.id)
    .limit(limit)
    .all();
}

/** Takes the event for `owner` while it is still `received` and nobody else holds it. */
export function claimLeaverEvent(
  db: Executor,
  id: number,
  owner: string,
  leaseMs: number,
  now: Date,
): LeaverEvent | undefined {
  return db
    .update(leaverEvents)
    .set({
      leaseOwner: owner,
      leaseExpiresAt: new Date(now.getTime() + leaseMs),
      attempts: sql`${leaverEvents.attempts} + 1`,
      updatedAt: now,
    })
    .where(
      and(
        eq(leaverEvents.id, id),
        eq(leaverEvents.state, "received"),
        or(unleased(now), eq(leaverEvents.leaseOwner, owner)),
      ),
    )
    .returning()
    .get();
}

export interface LeaverSettlement {
  state: Exclude<LeaverState, "received">;
  detail: string;
  doorflowPersonId?: number | null;
  offboardingId?: number | null;
  previous?: LeaverEvent["previous"];
}

export function settleLeaverEvent(
  db: Executor,
  id: number,
  outcome: LeaverSettlement,
  now: Date,
): LeaverEvent {
  return db
    .update(leaverEvents)
    .set({ ...outcome, processedAt: now, leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
    .where(eq(leaverEvents.id, id))
    .returning()
    .get();
}

/** Links the event to its offboarding as soon as one exists (before the DoorFlow writes). */
export function linkLeaverOffboarding(
  db: Executor,
  id: number,
  link: { doorflowPersonId: number; offboardingId: number },
  now: Date,
): void {
  db.update(leaverEvents)
    .set({ ...link, updatedAt: now })
    .where(eq(leaverEvents.id, id))
    .run();
}

/** Gives the event back (a failure before anything was decided): the next pass tries again. */
export function releaseLeaverEvent(db: Executor, id: number, owner: string, detail: string, now: Date): void {
  db.update(leaverEvents)
    .set({ leaseOwner: null, leaseExpiresAt: null, detail, updatedAt: now })
    .where(and(eq(leaverEvents.id, id), eq(leaverEvents.leaseOwner, owner)))
    .run();
}

/** True for the one caller who gets to post the security-channel summary. */
export function claimLeaverNotice(db: Executor, id: number, now: Date): boolean {
  return (
    db
      .update(leaverEvents)
      .set({ notifiedAt: now, updatedAt: now })
      .where(and(eq(leaverEvents.id, id), isNull(leaverEvents.notifiedAt)))
      .run().changes === 1
  );
}

/** The post failed: the claim is given back so a later pass posts it. */
export function releaseLeaverNotice(db: Executor, id: number): void {
  db.update(leaverEvents).set({ notifiedAt: null }).where(eq(leaverEvents.id, id)).run();
}

/** Settled events whose summary has not been posted (a failed post, a crash after settling). */
export function listUnnotifiedLeaverEvents(db: Executor, limit = 50): LeaverEvent[] {
  return db
    .select()
    .from(leaverEvents)
    .where(and(isNull(leaverEvents.notifiedAt), sql`${leaverEvents.state} <> 'received'`))
    .orderBy(leaverEvents.id)
    .limit(limit)
    .all();
}

/** The HR termination that scheduled this email's offboarding, latest first. */
export function findScheduledHrTermination(db: Executor, email: string): LeaverEvent | undefined {
  return db
    .select()
    .from(leaverEvents)
    .where(
      and(
        eq(leaverEvents.source, "hr"),
        eq(leaverEvents.signal, "terminated"),
        eq(leaverEvents.state, "scheduled"),
        sql`lower(${leaverEvents.email}) = ${email.trim().toLowerCase()}`,
      ),
    )
    .orderBy(desc(leaverEvents.id))
    .get();
}

/** Marks an HR-scheduled termination as cancelled (its offboarding was cancelled or restored). */
export function markTerminationCancelled(db: Executor, id: number, detail: string, now: Date): void {
  db.update(leaverEvents)
    .set({ state: "cancelled", detail, updatedAt: now })
    .where(eq(leaverEvents.id, id))
    .run();
}

/**
 * A Slack account's deactivation is keyed `slack:<user>:open` while it lasts, so every re-sent or
 * later `user_change` of the still-deactivated account finds it; reactivation renames the key, and
 * the next deactivation is a new event.
 */
export const slackDeactivationKey = (slackUserId: string) => `slack:${slackUserId}:open`;

export function closeSlackDeactivation(db: Executor, slackUserId: string, now: Date): boolean {
  const open = findLeaverEventByKey(db, slackDeactivationKey(slackUserId));
  if (!open) return false;
  db.update(leaverEvents)
    .set({ key: `slack:${slackUserId}:closed:${open.id}`, updatedAt: now })
    .where(eq(leaverEvents.id, open.id))
    .run();
  return true;
}

export function listRecentLeaverEvents(db: Executor, limit: number): LeaverEvent[] {
  return db
    .select()
    .from(leaverEvents)
    .orderBy(desc(leaverEvents.receivedAt), desc(leaverEvents.id))
    .limit(limit)
    .all();
}

export function countLeaverEvents(db: Executor): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(leaverEvents)
      .get()?.n ?? 0
  );
}
