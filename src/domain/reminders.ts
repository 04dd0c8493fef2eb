/**
 * Reminders 7 days and 1 day before a contract ends, sent by the daily run to the requester with
 * "Extend". Each is recorded before it is sent (one per person, kind and end date), so a rerun or a
 * second process never sends it twice, and an extension's new end date re-arms both.
 */
import { findOpenOffboardingOfManaged } from "../db/repositories/offboardings.js";
import { listActiveEndingOn } from "../db/repositories/managed-people.js";
import { type ManagedPerson, personName } from "./model.js";
import { claimReminder, type ReminderKind } from "../db/repositories/reminders.js";
import { recordAudit } from "../db/repositories/audit.js";
import { addDays, localDateOf } from "../lib/time.js";
import type { Deps } from "./deps.js";
import { describeFailure } from "./failures.js";

const KINDS: Array<{ kind: ReminderKind; days: number }> = [
  { kind: "7d", days: 7 },
  { kind: "1d", days: 1 },
];

export async function sendEndReminders(deps: Deps): Promise<number> {
  const today = localDateOf(deps.now(), deps.settings.timeZone);
  let sent = 0;
  for (const { kind, days } of KINDS) {
    const endDate = addDays(today, days);
    for (const m of listActiveEndingOn(deps.db, [endDate])) {
      if (await remindOnce(deps, m, kind, days)) sent++;
    }
  }
  return sent;
}

/**
 * One reminder, recorded before it is sent so it goes out once per person, kind and end date.
 * The daily run sends them; Buzz-in's `passes.permits.expiring` asks for one too.
 */
export async function remindOnce(
  deps: Deps,
  m: ManagedPerson,
  kind: ReminderKind,
  daysLeft: number,
): Promise<boolean> {
  if (m.kind !== "contractor" || !m.requesterId) return false;
  const endDate = m.endDate;
  if (!claimReminder(deps.db, { managedPersonId: m.id, kind, endDate }, deps.now())) return false;
  let sent = false;
  try {
    await deps.messenger.endReminder({
      requesterId: m.requesterId,
      personName: personName(m),
      email: m.email,
      company: m.company,
      endDate,
      endsAt:
        findOpenOffboardingOfManaged(deps.db, m)?.dueAt ??
        deps.settings.offboardingDueAt(endDate, m.provider),
      timeZone: deps.settings.timeZoneOf(m.provider),
      daysLeft,
      managedPersonId: m.id,
    });
    sent = true;
  } catch (error) {
    deps.logger.warn("could not send an end reminder", {
      managedPersonId: m.id,
      kind,
      error: describeFailure(error),
    });
  }
  recordAudit(deps.db, {
    at: deps.now(),
    actor: "job",
    action: `reminder.${kind}`,
    requestId: m.requestId,
    doorflowPersonId: m.doorflowPersonId,
    subjectEmail: m.email,
    subjectName: personName(m),
    outcome: "info",
    details: { endDate, requester: m.requesterId },
  });
  return sent;
}
