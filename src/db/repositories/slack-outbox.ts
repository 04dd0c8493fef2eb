/**
 * The Slack outbox's rows (see `slackOutbox` in schema.ts). Delivery is in id order: the head — the
 * oldest pending row — is claimed with a lease inside one immediate transaction, so two processes
 * on one database never send the same row at once, and a head waiting out its backoff holds the
 * rows behind it (an edit never overtakes the post it edits).
 */
import { and, asc, eq, lt } from "drizzle-orm";
import { type Database, type Executor, inTransaction } from "../database.js";
import { slackOutbox } from "../schema.js";
import type { OutboxEntry, OutboxMessage } from "../../domain/model.js";
import { rowIs } from "../rows.js";
import { getAccessRequest, setApprovalMessage } from "./access-requests.js";
import { getAlert, setAlertMessage } from "./alerts.js";
import { getExtension, updateExtension } from "./extensions.js";
import { getManagedPerson, updateManagedPerson } from "./managed-people.js";

rowIs<typeof slackOutbox.$inferSelect, OutboxEntry>(true);
type OutboxRow = OutboxEntry;

interface NewOutboxRow {
  kind: "post" | "update";
  channel: string | null;
  targetTs?: string | null;
  ref?: string | null;
  message: OutboxMessage;
}

function enqueueOutbox(db: Executor, row: NewOutboxRow, now: Date): OutboxRow {
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
function hasOutboxPost(db: Executor, ref: string): boolean {
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
function claimOutboxHead(db: Executor, owner: string, leaseMs: number, now: Date): OutboxRow | undefined {
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
function nextOutboxAttempt(db: Executor): Date | undefined {
  return db
    .select({ at: slackOutbox.nextAttemptAt })
    .from(slackOutbox)
    .where(eq(slackOutbox.status, "pending"))
    .orderBy(asc(slackOutbox.id))
    .limit(1)
    .get()?.at;
}

function markOutboxSent(
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

function markOutboxRetry(
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
function markOutboxFailed(db: Executor, row: OutboxRow, error: string): void {
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
function pruneOutbox(db: Executor, before: Date): number {
  return db
    .delete(slackOutbox)
    .where(and(eq(slackOutbox.status, "sent"), lt(slackOutbox.sentAt, before)))
    .run().changes;
}

/**
 * The Slack outbox's OutboxStore (src/domain/ports.ts) over this table, and the records a posted
 * message's ts goes to: the alert, the request's or extension's approval message, the card notice.
 */
export function createOutboxStore(db: Database) {
  const split = (ref: string | null) => {
    const [kind, ...rest] = (ref ?? "").split(":");
    return { kind, id: rest.join(":") };
  };
  const recordRef = (tx: Executor, ref: string | null, channel: string, ts: string, now: Date) => {
    const { kind, id } = split(ref);
    if (kind === "alert") setAlertMessage(tx, id, channel, ts);
    else if (kind === "request") setApprovalMessage(tx, id, channel, ts, now);
    else if (kind === "extension")
      updateExtension(tx, id, { approvalChannelId: channel, approvalTs: ts }, now);
    else if (kind === "card" && Number.isSafeInteger(Number(id)))
      updateManagedPerson(tx, Number(id), { cardNoticeChannelId: channel, cardNoticeTs: ts }, now);
  };
  return {
    enqueue: (tx: Executor, entry: NewOutboxRow, now: Date): void => void enqueueOutbox(tx, entry, now),
    hasPost: (tx: Executor, ref: string): boolean => hasOutboxPost(tx, ref),
    claimHead: (owner: string, leaseMs: number, now: Date): OutboxEntry | undefined =>
      inTransaction(db, (tx) => claimOutboxHead(tx, owner, leaseMs, now)),
    markSent(entry: OutboxEntry, sent: { channel: string | null; ts: string | null }, now: Date): void {
      inTransaction(db, (tx) => {
        markOutboxSent(tx, entry.id, sent, now);
        if (entry.kind === "post" && sent.channel && sent.ts)
          recordRef(tx, entry.ref, sent.channel, sent.ts, now);
      });
    },
    markRetry: (entry: OutboxEntry, failure: { error: string; nextAttemptAt: Date }): void =>
      markOutboxRetry(db, entry, failure),
    markFailed: (entry: OutboxEntry, error: string): void => markOutboxFailed(db, entry, error),
    nextAttempt: (): Date | undefined => nextOutboxAttempt(db),
    prune: (before: Date): number => pruneOutbox(db, before),
    messageOf(ref: string): { channel: string; ts: string } | undefined {
      const { kind, id } = split(ref);
      if (kind === "alert") {
        const a = getAlert(db, id);
        return a?.ts ? { channel: a.channelId, ts: a.ts } : undefined;
      }
      if (kind === "request") {
        const r = getAccessRequest(db, id);
        return r?.approvalChannelId && r.approvalTs
          ? { channel: r.approvalChannelId, ts: r.approvalTs }
          : undefined;
      }
      if (kind === "card") {
        const m = Number.isSafeInteger(Number(id)) ? getManagedPerson(db, Number(id)) : undefined;
        return m?.cardNoticeChannelId && m.cardNoticeTs
          ? { channel: m.cardNoticeChannelId, ts: m.cardNoticeTs }
          : undefined;
      }
      if (kind === "extension") {
        const e = getExtension(db, id);
        return e?.approvalChannelId && e.approvalTs
          ? { channel: e.approvalChannelId, ts: e.approvalTs }
          : undefined;
      }
      return undefined;
    },
  };
}
