/**
 * The daily run's offboarding half: every offboarding whose due_at has passed (contract ends and
 * employees' last days) is claimed with a lease, offboarded, verified, and marked completed or
 * failed. A failure is alerted once with a Retry button and retried with backoff on later runs; a
 * later success marks that alert resolved.
 */
import { inTransaction } from "../db/database.js";
import { claimAlert, resolveAlert } from "../db/repositories/alerts.js";
import { findManagedByDoorFlowId, listActiveManaged } from "../db/repositories/managed-people.js";
import {
  claimDueOffboardings,
  claimOffboarding,
  completeOffboarding,
  failOffboarding,
  findDueOffboardings,
  findOpenOffboardingOfManaged,
  scheduleOffboarding,
} from "../db/repositories/offboardings.js";
import { type Offboarding, personName } from "./model.js";
import { type OffboardingReason, PROVIDERS } from "./model.js";
import { localDateOf } from "../lib/time.js";
import type { Deps } from "./deps.js";
import { isOffboarded } from "./providers/doorflow/offboard.js";
import type { AlertLine, OffboardOutcome } from "./ports.js";
import { providerFor } from "./providers/index.js";

/** Long enough for a run of 1,000 people; a crashed run's offboardings are taken up after it. */
const LEASE_MS = 30 * 60_000;

/** About 5 min, 15 min, then hourly (product.md). */
function offboardingBackoffMs(attempts: number): number {
  return ([5, 15][attempts - 1] ?? 60) * 60_000;
}

export interface DueRunSummary {
  claimed: number;
  completed: number;
  failed: number;
  outcomes: Array<{ offboarding: Offboarding; outcome: OffboardOutcome | null; error?: string }>;
}

/** What the next run would do, without doing it (`gatehouse offboard-due --dry-run`). */
export function previewDueOffboardings(deps: Pick<Deps, "db" | "now">, at?: Date): Offboarding[] {
  return findDueOffboardings(deps.db, at ?? deps.now());
}

/**
 * A contract Gatehouse manages whose end date has passed must have an offboarding; one missing
 * (a row written by hand, a bug) is scheduled now rather than leaving access without an end.
 */
export function scheduleMissingOffboardings(deps: Deps): number {
  const today = localDateOf(deps.now(), deps.settings.timeZone);
  let added = 0;
  for (const m of listActiveManaged(deps.db)) {
    if (m.endDate > today || m.kind === "employee") continue;
    if (findOpenOffboardingOfManaged(deps.db, m)) continue;
    scheduleOffboarding(
      deps.db,
      {
        provider: m.provider,
        doorflowPersonId: m.doorflowPersonId,
        requestId: null,
        managedPersonId: m.id,
        personName: personName(m),
        email: m.email,
        reason: "contract_end",
        lastDay: m.endDate,
        dueAt: deps.settings.offboardingDueAt(m.endDate, m.provider),
        requestedBy: "job",
      },
      deps.now(),
    );
    added++;
  }
  return added;
}

export async function runDueOffboardings(
  deps: Deps,
  options: { only?: number } = {},
): Promise<DueRunSummary> {
  const now = deps.now();
  const claimed =
    options.only !== undefined
      ? [claimOffboarding(deps.db, options.only, deps.processId, LEASE_MS, now)].filter(
          (o): o is Offboarding => !!o,
        )
      : inTransaction(deps.db, (tx) => claimDueOffboardings(tx, deps.processId, LEASE_MS, now));
  const summary: DueRunSummary = { claimed: claimed.length, completed: 0, failed: 0, outcomes: [] };
  if (claimed.length === 0) return summary;

  const results = (
    await Promise.all(
      PROVIDERS.map((id) => providerFor(deps, id).offboard(claimed.filter((o) => o.provider === id))),
    )
  ).flat();

  for (const { offboarding: o, outcome, error } of results) {
    if (error === undefined) {
      completeOffboarding(deps.db, o.id, deps.processId, deps.now());
      summary.completed++;
      await resolveOffboardingAlert(deps, o);
    } else {
      const next = new Date(deps.now().getTime() + offboardingBackoffMs(o.attempts + 1));
      failOffboarding(deps.db, o.id, deps.processId, { error, nextAttemptAt: next }, deps.now());
      summary.failed++;
      await alertOffboardingFailure(deps, o, error);
    }
    summary.outcomes.push({ offboarding: o, outcome, error });
  }
  return summary;
}

/**
 * Offboardings about to be carried out at once (bulk): recorded as due now and claimed before the
 * first DoorFlow write, so that a crash part-way leaves them to the restarted process's catch-up
 * instead of leaving someone disabled with their reservations still live. A person whose
 * offboarding another process holds right now is left out (that process finishes it).
 */
export function claimOffboardingsNow(
  deps: Deps,
  people: Array<{ personId: number; name: string; email: string | null }>,
  by: { reason: OffboardingReason; actor: string },
): Map<number, Offboarding> {
  const now = deps.now();
  const lastDay = localDateOf(now, deps.settings.timeZone);
  return inTransaction(deps.db, (tx) => {
    const claimed = new Map<number, Offboarding>();
    for (const p of people) {
      const row = scheduleOffboarding(
        tx,
        {
          doorflowPersonId: p.personId,
          managedPersonId: findManagedByDoorFlowId(tx, p.personId)?.id ?? null,
          personName: p.name,
          email: p.email,
          reason: by.reason,
          lastDay,
          dueAt: now,
          requestedBy: by.actor,
        },
        now,
      );
      const mine = claimOffboarding(tx, row.id, deps.processId, LEASE_MS, now);
      if (mine) claimed.set(p.personId, mine);
    }
    return claimed;
  });
}

/**
 * How an offboarding from `claimOffboardingsNow` ended, settled as the job settles its own: a
 * failure is alerted once (the job's retries with backoff find the alert and stay quiet), a success
 * resolves an alert an earlier attempt posted.
 */
export async function settleClaimedOffboarding(
  deps: Deps,
  o: Offboarding,
  outcome: OffboardOutcome,
): Promise<void> {
  if (isOffboarded(outcome)) {
    completeOffboarding(deps.db, o.id, deps.processId, deps.now());
    await resolveOffboardingAlert(deps, o);
    return;
  }
  const error = outcome.error ?? "unknown error";
  const next = new Date(deps.now().getTime() + offboardingBackoffMs(o.attempts + 1));
  failOffboarding(deps.db, o.id, deps.processId, { error, nextAttemptAt: next }, deps.now());
  await alertOffboardingFailure(deps, o, error);
}

const alertKey = (o: Offboarding) => `offboarding:${o.id}`;

async function alertOffboardingFailure(deps: Deps, o: Offboarding, error: string): Promise<void> {
  // Claimed and queued in one transaction: the alert is owed (and delivered) exactly once.
  inTransaction(deps.db, (tx) => {
    const claim = claimAlert(
      tx,
      {
        key: alertKey(o),
        kind: "offboarding_failed",
        channelId: deps.settings.securityChannelId,
        summary: `${o.personName}: ${error}`,
      },
      deps.now(),
    );
    if (!claim.created) return;
    void deps.messenger.securityAlert(
      {
        title: `Offboarding ${o.personName} failed`,
        lines: offboardingLines(o, error),
        retry: { actionValue: String(o.id) },
      },
      { alertKey: claim.alert.key, tx },
    );
  });
}

function offboardingLines(o: Offboarding, error: string): AlertLine[] {
  return [
    {
      label: "Person",
      text: `${o.personName}${o.email ? ` (${o.email})` : ""}${o.doorflowPersonId ? `, DoorFlow person ${o.doorflowPersonId}` : ""}`,
    },
    { label: "Last day", text: o.lastDay },
    { label: "Error", text: error },
    {
      text: `Gatehouse retries after about 5 minutes, 15 minutes, then hourly. ${
        o.provider === "buzzin"
          ? "Their Buzz-in pass also ends by itself after the permit's last day."
          : "Their access also ends with their DoorFlow valid_to date."
      }`,
    },
  ];
}

async function resolveOffboardingAlert(deps: Deps, o: Offboarding): Promise<void> {
  const alert = resolveAlert(deps.db, alertKey(o), deps.now());
  if (!alert) return;
  await deps.messenger.updateSecurityAlert(alert.key, {
    title: `Offboarding ${o.personName} failed`,
    lines: offboardingLines(o, o.lastError ?? ""),
    resolved: `Resolved: ${o.personName} has been offboarded and verified.`,
  });
}
