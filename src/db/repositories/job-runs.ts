/** Runs of the scheduled jobs: what ran when, so a run missed while the bot was down is caught up. */
import { eq } from "drizzle-orm";
import type { Executor } from "../database.js";
import { jobRuns } from "../schema.js";

export type JobRun = typeof jobRuns.$inferSelect;

export function startJobRun(
  db: Executor,
  job: string,
  scheduledFor: Date | null,
  now: Date,
  owner: string | null = null,
): JobRun {
  return db
    .insert(jobRuns)
    .values({ job, scheduledFor, startedAt: now, status: "running", owner })
    .returning()
    .get();
}

export function finishJobRun(
  db: Executor,
  id: number,
  outcome: { status: "completed" | "failed"; summary: Record<string, unknown> },
  now: Date,
): void {
  db.update(jobRuns)
    .set({ ...outcome, finishedAt: now })
    .where(eq(jobRuns.id, id))
    .run();
}
