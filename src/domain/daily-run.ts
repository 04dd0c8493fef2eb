/**
 * The daily run (OFFBOARD_CRON in the account zone, and once at start to catch up a run missed
 * while the bot was down): offboard what is due, remind before contracts end, expire pending
 * requests, forget webhook delivery ids past their retention. Each part runs even if another
 * failed; the run is recorded in job_runs.
 */
import { finishJobRun, startJobRun } from "../db/repositories/job-runs.js";
import {
  pruneWebhookDeliveries,
  WEBHOOK_DELIVERY_RETENTION_DAYS,
} from "../db/repositories/webhook-deliveries.js";
import { errorMessage } from "../lib/errors.js";
import type { Deps } from "./deps.js";
import { runDueOffboardings, scheduleMissingOffboardings } from "./due-offboardings.js";
import { sendEndReminders } from "./reminders.js";
import { expirePending } from "./requests.js";

const DAILY_JOB = "daily";

export interface DailyRunSummary {
  scheduledMissing: number;
  offboarded: number;
  offboardingsFailed: number;
  reminders: number;
  expired: number;
  deliveriesPruned: number;
  errors: string[];
}

export async function runDailyJob(deps: Deps, scheduledFor: Date | null): Promise<DailyRunSummary> {
  const run = startJobRun(deps.db, DAILY_JOB, scheduledFor, deps.now(), deps.processId);
  const summary: DailyRunSummary = {
    scheduledMissing: 0,
    offboarded: 0,
    offboardingsFailed: 0,
    reminders: 0,
    expired: 0,
    deliveriesPruned: 0,
    errors: [],
  };
  const part = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      summary.errors.push(`${name}: ${errorMessage(error)}`);
      deps.logger.error("daily run part failed", { part: name, error: errorMessage(error) });
    }
  };
  await part("schedule", async () => {
    summary.scheduledMissing = scheduleMissingOffboardings(deps);
  });
  await part("offboard", async () => {
    const due = await runDueOffboardings(deps);
    summary.offboarded = due.completed;
    summary.offboardingsFailed = due.failed;
  });
  await part("reminders", async () => {
    summary.reminders = await sendEndReminders(deps);
  });
  await part("expire", async () => {
    summary.expired = (await expirePending(deps)).length;
  });
  await part("prune", async () => {
    const cutoff = new Date(deps.now().getTime() - WEBHOOK_DELIVERY_RETENTION_DAYS * 24 * 3600_000);
    summary.deliveriesPruned = pruneWebhookDeliveries(deps.db, cutoff);
  });
  finishJobRun(
    deps.db,
    run.id,
    { status: summary.errors.length ? "failed" : "completed", summary: { ...summary } },
    deps.now(),
  );
  deps.logger.info("daily run finished", { ...summary });
  return summary;
}
