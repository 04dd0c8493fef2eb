/** Audit events about an access request: who did what to whom, when, with what outcome. Never a PIN. */
import type { Executor } from "../db/database.js";
import type { AccessRequest } from "./model.js";
import { recordAudit } from "../db/repositories/audit.js";
import { personName } from "./model.js";

export function auditRequest(
  db: Executor,
  request: AccessRequest,
  event: {
    actor: string;
    action: string;
    outcome?: "ok" | "failed" | "info";
    details?: Record<string, unknown>;
  },
  now: Date,
): void {
  recordAudit(db, {
    at: now,
    actor: event.actor,
    action: event.action,
    outcome: event.outcome ?? "ok",
    requestId: request.id,
    doorflowPersonId: request.doorflowPersonId,
    subjectEmail: request.email,
    subjectName: personName(request),
    details: event.details ?? null,
  });
}
