/** Reminders sent before a contract ends: one per person, kind and end date (an extension re-arms them). */
import type { Executor } from "../database.js";
import { reminders } from "../schema.js";

export type ReminderKind = "7d" | "1d";

/** Records the reminder; returns false when it was already sent (so it is not sent twice). */
export function claimReminder(
  db: Executor,
  input: { managedPersonId: number; kind: ReminderKind; endDate: string },
  now: Date,
): boolean {
  const row = db
    .insert(reminders)
    .values({ ...input, sentAt: now })
    .onConflictDoNothing()
    .returning({ id: reminders.id })
    .get();
  return row !== undefined;
}
