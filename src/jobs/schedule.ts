/** croner is imported only under src/jobs/. */
import { Cron } from "croner";

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
