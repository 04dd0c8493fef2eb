/**
 * `gatehouse offboard-due [--dry-run]`: the daily job's offboarding part from a terminal. With
 * `--dry-run` it lists what is due now and at the next OFFBOARD_CRON run, and writes nothing (no
 * DoorFlow change, no Slack post, no database row). Without it, it claims and offboards what is due
 * now exactly as the job does — same leases, retries, security alerts and card reminders — so it is
 * safe to run while the bot is up.
 */
import { getOffboarding } from "../db/repositories/offboardings.js";
import { type Offboarding } from "../domain/model.js";
import type { Deps } from "../domain/deps.js";
import {
  type DueRunSummary,
  previewDueOffboardings,
  runDueOffboardings,
} from "../domain/due-offboardings.js";
import type { OffboardOutcome } from "../domain/ports.js";
import { nextCronRun } from "../jobs/schedule.js";
import { formatLocal, formatLocalDate } from "../lib/time.js";
import type { Config } from "../config.js";
import type { CliContext, CliIo } from "./context.js";
import { withBotSession } from "./session.js";

export interface OffboardDueOptions {
  dryRun: boolean;
  /** Injected clock (tests). */
  now?: () => Date;
}

export async function offboardDue(context: CliContext, options: OffboardDueOptions): Promise<number> {
  // The real run posts alerts and card reminders like the bot, so it reads the bot's whole configuration.
  return withBotSession(
    context,
    async (deps, config) => {
      if (options.dryRun) {
        printPreview(context.io, deps, config);
        return 0;
      }
      const summary = await runDueOffboardings(deps);
      // The batch's sync must reach DoorFlow before the process exits; a 429 leaves it to the bot.
      await deps.sync.idle();
      printSummary(context.io, deps, summary);
      return summary.failed > 0 ? 1 : 0;
    },
    { now: options.now },
  );
}

function printPreview(io: CliIo, deps: Deps, config: Config): void {
  const zone = deps.settings.timeZone;
  const now = deps.now();
  io.out(`Dry run: nothing is changed. Account time zone ${zone}, OFFBOARD_CRON "${config.offboardCron}".`);
  const dueNow = previewDueOffboardings(deps);
  if (dueNow.length === 0) io.out("Due now: nobody.");
  else {
    io.out(`Due now (${dueNow.length}), offboarded by \`gatehouse offboard-due\` or the next run:`);
    for (const o of dueNow) io.out(`  - ${describe(o, zone)}`);
  }
  const next = nextCronRun(config.offboardCron, zone, now);
  if (!next) {
    io.out(`OFFBOARD_CRON never runs again: nothing is offboarded by the job.`);
    return;
  }
  const nowIds = new Set(dueNow.map((o) => o.id));
  const more = previewDueOffboardings(deps, next).filter((o) => !nowIds.has(o.id));
  const at = formatLocal(next, zone);
  if (more.length === 0) {
    io.out(`Next run ${at}: ${dueNow.length === 0 ? "nothing due" : "only what is due now"}.`);
    return;
  }
  io.out(
    `Next run ${at}: ${dueNow.length === 0 ? "" : `what is due now and `}${more.length} more falling due by then:`,
  );
  for (const o of more) io.out(`  - ${describe(o, zone)}`);
}

/** One line per offboarding: who, their last day and due time in the account zone, and any earlier failure. */
function describe(o: Offboarding, zone: string): string {
  const who = `${o.personName}${o.email ? ` <${o.email}>` : ""}`;
  const where =
    o.doorflowPersonId !== null ? `DoorFlow person ${o.doorflowPersonId}` : `request ${o.requestId ?? "?"}`;
  const parts = [
    `${who} (${where})`,
    `last day ${formatLocalDate(o.lastDay)}`,
    `due ${formatLocal(o.dueAt, zone)}`,
  ];
  if (o.attempts > 0) {
    parts.push(
      `${o.attempts} failed attempt(s), last error: ${o.lastError ?? "unknown"}` +
        (o.nextAttemptAt ? `; retried from ${formatLocal(o.nextAttemptAt, zone)}` : ""),
    );
  }
  return parts.join(" · ");
}

function outcomeText(outcome: OffboardOutcome | null): string {
  if (!outcome) return "not in DoorFlow (the person was never created)";
  const removed = outcome.removed.groupReservations + outcome.removed.reservations;
  const access = removed > 0 ? `, ${removed} reservation(s) ended` : "";
  switch (outcome.status) {
    case "offboarded":
      return `offboarded and verified${access}`;
    case "already_disabled":
      return `already disabled, verified${access}`;
    case "not_found":
      return "not in DoorFlow any more";
    case "failed":
      return outcome.error ?? "unknown error";
  }
}

function printSummary(io: CliIo, deps: Deps, summary: DueRunSummary): void {
  if (summary.claimed === 0) {
    io.out("Nothing is due.");
    return;
  }
  const zone = deps.settings.timeZone;
  for (const { offboarding, outcome } of summary.outcomes) {
    const who = `${offboarding.personName}${offboarding.email ? ` <${offboarding.email}>` : ""}`;
    // The row as the run left it says whether it counted as done; the outcome alone cannot tell
    // "never created" from "lost".
    const after = getOffboarding(deps.db, offboarding.id);
    if (after?.status === "completed") io.out(`  ✓ ${who}: ${outcomeText(outcome)}`);
    else {
      const retry = after?.nextAttemptAt ? `; retried from ${formatLocal(after.nextAttemptAt, zone)}` : "";
      io.out(`  ✗ ${who}: ${after?.lastError ?? outcomeText(outcome)}${retry}`);
    }
  }
  io.out(
    `${summary.claimed} due: ${summary.completed} done, ${summary.failed} failed.` +
      (summary.failed > 0
        ? ` Each failure is alerted once in the security channel and retried by the daily job.`
        : ""),
  );
}
