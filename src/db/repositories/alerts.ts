/**
 * Alerts already posted to the security channel, keyed by what they are about (for example
 * `offboarding:42`). Claiming the key before posting makes "posted once" hold across runs and
 * processes; resolving edits the same message.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../database.js";
import { alerts } from "../schema.js";
import type { Alert } from "../../domain/model.js";
import { rowIs } from "../rows.js";

rowIs<typeof alerts.$inferSelect, Alert>(true);

/**
 * Returns `{ created: true }` for the first caller with this key, who must post it; later callers
 * get the existing alert and post nothing. A resolved alert with the same key is reopened so that a
 * new failure after a success is reported again (once).
 */
export function claimAlert(
  db: Executor,
  input: { key: string; kind: string; channelId: string; summary: string },
  now: Date,
): { created: boolean; alert: Alert } {
  const inserted = db
    .insert(alerts)
    .values({ ...input, status: "open", createdAt: now })
    .onConflictDoNothing({ target: alerts.key })
    .returning()
    .get();
  if (inserted) return { created: true, alert: inserted };
  const reopened = db
    .update(alerts)
    .set({ status: "open", summary: input.summary, ts: null, resolvedAt: null, createdAt: now })
    .where(and(eq(alerts.key, input.key), eq(alerts.status, "resolved")))
    .returning()
    .get();
  if (reopened) return { created: true, alert: reopened };
  return { created: false, alert: getAlert(db, input.key) as Alert };
}

export function getAlert(db: Executor, key: string): Alert | undefined {
  return db.select().from(alerts).where(eq(alerts.key, key)).get();
}

export function setAlertMessage(db: Executor, key: string, channelId: string, ts: string): void {
  db.update(alerts).set({ channelId, ts }).where(eq(alerts.key, key)).run();
}

/** Marks the alert resolved; returns it when it was open (so the caller edits the message once). */
export function resolveAlert(db: Executor, key: string, now: Date): Alert | undefined {
  return db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: now })
    .where(and(eq(alerts.key, key), eq(alerts.status, "open")))
    .returning()
    .get();
}

export function listOpenAlerts(db: Executor, limit = 50): Alert[] {
  return db
    .select()
    .from(alerts)
    .where(eq(alerts.status, "open"))
    .orderBy(desc(alerts.createdAt))
    .limit(limit)
    .all();
}
