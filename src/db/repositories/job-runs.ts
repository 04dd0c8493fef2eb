/** Runs of the scheduled jobs: what ran when, so a run missed while the bot was down is caught up. */
import { and, desc, eq } from "drizzle-orm";
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

export function lastCompletedRun(db: Executor, job: string): JobRun | undefined {
  return db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.status, "completed")))
    .orderBy(desc(jobRuns.startedAt))
    .limit(1)
    .get();
}
