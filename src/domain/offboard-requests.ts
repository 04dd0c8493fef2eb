/**
 * What operators ask for: who would be offboarded (a preview, PINs never shown), offboard now,
 * schedule a last day, and bulk offboarding from a list of emails. Every use case checks that the
 * caller is an operator; DoorFlow's email filter is a partial match, so only exact matches count.
 */
import { z } from "zod";
import { recordAudit } from "../db/repositories/audit.js";
import {
  findManagedByDoorFlowId,
  findManagedByEmail,
  getManagedPerson,
} from "../db/repositories/managed-people.js";
import { type ManagedPerson, personName } from "./model.js";
import {
  findOpenOffboarding,
  findOpenOffboardingOfManaged,
  scheduleOffboarding,
} from "../db/repositories/offboardings.js";
import { type Offboarding } from "./model.js";
import type { Person } from "../doorflow/schemas.js";
import { formatLocalDate, isLocalDate, localDateOf } from "../lib/time.js";
import type { Deps } from "./deps.js";
import { claimOffboardingsNow, runDueOffboardings, settleClaimedOffboarding } from "./due-offboardings.js";
import { describeFailure } from "./failures.js";
import type { OffboardOutcome } from "./ports.js";
import { offboardPeople, pool } from "./providers/doorflow/offboard.js";

const BULK_MAX = 500;

export interface OffboardPreview {
  person: { id: number; name: string; email: string | null; enabled: boolean };
  /** Card numbers are shown; a PIN only as "PIN" (its value never leaves DoorFlow here). */
  credentials: Array<{ label: string; value: string | null }>;
  groupReservations: Array<{ id: number; groups: string[]; state: string; end: string }>;
  reservations: Array<{ id: number; doors: string[]; start: string; end: string }>;
  managed: ManagedPerson | null;
  scheduled: Offboarding | null;
}

export type FindResult =
  | { status: "forbidden" }
  | { status: "none"; email: string }
  | {
      status: "several";
      email: string;
      people: Array<{ id: number; name: string; email: string | null; enabled: boolean }>;
    }
  | { status: "one"; preview: OffboardPreview };

const forbidden = { status: "forbidden" } as const;

export async function findPersonToOffboard(
  deps: Deps,
  input: { actor: string; email: string },
): Promise<FindResult> {
  if (!(await deps.policy.isOperator(input.actor))) return forbidden;
  const people = await deps.doorflow.findPeopleByEmail(input.email);
  if (people.length === 0) return { status: "none", email: input.email };
  if (people.length > 1) {
    return {
      status: "several",
      email: input.email,
      people: people.map((p) => ({
        id: p.id,
        name: `${p.first_name} ${p.last_name}`,
        email: p.email ?? null,
        enabled: p.enabled,
      })),
    };
  }
  return { status: "one", preview: await previewPerson(deps, (people[0] as Person).id) };
}

async function previewPerson(deps: Deps, personId: number): Promise<OffboardPreview> {
  const [person, credentials, groupReservations, reservations, types, groups, doors] = await Promise.all([
    deps.doorflow.getPerson(personId),
    deps.doorflow.listCredentials(personId),
    deps.doorflow.listGroupReservations({ personId }),
    deps.doorflow.listReservations({ personId }),
    deps.catalog.credentialTypes(),
    deps.catalog.groups(),
    deps.catalog.doors(),
  ]);
  const name = (list: Array<{ id: number; name: string }>, id: number) =>
    list.find((x) => x.id === id)?.name ?? String(id);
  return {
    person: {
      id: person.id,
      name: `${person.first_name} ${person.last_name}`,
      email: person.email ?? null,
      enabled: person.enabled,
    },
    credentials: credentials.map((c) => ({
      label: c.label,
      value: c.credential_type_id === types.pin?.id ? null : (c.value ?? null),
    })),
    groupReservations: groupReservations
      .filter((g) => g.state !== "deactivated")
      .map((g) => ({
        id: g.id,
        groups: g.group_ids.map((id) => name(groups, id)),
        state: g.state,
        end: g.end_time,
      })),
    reservations: reservations.map((r) => ({
      id: r.id,
      doors: r.channel_ids.map((id) => name(doors, id)),
      start: r.start_time,
      end: r.end_time,
    })),
    managed: findManagedByDoorFlowId(deps.db, person.id) ?? null,
    scheduled: findOpenOffboarding(deps.db, person.id) ?? null,
  };
}

export type OffboardNowResult = { status: "forbidden" } | { status: "done"; outcome: OffboardOutcome };

/** A DoorFlow person id is a positive integer; Slack round-trips it as text that may be anything. */
function isDoorFlowId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

export async function offboardNow(
  deps: Deps,
  input: { actor: string; personId: number },
): Promise<OffboardNowResult> {
  if (!(await deps.policy.isOperator(input.actor))) return forbidden;
  // The button's value comes back from Slack: an id DoorFlow cannot have is nobody to offboard.
  if (!isDoorFlowId(input.personId)) {
    const removed = { groupReservations: 0, reservations: 0, mobileCredentials: 0 };
    return {
      status: "done",
      outcome: { personId: input.personId, status: "not_found", removed, cardNumbers: [] },
    };
  }
  return { status: "done", outcome: await offboardPersonNow(deps, input) };
}

/**
 * "Offboard now" once the caller is known to be allowed (Slack's button checks the operator; the
 * CLI runs as the operator "cli"). Like a bulk run, the person's offboarding — their scheduled one
 * moved to now, or a new one — is recorded and claimed before the first DoorFlow write, then
 * completed (so the job has nothing left to do: no second offboarding, audit entry or card
 * reminder) or failed and retried by the job with backoff.
 */
export async function offboardPersonNow(
  deps: Deps,
  input: { actor: string; personId: number; name?: string; email?: string | null },
): Promise<OffboardOutcome> {
  const claimed = claimOffboardingsNow(deps, [await whoIs(deps, input)], {
    reason: "manual",
    actor: input.actor,
  });
  const [outcome] = await offboardPeople(deps, [input.personId], { actor: input.actor, reason: "manual" });
  const done = outcome as OffboardOutcome;
  const row = claimed.get(input.personId);
  if (row) await settleClaimedOffboarding(deps, row, done);
  return done;
}

/** The name and email an offboarding (and its alert) is recorded under: ours, else DoorFlow's. */
async function whoIs(
  deps: Deps,
  input: { personId: number; name?: string; email?: string | null },
): Promise<{ personId: number; name: string; email: string | null }> {
  const { personId } = input;
  if (input.name) return { personId, name: input.name, email: input.email ?? null };
  const open = findOpenOffboarding(deps.db, personId);
  const managed = findManagedByDoorFlowId(deps.db, personId);
  if (open || managed)
    return {
      personId,
      name: open?.personName ?? (managed ? personName(managed) : `DoorFlow person ${personId}`),
      email: open?.email ?? managed?.email ?? null,
    };
  // A person Gatehouse does not manage (an employee): the preview's button carries only the id.
  const person = await deps.doorflow.getPerson(personId).catch(() => undefined);
  return person
    ? { personId, name: `${person.first_name} ${person.last_name}`, email: person.email ?? null }
    : { personId, name: `DoorFlow person ${personId}`, email: null };
}

/** Buzz-in contractors Gatehouse manages under this exact email, still active (not in DoorFlow). */
export function findBuzzinToOffboard(deps: Pick<Deps, "db">, email: string): ManagedPerson[] {
  return findManagedByEmail(deps.db, email).filter(
    (m) => m.provider === "buzzin" && m.status === "active" && m.email?.toLowerCase() === email.toLowerCase(),
  );
}

export type ProviderOffboardNowResult =
  | { status: "forbidden" }
  | { status: "not_found" }
  | { status: "offboarded"; person: ManagedPerson }
  | { status: "failed"; person: ManagedPerson; error: string };

/**
 * Offboards a managed person of a provider without DoorFlow ids (Buzz-in) now: their offboarding is
 * moved to now and carried out as the job would (revoke, verify, complete or fail with an alert
 * once and retries with backoff).
 */
export async function offboardManagedNow(
  deps: Deps,
  input: { actor: string; managedPersonId: number },
): Promise<ProviderOffboardNowResult> {
  if (!(await deps.policy.isOperator(input.actor))) return forbidden;
  const person = getManagedPerson(deps.db, input.managedPersonId);
  if (!person) return { status: "not_found" };
  return offboardManagedPerson(deps, person, input.actor);
}

/** `offboardManagedNow` once the caller is known to be allowed (the CLI runs as the operator). */
export async function offboardManagedPerson(
  deps: Deps,
  person: ManagedPerson,
  actor: string,
  reason: "manual" | "bulk" = "manual",
): Promise<Exclude<ProviderOffboardNowResult, { status: "forbidden" }>> {
  if (person.doorflowPersonId !== null || person.status !== "active") return { status: "not_found" };
  const now = deps.now();
  const offboarding = scheduleOffboarding(
    deps.db,
    {
      provider: person.provider,
      doorflowPersonId: null,
      requestId: findOpenOffboardingOfManaged(deps.db, person)?.requestId ?? null,
      managedPersonId: person.id,
      personName: personName(person),
      email: person.email,
      reason,
      lastDay: localDateOf(now, deps.settings.timeZone),
      dueAt: now,
      requestedBy: actor,
    },
    now,
  );
  const summary = await runDueOffboardings(deps, { only: offboarding.id });
  const error = summary.claimed === 0 ? "another run holds this offboarding" : summary.outcomes[0]?.error;
  return error === undefined ? { status: "offboarded", person } : { status: "failed", person, error };
}

export type ScheduleResult =
  | { status: "forbidden" }
  | { status: "invalid"; message: string }
  | { status: "scheduled"; offboarding: Offboarding };

export async function scheduleLastDay(
  deps: Deps,
  input: { actor: string; personId: number; lastDay: string },
): Promise<ScheduleResult> {
  if (!(await deps.policy.isOperator(input.actor))) return forbidden;
  // The modal's metadata comes back from Slack: never ask DoorFlow for person "NaN".
  if (!isDoorFlowId(input.personId)) {
    return { status: "invalid", message: "This form names no DoorFlow person; run /offboard again." };
  }
  const today = localDateOf(deps.now(), deps.settings.timeZone);
  if (!isLocalDate(input.lastDay)) return { status: "invalid", message: "Pick their last day." };
  if (input.lastDay < today) {
    return {
      status: "invalid",
      message: `The last day cannot be in the past (today is ${formatLocalDate(today)}). Use "Offboard now" instead.`,
    };
  }
  const person = await deps.doorflow.getPerson(input.personId);
  const managed = findManagedByDoorFlowId(deps.db, person.id);
  const offboarding = scheduleOffboarding(
    deps.db,
    {
      doorflowPersonId: person.id,
      managedPersonId: managed?.id ?? null,
      personName: `${person.first_name} ${person.last_name}`,
      email: person.email ?? null,
      reason: "scheduled",
      lastDay: input.lastDay,
      dueAt: deps.settings.offboardingDueAt(input.lastDay),
      requestedBy: input.actor,
    },
    deps.now(),
  );
  recordAudit(deps.db, {
    at: deps.now(),
    actor: input.actor,
    action: "offboard.scheduled",
    requestId: managed?.requestId ?? null,
    doorflowPersonId: person.id,
    subjectEmail: person.email ?? null,
    subjectName: offboarding.personName,
    outcome: "ok",
    details: { lastDay: input.lastDay, dueAt: offboarding.dueAt.toISOString() },
  });
  return { status: "scheduled", offboarding };
}

export interface BulkLine {
  email: string;
  status: "offboarded" | "already_disabled" | "not_found" | "failed";
  reason?: string;
  name?: string;
}

export type BulkResult =
  { status: "forbidden" } | { status: "invalid"; message: string } | { status: "done"; lines: BulkLine[] };

const bulkEmail = z.email();

/** One email a line; blank lines ignored; duplicates once. Returns what to fix when it cannot be read. */
export function parseBulkEmails(text: string): { emails: string[] } | { error: string } {
  const lines = text
    .split(/[\r\n]+/)
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const emails = [...new Set(lines)];
  if (emails.length === 0) return { error: "Paste at least one email address, one a line." };
  if (emails.length > BULK_MAX)
    return { error: `At most ${BULK_MAX} emails at a time (you pasted ${emails.length}).` };
  const bad = emails.filter((e) => !bulkEmail.safeParse(e).success);
  if (bad.length > 0)
    return {
      error: `These lines are not email addresses: ${bad.slice(0, 5).join(", ")}${bad.length > 5 ? "…" : ""}`,
    };
  return { emails };
}

/** The bulk list's Buzz-in contractors (exact email, still active), each offboarded as "Offboard now" does. */
async function offboardBuzzinInBulk(deps: Deps, emails: string[], actor: string): Promise<BulkLine[]> {
  const lines: BulkLine[] = [];
  for (const email of emails) {
    for (const person of findBuzzinToOffboard(deps, email)) {
      const name = personName(person);
      try {
        const result = await offboardManagedPerson(deps, person, actor, "bulk");
        if (result.status === "offboarded") lines.push({ email, status: "offboarded", name });
        else if (result.status === "failed")
          lines.push({ email, status: "failed", reason: result.error, name });
      } catch (error) {
        lines.push({ email, status: "failed", reason: describeFailure(error), name });
      }
    }
  }
  return lines;
}

export async function offboardBulk(
  deps: Deps,
  input: { actor: string; text: string; onProgress?: (done: number, total: number) => void },
): Promise<BulkResult> {
  if (!(await deps.policy.isOperator(input.actor))) return forbidden;
  const parsed = parseBulkEmails(input.text);
  if ("error" in parsed) return { status: "invalid", message: parsed.error };
  const total = parsed.emails.length;
  // Buzz-in contractors have no DoorFlow person: they are revoked in Buzz-in (and verified) first.
  const buzzinLines = await offboardBuzzinInBulk(deps, parsed.emails, input.actor);
  const inBuzzin = new Set(buzzinLines.map((l) => l.email));
  let resolvedCount = 0;
  const found = await pool(parsed.emails, 8, async (email) => {
    try {
      const people = await deps.doorflow.findPeopleByEmail(email);
      return { email, people };
    } catch (error) {
      return { email, error: describeFailure(error) };
    } finally {
      input.onProgress?.(++resolvedCount / 2, total);
    }
  });
  const lines: BulkLine[] = [...buzzinLines];
  const toOffboard: Array<{ email: string; id: number; name: string }> = [];
  for (const f of found) {
    if ("error" in f) lines.push({ email: f.email, status: "failed", reason: f.error });
    else if (f.people.length === 0) {
      if (!inBuzzin.has(f.email)) lines.push({ email: f.email, status: "not_found" });
    } else if (f.people.length > 1)
      lines.push({
        email: f.email,
        status: "failed",
        reason: `${f.people.length} DoorFlow people have this email`,
      });
    else {
      const p = f.people[0] as Person;
      toOffboard.push({ email: f.email, id: p.id, name: `${p.first_name} ${p.last_name}` });
    }
  }
  const claimed = claimOffboardingsNow(
    deps,
    toOffboard.map((t) => ({ personId: t.id, name: t.name, email: t.email })),
    { reason: "bulk", actor: input.actor },
  );
  const outcomes = await offboardPeople(
    deps,
    toOffboard.map((t) => t.id),
    { actor: input.actor, reason: "bulk" },
    (done) => input.onProgress?.(total / 2 + done / 2, total),
  );
  // A failed person-offboarding is alerted on its own when it is settled (once, whatever later
  // retries it): the bulk run's alert carries only the lines that never became an offboarding.
  const settled = new Set<string>();
  for (const [i, o] of outcomes.entries()) {
    const email = toOffboard[i]?.email ?? "";
    const name = o.person ? `${o.person.first_name} ${o.person.last_name}` : undefined;
    if (o.status === "failed") lines.push({ email, status: "failed", reason: o.error, name });
    else if (o.status === "not_found") lines.push({ email, status: "not_found" });
    else lines.push({ email, status: o.status, name });
    // One held by another process right now is settled (and alerted) by that process.
    const row = claimed.get(o.personId);
    if (row) await settleClaimedOffboarding(deps, row, o);
    settled.add(email);
  }
  const order = new Map(parsed.emails.map((e, i) => [e, i]));
  lines.sort((a, b) => (order.get(a.email) ?? 0) - (order.get(b.email) ?? 0));
  const failed = lines.filter((l) => l.status === "failed");
  const failures = failed.filter((l) => !settled.has(l.email));
  if (failures.length > 0) {
    const alertedApart = failed.length - failures.length;
    await deps.messenger
      .securityAlert({
        title: `Bulk offboarding: ${failures.length} of ${total} could not be started`,
        lines: [
          {
            text: [
              "Started by ",
              { user: input.actor },
              `. Nobody below was offboarded: run the bulk list again for them.${
                alertedApart > 0 ? ` ${alertedApart} more failed and are alerted one by one, with Retry.` : ""
              }`,
            ],
          },
          ...failures.slice(0, 40).map((l) => ({ text: `• ${l.email}: ${l.reason ?? "failed"}` })),
          ...(failures.length > 40
            ? [{ text: `…and ${failures.length - 40} more (see the audit trail).` }]
            : []),
        ],
      })
      .catch((error: unknown) =>
        deps.logger.error("could not post the bulk alert", { error: describeFailure(error) }),
      );
  }
  return { status: "done", lines };
}
