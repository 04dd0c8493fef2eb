/**
 * The daily job on croner: OFFBOARD_CRON in the account's time zone, never overlapping itself
 * (`protect`), plus one run at start so that a run missed while the bot was down is caught up
 * (only what is due by then is touched: every offboarding carries its own due_at).
 */
import { Cron } from "croner";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";

export interface DailyJob {
  /** Runs now unless a run is in progress (then waits for that one). */
  runNow(): Promise<void>;
  nextRun(): Date | null;
  stop(): void;
}

export function startDailyJob(options: {
  pattern: string;
  timeZone: string;
  logger: Logger;
  run: (scheduledFor: Date | null) => Promise<unknown>;
}): DailyJob {
  let current: Promise<void> | undefined;
  const runOnce = (scheduledFor: Date | null) => {
    current ??= options
      .run(scheduledFor)
      .then(() => undefined)
      .catch((error: unknown) => options.logger.error("daily job failed", { error: errorMessage(error) }))
      .finally(() => {
        current = undefined;
      });
    return current;
  };
  const cron = new Cron(
    options.pattern,
    { timezone: options.timeZone, protect: true },
    async (self: Cron) => {
      await runOnce(self.currentRun() ?? new Date());
    },
  );
  return {
    runNow: () => runOnce(null),
    nextRun: () => cron.nextRun(),
    stop: () => cron.stop(),
  };
}
