/**
 * The audit trail. Only inserts and reads live here; the table's triggers refuse any UPDATE or
 * DELETE, so the trail stays append-only whatever a future caller tries.
 */
import { and, asc, eq, gte, or, sql } from "drizzle-orm";
import type { Executor } from "../database.js";
import { auditEvents } from "../schema.js";

export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = Omit<typeof auditEvents.$inferInsert, "id">;

export function recordAudit(db: Executor, event: NewAuditEvent): AuditEvent {
  return db.insert(auditEvents).values(event).returning().get();
}

/** A person's history: by email (case-insensitive) or DoorFlow person id, oldest first. */
export function listAuditFor(
  db: Executor,
  subject: { email?: string; doorflowPersonId?: number },
  limit = 500,
): AuditEvent[] {
  const conditions = [];
  if (subject.email)
    conditions.push(sql`lower(${auditEvents.subjectEmail}) = ${subject.email.trim().toLowerCase()}`);
  if (subject.doorflowPersonId !== undefined)
    conditions.push(eq(auditEvents.doorflowPersonId, subject.doorflowPersonId));
  if (conditions.length === 0) return [];
  return db
    .select()
    .from(auditEvents)
    .where(or(...conditions))
    .orderBy(asc(auditEvents.at), asc(auditEvents.id))
    .limit(limit)
    .all();
}

/** Streams the trail since an instant in pages, so an export of years of events stays in bounded memory. */
export function* iterateAuditSince(db: Executor, since: Date, pageSize = 1000): Generator<AuditEvent> {
  let afterId = 0;
  for (;;) {
    const page = db
      .select()
      .from(auditEvents)
      .where(and(gte(auditEvents.at, since), sql`${auditEvents.id} > ${afterId}`))
      .orderBy(asc(auditEvents.id))
      .limit(pageSize)
      .all();
    yield* page;
    if (page.length < pageSize) return;
    afterId = (page[page.length - 1] as AuditEvent).id;
  }
}
