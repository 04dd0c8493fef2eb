/**
 * Reads the tests make to check what the bot stored, and the bot itself never makes: kept here so
 * the repositories hold only what production code calls.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../src/db/database.js";
import type { AuditEvent } from "../../src/db/repositories/audit.js";
import type { LeaverEvent, OutboxEntry as OutboxRow } from "../../src/domain/model.js";
import { auditEvents, leaverEvents, slackOutbox } from "../../src/db/schema.js";

export function listAuditForRequest(db: Executor, requestId: string): AuditEvent[] {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, requestId))
    .orderBy(asc(auditEvents.id))
    .all();
}

export function getLeaverEvent(db: Executor, id: number): LeaverEvent | undefined {
  return db.select().from(leaverEvents).where(eq(leaverEvents.id, id)).get();
}

export function listOutbox(
  db: Executor,
  statuses: Array<OutboxRow["status"]> = ["pending", "failed"],
): OutboxRow[] {
  return db
    .select()
    .from(slackOutbox)
    .where(inArray(slackOutbox.status, statuses))
    .orderBy(asc(slackOutbox.id))
    .all();
}
