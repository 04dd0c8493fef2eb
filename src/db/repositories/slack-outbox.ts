/**
 * The Slack outbox's rows (see `slackOutbox` in schema.ts). Delivery is in id order: the head — the
 * oldest pending row — is claimed with a lease inside one immediate transaction, so two processes
 * on one database never send the same row at once, and a head waiting out its backoff holds the
 * rows behind it (an edit never overtakes the post it edits).
 */
import { and, asc, eq, lt } from "drizzle-orm";
import type { Executor } from "../database.js";
import { type OutboxMessage, slackOutbox } from "../schema.js";

export type OutboxRow = typeof slackOutbox.$inferSelect;

export interface NewOutboxRow {
  kind: "post" | "update";
  channel: string | null;
  targetTs?: string | null;
  ref?: string | null;
  message: OutboxMessage;
}

export function enqueueOutbox(db: Executor, row: NewOutboxRow, now: Date): OutboxRow {
  // Only the newest edit of a message matters: older ones not yet being sent are dropped.
  if (row.kind === "update" && row.ref) {
    db.delete(slackOutbox)
      .where(
        and(
          eq(slackOutbox.kind, "update"),
          eq(slackOutbox.ref, row.ref),
          eq(slackOutbox.status, "pending"),
          eq(slackOutbox.attempts, 0),
        ),
      )
      .run();
  }
  return db
    .insert(slackOutbox)
    .values({ ...row, status: "pending", nextAttemptAt: now, createdAt: now })
    .returning()
    .get();
}

/** Whether a post for `ref` was ever queued (pending, sent or failed). */
export function hasOutboxPost(db: Executor, ref: string): boolean {
  return (
    db
      .select({ id: slackOutbox.id })
      .from(slackOutbox)
      .where(and(eq(slackOutbox.kind, "post"), eq(slackOutbox.ref, ref)))
      .limit(1)
      .get() !== undefined
  );
}

/**
 * The oldest pending row, leased to `owner`, when it may be sent now: not waiting out a backoff and
 * not leased to a live process. Call inside `inTransaction`.
 */
export function claimOutboxHead(
  db: Executor,
  owner: string,
  leaseMs: number,
  now: Date,
): OutboxRow | undefined {
  const head = db
    .select()
    .from(slackOutbox)
    .where(eq(slackOutbox.status, "pending"))
    .orderBy(asc(slackOutbox.id))
    .limit(1)
    .get();
  if (!head) return undefined;
  if (head.nextAttemptAt.getTime() > now.getTime()) return undefined;
  const leased = head.leaseExpiresAt !== null && head.leaseExpiresAt.getTime() > now.getTime();
  if (leased && head.leaseOwner !== owner) return undefined;
  return db
    .update(slackOutbox)
    .set({ leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs) })
    .where(eq(slackOutbox.id, head.id))
    .returning()
    .get();
}

/** When the head may next be tried, if something is pending. */
export function nextOutboxAttempt(db: Executor): Date | undefined {
  return db
    .select({ at: slackOutbox.nextAttemptAt })
    .from(slackOutbox)
    .where(eq(slackOutbox.status, "pending"))
    .orderBy(asc(slackOutbox.id))
    .limit(1)
    .get()?.at;
}

export function markOutboxSent(
  db: Executor,
  id: number,
  sent: { channel: string | null; ts: string | null },
  now: Date,
): void {
  db.update(slackOutbox)
    .set({
      status: "sent",
      sentTs: sent.ts,
      channel: sent.channel,
      sentAt: now,
      lastError: null,
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .where(eq(slackOutbox.id, id))
    .run();
}

export function markOutboxRetry(
  db: Executor,
  row: OutboxRow,
  failure: { error: string; nextAttemptAt: Date },
): void {
  db.update(slackOutbox)
    .set({
      attempts: row.attempts + 1,
      lastError: failure.error,
      nextAttemptAt: failure.nextAttemptAt,
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .where(eq(slackOutbox.id, row.id))
    .run();
}

/** Slack refused this message for good (the channel is gone, the blocks are invalid…). */
export function markOutboxFailed(db: Executor, row: OutboxRow, error: string): void {
  db.update(slackOutbox)
    .set({
      status: "failed",
      attempts: row.attempts + 1,
      lastError: error,
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .where(eq(slackOutbox.id, row.id))
    .run();
}

/** Sent rows older than `before` are of no further use. */
export function pruneOutbox(db: Executor, before: Date): number {
  return db
    .delete(slackOutbox)
    .where(and(eq(slackOutbox.status, "sent"), lt(slackOutbox.sentAt, before)))
    .run().changes;
}
