/**
 * The leases on access requests (provisioning), offboardings and leaver events, seen together: who holds one that
 * has not lapsed yet, and ending the leases of owners known to be gone so their rows are taken up at
 * once instead of after the lease's full length (src/wiring/lease-owner.ts decides who is gone).
 * A job run is held by its process the same way: a gone owner's run that still says "running" was
 * killed part-way and is marked abandoned.
 */
import { and, eq, gt, inArray, isNotNull, isNull, lte, or } from "drizzle-orm";
import type { Executor } from "../database.js";
import {
  accessRequests,
  buzzinPermits,
  jobRuns,
  leaverEvents,
  offboardings,
  slackOutbox,
} from "../schema.js";

/** A run recorded without its process (before runs named it) and older than this is over. */
const UNNAMED_RUN_ABANDONED_AFTER_MS = 60 * 60_000;

/** Distinct owners of leases still running at `now`. */
export function liveLeaseOwners(db: Executor, now: Date): string[] {
  const owners = new Set<string>();
  for (const table of [accessRequests, offboardings, leaverEvents, slackOutbox]) {
    const rows = db
      .selectDistinct({ owner: table.leaseOwner })
      .from(table)
      .where(and(isNotNull(table.leaseOwner), gt(table.leaseExpiresAt, now)))
      .all();
    for (const row of rows) if (row.owner) owners.add(row.owner);
  }
  const runs = db
    .selectDistinct({ owner: jobRuns.owner })
    .from(jobRuns)
    .where(and(eq(jobRuns.status, "running"), isNotNull(jobRuns.owner)))
    .all();
  for (const row of runs) if (row.owner) owners.add(row.owner);
  // A Buzz-in pass whose code a process was sending to the requester when it stopped.
  const sending = db
    .selectDistinct({ owner: buzzinPermits.passSendingOwner })
    .from(buzzinPermits)
    .where(and(isNotNull(buzzinPermits.passSendingOwner), gt(buzzinPermits.passSendingUntil, now)))
    .all();
  for (const row of sending) if (row.owner) owners.add(row.owner);
  return [...owners];
}

/**
 * Lets the running leases of `owners` lapse at `now`; the rows keep their state, so the next claim
 * (provisioning retries, the due-offboarding run) resumes them exactly as after a lapse.
 */
export function expireLeasesOf(
  db: Executor,
  owners: string[],
  now: Date,
): { requests: number; offboardings: number; leavers: number; jobRuns: number } {
  const abandoned = db
    .update(jobRuns)
    .set({ status: "abandoned", finishedAt: now })
    .where(
      and(
        eq(jobRuns.status, "running"),
        or(
          owners.length > 0 ? inArray(jobRuns.owner, owners) : undefined,
          and(
            isNull(jobRuns.owner),
            lte(jobRuns.startedAt, new Date(now.getTime() - UNNAMED_RUN_ABANDONED_AFTER_MS)),
          ),
        ),
      ),
    )
    .run().changes;
  if (owners.length === 0) return { requests: 0, offboardings: 0, leavers: 0, jobRuns: abandoned };
  const requests = db
    .update(accessRequests)
    .set({ leaseExpiresAt: now, updatedAt: now })
    .where(and(inArray(accessRequests.leaseOwner, owners), gt(accessRequests.leaseExpiresAt, now)))
    .run().changes;
  const offboarded = db
    .update(offboardings)
    .set({ leaseExpiresAt: now, updatedAt: now })
    .where(and(inArray(offboardings.leaseOwner, owners), gt(offboardings.leaseExpiresAt, now)))
    .run().changes;
  db.update(buzzinPermits)
    .set({ passSendingUntil: now })
    .where(and(inArray(buzzinPermits.passSendingOwner, owners), gt(buzzinPermits.passSendingUntil, now)))
    .run();
  const leavers = db
    .update(leaverEvents)
    .set({ leaseExpiresAt: now, updatedAt: now })
    .where(and(inArray(leaverEvents.leaseOwner, owners), gt(leaverEvents.leaseExpiresAt, now)))
    .run().changes;
  // A Slack message a gone process was sending is sent again (Slack may have it already).
  db.update(slackOutbox)
    .set({ leaseExpiresAt: now })
    .where(and(inArray(slackOutbox.leaseOwner, owners), gt(slackOutbox.leaseExpiresAt, now)))
    .run();
  return { requests, offboardings: offboarded, leavers, jobRuns: abandoned };
}
