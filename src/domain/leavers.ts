/**
 * Leavers nobody typed /offboard for: an HR system's termination, an identity provider's SCIM
 * deprovisioning, a deactivated Slack account. Each entry point only records a leaver event (before
 * answering its sender) and kicks the processor; the processor acts on every recorded event in
 * order, through the same offboarding use cases as /offboard: "Offboard now" (claimed, disabled,
 * verified, synced, card reminder, audit; retried by the job on failure) and "Schedule…" (due at
 * the first OFFBOARD_CRON run on the last day).
 */
import { claimAlert, resolveAlert } from "../db/repositories/alerts.js";
import { recordAudit } from "../db/repositories/audit.js";
import {
  claimLeaverEvent,
  claimLeaverNotice,
  findScheduledHrTermination,
  type LeaverSettlement,
  linkLeaverOffboarding,
  listReceivedLeaverEvents,
  listUnnotifiedLeaverEvents,
  markTerminationCancelled,
  releaseLeaverEvent,
  releaseLeaverNotice,
  settleLeaverEvent,
} from "../db/repositories/leaver-events.js";
import { type LeaverEvent } from "./model.js";
import {
  cancelOffboarding,
  findOpenOffboarding,
  getOffboarding,
  scheduleOffboarding,
} from "../db/repositories/offboardings.js";
import type { LeaverSource } from "./model.js";
import type { Person } from "../doorflow/schemas.js";
import { errorMessage } from "../lib/errors.js";
import { formatLocal, formatLocalDate, localDateOf } from "../lib/time.js";
import type { Deps } from "./deps.js";
import { claimOffboardingsNow, settleClaimedOffboarding } from "./due-offboardings.js";
import { describeFailure } from "./failures.js";
import { buildLeaverNotice } from "./leaver-notices.js";
import { offboardPeople } from "./providers/doorflow/offboard.js";

/** Long enough for one person's offboarding; a crashed process's events are taken over at start. */
const LEASE_MS = 5 * 60_000;

/** The actor a leaver source is audited as (and `requested_by` on its offboardings). */
export const LEAVER_ACTOR: Record<LeaverSource, string> = { hr: "hr", scim: "scim", slack: "slack" };

export interface LeaverProcessor {
  /** Acts on every recorded event soon (coalesced); resolves when that pass is over. */
  kick(): Promise<void>;
}

/**
 * One pass at a time per process: a cancellation recorded right after its termination is acted on
 * after it, never beside it. A kick during a pass asks for one more pass.
 */
export function createLeaverProcessor(
  deps: Deps,
  track: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
): LeaverProcessor {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      await processLeaverEvents(deps).catch((error: unknown) =>
        deps.logger.error("acting on leaver events failed", { error: errorMessage(error) }),
      );
    } while (again);
  };
  return {
    kick() {
      if (running) {
        again = true;
        return running;
      }
      running = track(loop).finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

/** Acts on every event recorded and not yet acted on, then posts any summary still owed. */
async function processLeaverEvents(deps: Deps): Promise<number> {
  let done = 0;
  // Batch after batch in recording order; an event given back after a failure waits for the next pass.
  let lastId = 0;
  for (;;) {
    const batch = listReceivedLeaverEvents(deps.db, deps.now(), lastId);
    if (batch.length === 0) break;
    for (const pending of batch) {
      lastId = pending.id;
      const event = claimLeaverEvent(deps.db, pending.id, deps.processId, LEASE_MS, deps.now());
      if (!event) continue;
      await actOn(deps, event);
      done++;
    }
  }
  for (const event of listUnnotifiedLeaverEvents(deps.db)) await notify(deps, event);
  return done;
}

async function actOn(deps: Deps, event: LeaverEvent): Promise<void> {
  let outcome: LeaverSettlement;
  try {
    outcome = await decide(deps, event);
  } catch (error) {
    // Nothing was decided (DoorFlow could not be read): the event stays recorded and is tried again
    // on the next pass (housekeeping every few minutes), and operators hear of it once.
    const detail = describeFailure(error);
    deps.logger.warn("could not act on a leaver event yet", { eventId: event.id, error: detail });
    releaseLeaverEvent(deps.db, event.id, deps.processId, detail, deps.now());
    await alertStuck(deps, event, detail);
    return;
  }
  const settled = settleLeaverEvent(deps.db, event.id, outcome, deps.now());
  recordAudit(deps.db, {
    at: deps.now(),
    actor: LEAVER_ACTOR[event.source],
    action: `leaver.${event.source}.${event.signal}`,
    doorflowPersonId: settled.doorflowPersonId,
    subjectEmail: event.email,
    subjectName: event.name,
    outcome: outcome.state === "failed" ? "failed" : outcome.state === "offboarded" ? "ok" : "info",
    details: {
      eventId: event.externalId,
      key: event.key,
      state: outcome.state,
      detail: outcome.detail,
      ...(event.lastDay ? { lastDay: event.lastDay } : {}),
      ...(settled.offboardingId ? { offboardingId: settled.offboardingId } : {}),
    },
  });
  if (resolveAlert(deps.db, stuckKey(event), deps.now())) {
    deps.logger.info("leaver event acted on after earlier failures", { eventId: event.id });
  }
  await notify(deps, settled);
}

async function decide(deps: Deps, event: LeaverEvent): Promise<LeaverSettlement> {
  if (event.signal === "termination_cancelled") return cancelTermination(deps, event);
  if (!event.email) return { state: "not_found", detail: "The event names no email address." };
  const people = await deps.doorflow.findPeopleByEmail(event.email);
  if (event.signal === "deactivated") {
    // Slack: only someone who can still open doors is worth an alert.
    const enabled = people.filter((p) => p.enabled);
    if (enabled.length === 0)
      return { state: "ignored", detail: "No enabled DoorFlow person has this email." };
    if (enabled.length > 1 || deps.settings.slackDeactivationOffboard !== "auto") {
      return {
        state: enabled.length > 1 ? "several" : "alerted",
        detail: await describeAccess(deps, enabled),
        doorflowPersonId: enabled.length === 1 ? (enabled[0] as Person).id : null,
      };
    }
    return offboardLeaverNow(deps, event, enabled[0] as Person);
  }
  if (people.length === 0) return { state: "not_found", detail: "No DoorFlow person has this email." };
  if (people.length > 1) {
    return { state: "several", detail: `${people.length} DoorFlow people have this email.` };
  }
  const person = people[0] as Person;
  const today = localDateOf(deps.now(), deps.settings.timeZone);
  if (event.signal === "terminated" && event.lastDay && event.lastDay > today) {
    return scheduleLeaver(deps, event, person, event.lastDay);
  }
  return offboardLeaverNow(deps, event, person);
}

/**
 * Offboard now, as bulk offboarding does: the offboarding is recorded as due now and claimed before
 * the first DoorFlow write (a crash leaves it to the start-up catch-up), then disabled, verified,
 * synced and recorded; a failure is retried by the job with backoff.
 */
async function offboardLeaverNow(deps: Deps, event: LeaverEvent, person: Person): Promise<LeaverSettlement> {
  const actor = LEAVER_ACTOR[event.source];
  const name = `${person.first_name} ${person.last_name}`;
  const claimed = claimOffboardingsNow(
    deps,
    [{ personId: person.id, name, email: person.email ?? event.email }],
    { reason: event.source, actor },
  );
  const row = claimed.get(person.id);
  if (!row) {
    const open = findOpenOffboarding(deps.db, person.id);
    return {
      state: "scheduled",
      detail: "Another run is offboarding this person right now.",
      doorflowPersonId: person.id,
      offboardingId: open?.id ?? null,
    };
  }
  linkLeaverOffboarding(
    deps.db,
    event.id,
    { doorflowPersonId: person.id, offboardingId: row.id },
    deps.now(),
  );
  const [outcome] = await offboardPeople(deps, [person.id], { actor, reason: event.source });
  if (!outcome) throw new Error("offboarding returned no outcome");
  await settleClaimedOffboarding(deps, row, outcome);
  const link = { doorflowPersonId: person.id, offboardingId: row.id };
  switch (outcome.status) {
    case "offboarded":
    case "already_disabled": {
      const removed = outcome.removed.groupReservations + outcome.removed.reservations;
      const was = outcome.status === "already_disabled" ? "Was already disabled" : "Disabled";
      const cards =
        outcome.cardNumbers.length > 0 ? `; card ${outcome.cardNumbers.join(", ")} to collect` : "";
      return {
        state: "offboarded",
        detail: `${was} and verified; ${removed} reservation(s) ended${cards}.`,
        ...link,
      };
    }
    case "not_found":
      return {
        state: "not_found",
        detail: "The DoorFlow person was gone when Gatehouse got to them.",
        ...link,
      };
    case "failed": {
      const next = getOffboarding(deps.db, row.id)?.nextAttemptAt;
      const when = next ? ` Gatehouse retries from ${formatLocal(next, deps.settings.timeZone)}.` : "";
      return { state: "failed", detail: `${outcome.error ?? "Offboarding failed."}${when}`, ...link };
    }
  }
}

/**
 * "Schedule…" for a last day HR gave, with one rule more: an offboarding already due earlier (a
 * contract end, an operator's date) is kept, because HR's later date must never extend access.
 * One due later is moved earlier, and what it was is kept so that a cancellation restores it.
 */
function scheduleLeaver(deps: Deps, event: LeaverEvent, person: Person, lastDay: string): LeaverSettlement {
  const now = deps.now();
  const dueAt = deps.settings.offboardingDueAt(lastDay);
  const name = `${person.first_name} ${person.last_name}`;
  const open = findOpenOffboarding(deps.db, person.id);
  const at = (d: Date) => formatLocal(d, deps.settings.timeZone);
  if (open && open.dueAt.getTime() <= dueAt.getTime()) {
    return {
      state: "scheduled",
      detail: `Already due earlier, ${at(open.dueAt)} (last day ${formatLocalDate(open.lastDay)}): kept.`,
      doorflowPersonId: person.id,
      offboardingId: open.id,
    };
  }
  const previous = open
    ? {
        reason: open.reason,
        lastDay: open.lastDay,
        dueAt: open.dueAt.getTime(),
        requestedBy: open.requestedBy,
      }
    : null;
  const offboarding = scheduleOffboarding(
    deps.db,
    {
      doorflowPersonId: person.id,
      managedPersonId: open?.managedPersonId ?? null,
      requestId: open?.requestId ?? null,
      personName: name,
      email: person.email ?? event.email,
      reason: "hr",
      lastDay,
      dueAt,
      requestedBy: LEAVER_ACTOR.hr,
    },
    now,
  );
  recordAudit(deps.db, {
    at: now,
    actor: LEAVER_ACTOR.hr,
    action: "offboard.scheduled",
    doorflowPersonId: person.id,
    subjectEmail: person.email ?? event.email,
    subjectName: name,
    outcome: "ok",
    details: { lastDay, dueAt: dueAt.toISOString(), eventId: event.externalId },
  });
  return {
    state: "scheduled",
    detail: `Offboarding due ${at(dueAt)}, the first run on their last day ${formatLocalDate(lastDay)}.`,
    doorflowPersonId: person.id,
    offboardingId: offboarding.id,
    previous,
  };
}

/** Cancels what HR scheduled; an offboarding already done (or under way) stays done. */
function cancelTermination(deps: Deps, event: LeaverEvent): LeaverSettlement {
  const now = deps.now();
  const termination = event.email ? findScheduledHrTermination(deps.db, event.email) : undefined;
  const offboarding = termination?.offboardingId
    ? getOffboarding(deps.db, termination.offboardingId)
    : undefined;
  if (!termination || !offboarding || offboarding.reason !== "hr") {
    return { state: "ignored", detail: "HR had scheduled no offboarding for this email: nothing to cancel." };
  }
  const link = { doorflowPersonId: offboarding.doorflowPersonId, offboardingId: offboarding.id };
  if (offboarding.status !== "scheduled") {
    return {
      state: "ignored",
      detail:
        offboarding.status === "completed"
          ? "Already offboarded: that stays done (access needs a new request)."
          : "The offboarding is already under way: it is not stopped.",
      ...link,
    };
  }
  const previous = termination.previous;
  let detail: string;
  if (previous && offboarding.doorflowPersonId !== null) {
    scheduleOffboarding(
      deps.db,
      {
        doorflowPersonId: offboarding.doorflowPersonId,
        managedPersonId: offboarding.managedPersonId,
        personName: offboarding.personName,
        email: offboarding.email,
        reason: previous.reason,
        lastDay: previous.lastDay,
        dueAt: new Date(previous.dueAt),
        requestedBy: previous.requestedBy,
      },
      now,
    );
    detail = `HR's date removed; the earlier offboarding (last day ${formatLocalDate(previous.lastDay)}) stands again.`;
  } else {
    cancelOffboarding(deps.db, offboarding.id, now);
    detail = `The offboarding scheduled for ${formatLocalDate(offboarding.lastDay)} is cancelled.`;
  }
  markTerminationCancelled(deps.db, termination.id, `Cancelled by HR event ${event.externalId}.`, now);
  recordAudit(deps.db, {
    at: now,
    actor: LEAVER_ACTOR.hr,
    action: "offboard.cancelled",
    doorflowPersonId: offboarding.doorflowPersonId,
    subjectEmail: offboarding.email,
    subjectName: offboarding.personName,
    outcome: "ok",
    details: { eventId: event.externalId, offboardingId: offboarding.id, restored: previous ?? null },
  });
  return { state: "cancelled", detail, ...link };
}

/** "card 40010001, groups Staff, Office": what a still-enabled person can open. PINs never shown. */
async function describeAccess(deps: Deps, people: Person[]): Promise<string> {
  const [types, groups] = await Promise.all([deps.catalog.credentialTypes(), deps.catalog.groups()]);
  return people
    .map((p) => {
      const card = types.card ? p[types.card.slug] : undefined;
      const names = p.groups.map((id) => groups.find((g) => g.id === id)?.name ?? String(id));
      const parts = [
        typeof card === "string" && card ? `card ${card}` : "no card",
        names.length > 0 ? `groups ${names.join(", ")}` : "no groups",
      ];
      return `${p.first_name} ${p.last_name} (DoorFlow person ${p.id}): ${parts.join(", ")}`;
    })
    .join("\n");
}

async function notify(deps: Deps, event: LeaverEvent): Promise<void> {
  if (!claimLeaverNotice(deps.db, event.id, deps.now())) return;
  const notice = await buildLeaverNotice(deps, event);
  if (!notice) return;
  try {
    await deps.messenger.securityAlert(notice);
  } catch (error) {
    releaseLeaverNotice(deps.db, event.id);
    deps.logger.warn("could not post a leaver summary; it is posted on the next pass", {
      eventId: event.id,
      error: errorMessage(error),
    });
  }
}

const stuckKey = (event: LeaverEvent) => `leaver:${event.id}`;

async function alertStuck(deps: Deps, event: LeaverEvent, error: string): Promise<void> {
  const who = event.email ?? event.externalId;
  const claim = claimAlert(
    deps.db,
    {
      key: stuckKey(event),
      kind: "leaver_failed",
      channelId: deps.settings.securityChannelId,
      summary: `Leaver ${who}: ${error}`,
    },
    deps.now(),
  );
  if (!claim.created) return;
  await deps.messenger
    .securityAlert(
      {
        title: `Could not act on a leaver yet: ${who}`,
        lines: [
          { label: "Source", text: `${event.source}, ${event.signal} (${event.externalId})` },
          { label: "Error", text: error },
          { text: "Gatehouse tries again every few minutes; nothing has been changed yet." },
        ],
      },
      { alertKey: claim.alert.key },
    )
    .catch((e: unknown) => deps.logger.warn("could not post the leaver alert", { error: errorMessage(e) }));
}
