/**
 * The audit trail for auditors: every event since a day, as CSV or JSON lines, written line by line
 * so an export of years stays in bounded memory. No event holds a PIN (none is ever recorded).
 */
import type { Executor } from "../db/database.js";
import { type AuditEvent, iterateAuditSince, listAuditFor } from "../db/repositories/audit.js";

export type AuditFormat = "csv" | "jsonl";

const COLUMNS = [
  "id",
  "at",
  "actor",
  "action",
  "outcome",
  "subject_name",
  "subject_email",
  "doorflow_person_id",
  "request_id",
  "details",
] as const;

function row(e: AuditEvent): Record<(typeof COLUMNS)[number], string | number | null> {
  return {
    id: e.id,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    outcome: e.outcome,
    subject_name: e.subjectName,
    subject_email: e.subjectEmail,
    doorflow_person_id: e.doorflowPersonId,
    request_id: e.requestId,
    details: e.details ? JSON.stringify(e.details) : null,
  };
}

/**
 * A text cell a spreadsheet could read as a formula: =, +, - or @ first, or TAB, CR or NUL, which
 * some spreadsheets skip before looking for the sign (OWASP ASVS 1.2.10,
 * https://asvs.emil.hemdal.se/1.2.10).
 */
const FORMULA_START = /^[=+\-@\t\r\0]/;

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes. A text cell that could start a formula is prefixed with ' so a spreadsheet shows it as text. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function exportAudit(
  db: Executor,
  options: { since: Date; format: AuditFormat },
  write: (line: string) => void,
): number {
  let count = 0;
  if (options.format === "csv") write(COLUMNS.join(","));
  for (const event of iterateAuditSince(db, options.since)) {
    const r = row(event);
    write(options.format === "csv" ? COLUMNS.map((c) => csvField(r[c])).join(",") : JSON.stringify(r));
    count++;
  }
  return count;
}

export interface AuditLine {
  at: Date;
  actor: string;
  action: string;
  outcome: string;
  details: Record<string, unknown> | null;
}

/** A person's history for `/contractor audit <email>`, oldest first. */
export function personHistory(db: Executor, email: string): AuditLine[] {
  return listAuditFor(db, { email }).map((e) => ({
    at: e.at,
    actor: e.actor,
    action: e.action,
    outcome: e.outcome,
    details: e.details ?? null,
  }));
}
