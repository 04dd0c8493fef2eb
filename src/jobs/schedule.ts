/** croner is imported only under src/jobs/. */
import { Cron } from "croner";
import { type LocalDate, startOfLocalDay } from "../lib/time.js";

/** Whether `pattern` is a cron expression croner accepts. */
export function isValidCron(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

/** The next run of `pattern` strictly after `after`, evaluated in `timeZone`. */
export function nextCronRun(pattern: string, timeZone: string, after: Date): Date | null {
  const cron = new Cron(pattern, { paused: true, timezone: timeZone });
  try {
    return cron.nextRun(after);
  } finally {
    cron.stop();
  }
}

/**
 * When an offboarding for `lastDay` falls due: the first run of `pattern` on that day in the
 * account zone (17:00 by default), not before. A pattern that does not fire on that day gives its
 * next run after the day began.
 */
export function offboardingDueAt(pattern: string, timeZone: string, lastDay: LocalDate): Date {
  const dayStart = startOfLocalDay(lastDay, timeZone);
  const next = nextCronRun(pattern, timeZone, new Date(dayStart.getTime() - 1));
  if (!next) throw new Error(`OFFBOARD_CRON "${pattern}" never runs again`);
  return next;
}
