/**
 * Offboarding a DoorFlow person: disable (never delete), end their group reservations and current
 * or future reservations, delete their mobile credentials (the card and PIN stay on the disabled
 * person; the card until it is collected), verify by reading back, then sync, tell people and
 * record it. Already disabled is not an error: it is reported and still verified.
 *
 * DoorFlow lists reservations and group reservations for the whole account (no person filter), so
 * a batch reads both lists once before and once after; per person the cost is a read, the disable,
 * the deletes and the read-back.
 */
import { findManagedByDoorFlowId, markOffboarded } from "../../../db/repositories/managed-people.js";
import { endRequestsOfPerson } from "../../../db/repositories/access-requests.js";
import { recordAudit } from "../../../db/repositories/audit.js";
import type { Credential, GroupReservation, Person, Reservation } from "../../../doorflow/schemas.js";
import { DoorFlowError } from "../../../doorflow/errors.js";
import { listOpenBookingsOfPerson, markBookingsEnded } from "../../../db/repositories/bookings.js";
import type { CredentialTypes } from "../../catalog.js";
import type { Deps } from "../../deps.js";
import { isMobileCredential } from "../../existing-people.js";
import { describeFailure } from "../../failures.js";
import type { Offboarding } from "../../model.js";
import { offboardingActor } from "../../offboarding-actor.js";
import type { OffboardOutcome, ProviderOffboarding } from "../../ports.js";
import { personName } from "../../model.js";

interface AccessSnapshot {
  groupReservations: GroupReservation[];
  reservations: Reservation[];
  /** The account's credentials, read once for a batch (null: read per person). */
  credentials: Credential[] | null;
}

/**
 * From this many people on, the credentials are read account-wide once (`GET /api/3/credentials`)
 * instead of per person before and after (two calls each): a daily run of hundreds saves two
 * DoorFlow calls a person, while "Offboard now" for one person does not page through the account.
 */
const ACCOUNT_WIDE_CREDENTIALS_FROM = 8;

async function loadAccessSnapshot(deps: Pick<Deps, "doorflow">, people: number): Promise<AccessSnapshot> {
  const [groupReservations, reservations, credentials] = await Promise.all([
    deps.doorflow.listGroupReservations(),
    deps.doorflow.listReservations(),
    people >= ACCOUNT_WIDE_CREDENTIALS_FROM ? deps.doorflow.listAllCredentials() : Promise.resolve(null),
  ]);
  return { groupReservations, reservations, credentials };
}

/** A person's credentials: from the batch's read of the account, else asked for. */
function credentialsOf(
  deps: Pick<Deps, "doorflow">,
  snapshot: AccessSnapshot,
  personId: number,
): Promise<Credential[]> {
  return snapshot.credentials
    ? Promise.resolve(snapshot.credentials.filter((c) => c.person_id === personId))
    : deps.doorflow.listCredentials(personId);
}

function liveAccessOf(snapshot: AccessSnapshot, personId: number) {
  return {
    groupReservations: snapshot.groupReservations.filter(
      (g) => g.person_id === personId && g.state !== "deactivated",
    ),
    reservations: snapshot.reservations.filter((r) => r.person_id === personId),
  };
}

/** Disables the person and removes their reservations; verification is `verifyOffboarded`. */
async function disableAndRevoke(
  deps: Pick<Deps, "doorflow" | "catalog" | "db" | "now">,
  personId: number,
  snapshot: AccessSnapshot,
): Promise<OffboardOutcome> {
  let person: Person;
  let credentials: Credential[];
  let types: CredentialTypes;
  try {
    [person, credentials, types] = await Promise.all([
      deps.doorflow.getPerson(personId),
      credentialsOf(deps, snapshot, personId),
      deps.catalog.credentialTypes(),
    ]);
  } catch (error) {
    if (error instanceof DoorFlowError && error.code === "doorflow_not_found") {
      return {
        personId,
        status: "not_found",
        removed: { groupReservations: 0, reservations: 0, mobileCredentials: 0 },
        cardNumbers: [],
      };
    }
    throw error;
  }
  const wasEnabled = person.enabled;
  const listed = liveAccessOf(snapshot, personId);
  // What Gatehouse made is known by id: a reservation that has begun is no longer listed by
  // DoorFlow (it lists future ones only), so it is deleted by its recorded id (a 404 = gone: see
  // deleteRecordedReservation).
  const recorded = listOpenBookingsOfPerson(deps.db, personId);
  const listedReservations = new Set(listed.reservations.map((r) => r.id));
  const unlistedReservationIds = recorded
    .filter((b) => b.kind === "reservation" && b.doorflowId !== null && !listedReservations.has(b.doorflowId))
    .map((b) => b.doorflowId as number);
  const live = listed;
  // Mobile credentials are deleted, not kept like a card or PIN: each holds a licence seat (HID),
  // and DoorFlow refuses new invitations once the seats are used up.
  const mobile = liveMobile(credentials, types);
  // A group reservation or reservation already gone (404) counts as removed: the client settles it.
  const [updated] = await Promise.all([
    wasEnabled ? deps.doorflow.updatePerson(personId, { enabled: false }) : Promise.resolve(person),
    ...live.groupReservations.map((g) => deps.doorflow.deleteGroupReservation(g.id)),
    ...live.reservations.map((r) => deps.doorflow.deleteReservation(r.id)),
    ...unlistedReservationIds.map((id) => deleteRecordedReservation(deps, id)),
    ...mobile.map((c) => deps.doorflow.deleteCredential(personId, c.id)),
  ]);
  markBookingsEnded(
    deps.db,
    recorded.map((b) => b.id),
    deps.now(),
  );
  const card = types.card ? credentials.find((c) => c.credential_type_id === types.card?.id) : undefined;
  return {
    personId,
    status: wasEnabled ? "offboarded" : "already_disabled",
    person: updated,
    removed: {
      groupReservations: live.groupReservations.length,
      reservations: live.reservations.length + unlistedReservationIds.length,
      mobileCredentials: mobile.length,
    },
    cardNumbers: card?.value ? [card.value] : [],
  };
}

/**
 * A reservation on record but not listed may also be one an earlier attempt deleted before its
 * process died, ahead of marking it ended: DoorFlow's 404 then says it is gone, which is the goal.
 * (The client settles a 404 as gone only on its own retries, not across a restart.)
 */
async function deleteRecordedReservation(deps: Pick<Deps, "doorflow">, id: number): Promise<void> {
  try {
    await deps.doorflow.deleteReservation(id);
  } catch (error) {
    if (error instanceof DoorFlowError && error.code === "doorflow_not_found") return;
    throw error;
  }
}

/** Mobile credentials not yet on their way out (DoorFlow revokes asynchronously: `revoking`). */
function liveMobile(credentials: Credential[], types: CredentialTypes): Credential[] {
  return credentials.filter(
    (c) => isMobileCredential(c, types) && c.status !== "revoking" && c.status !== "revoked",
  );
}

/** Reads back: the person disabled, and nothing active left in the after-snapshot. Returns what is wrong. */
async function verifyOffboarded(
  deps: Pick<Deps, "doorflow" | "catalog">,
  personId: number,
  after: AccessSnapshot,
): Promise<string | null> {
  const [person, credentials, types] = await Promise.all([
    deps.doorflow.getPerson(personId),
    credentialsOf(deps, after, personId),
    deps.catalog.credentialTypes(),
  ]);
  const problems: string[] = [];
  if (person.enabled) problems.push("the person is still enabled");
  const mobile = liveMobile(credentials, types);
  if (mobile.length > 0) problems.push(`${mobile.length} mobile credential(s) still active or invited`);
  const live = liveAccessOf(after, personId);
  if (live.groupReservations.length > 0)
    problems.push(`${live.groupReservations.length} group reservation(s) still active or pending`);
  if (live.reservations.length > 0)
    problems.push(`${live.reservations.length} reservation(s) still current or future`);
  return problems.length === 0 ? null : `Verification failed: ${problems.join("; ")}.`;
}

/**
 * The whole offboarding for a list of people: disable and revoke each (within the client's
 * concurrency limit), read both lists again, verify each, then record, sync and tell facilities.
 */
export async function offboardPeople(
  deps: Deps,
  personIds: number[],
  context: { actor: string; reason: string },
  onProgress?: (done: number, total: number) => void,
): Promise<OffboardOutcome[]> {
  if (personIds.length === 0) return [];
  // A list DoorFlow will not give even after the client's retries fails each person instead of
  // throwing: every caller then records, alerts and retries them like any other failure (the
  // daily job would otherwise leave them claimed, unalerted, until the lease ran out).
  const before = await readSnapshot(deps, personIds.length);
  if ("error" in before) {
    const unread = personIds.map((personId) => failed(personId, before.error));
    for (const o of unread) await recordOutcome(deps, o, context);
    return unread;
  }
  let done = 0;
  const outcomes = await pool(personIds, 8, async (personId) => {
    try {
      return await disableAndRevoke(deps, personId, before.snapshot);
    } catch (error) {
      return failed(personId, error);
    } finally {
      onProgress?.(++done, personIds.length);
    }
  });
  const after = await readSnapshot(deps, personIds.length);
  const verified = await pool(outcomes, 8, async (o) => {
    if (o.status !== "offboarded" && o.status !== "already_disabled") return o;
    if ("error" in after) {
      const error = `Disabled, but not verified: ${describeFailure(after.error)}`;
      return { ...failed(o.personId, after.error), person: o.person, cardNumbers: o.cardNumbers, error };
    }
    try {
      const problem = await verifyOffboarded(deps, o.personId, after.snapshot);
      return problem ? { ...o, status: "failed" as const, error: problem } : o;
    } catch (error) {
      return { ...failed(o.personId, error), person: o.person, cardNumbers: o.cardNumbers };
    }
  });
  // Whoever was disabled needs the sync, verified or not: a retry finds them already disabled.
  if (outcomes.some((o) => o.status === "offboarded")) deps.sync.request(`${context.reason} offboarding`);
  for (const o of verified) await recordOutcome(deps, o, context);
  return verified;
}

function readSnapshot(
  deps: Pick<Deps, "doorflow">,
  people: number,
): Promise<{ snapshot: AccessSnapshot } | { error: unknown }> {
  return loadAccessSnapshot(deps, people).then(
    (snapshot) => ({ snapshot }),
    (error: unknown) => ({ error }),
  );
}

function failed(personId: number, error: unknown): OffboardOutcome {
  return {
    personId,
    status: "failed",
    removed: { groupReservations: 0, reservations: 0, mobileCredentials: 0 },
    cardNumbers: [],
    error: describeFailure(error),
  };
}

async function recordOutcome(
  deps: Deps,
  o: OffboardOutcome,
  context: { actor: string; reason: string },
): Promise<void> {
  const now = deps.now();
  const managed = findManagedByDoorFlowId(deps.db, o.personId);
  const name = o.person
    ? `${o.person.first_name} ${o.person.last_name}`
    : managed
      ? personName(managed)
      : `person ${o.personId}`;
  const ok = o.status === "offboarded" || o.status === "already_disabled";
  if (ok && managed && managed.status !== "offboarded") markOffboarded(deps.db, managed.id, now);
  // Whatever path offboarded them, their request is over: Show PIN, App Home and status say so.
  if (ok)
    endRequestsOfPerson(
      deps.db,
      { requestId: managed?.requestId ?? null, doorflowPersonId: o.personId },
      now,
    );
  recordAudit(deps.db, {
    at: now,
    actor: context.actor,
    action: ok ? "offboard.completed" : o.status === "not_found" ? "offboard.not_found" : "offboard.failed",
    outcome: ok ? "ok" : "failed",
    requestId: managed?.requestId ?? null,
    doorflowPersonId: o.personId,
    subjectEmail: o.person?.email ?? managed?.email ?? null,
    subjectName: name,
    details: { reason: context.reason, status: o.status, removed: o.removed, verified: ok, error: o.error },
  });
  if (ok && o.cardNumbers.length > 0) {
    await deps.messenger
      .cardCollection({
        personName: name,
        email: o.person?.email ?? managed?.email ?? null,
        cardNumbers: o.cardNumbers,
        managedPersonId: managed?.id ?? null,
        doorflowPersonId: o.personId,
      })
      .catch((error: unknown) =>
        deps.logger.warn("could not post the card collection reminder", {
          personId: o.personId,
          error: describeFailure(error),
        }),
      );
  }
}

/** Runs `work` over `items`, at most `size` at a time, keeping the order of results. */
export async function pool<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

/** Offboarded, already disabled, or gone from DoorFlow: nothing is left to do. */
export const isOffboarded = (outcome: OffboardOutcome | null | undefined): boolean =>
  outcome?.status === "offboarded" ||
  outcome?.status === "already_disabled" ||
  outcome?.status === "not_found";

export async function offboardInDoorFlow(deps: Deps, claimed: Offboarding[]): Promise<ProviderOffboarding[]> {
  if (claimed.length === 0) return [];
  // A lookup that fails fails its offboarding only: thrown, it would leave every claimed one unalerted.
  const resolved = await Promise.all(
    claimed.map(async (o) => {
      try {
        return { o, personId: await personIdOf(deps, o) };
      } catch (error) {
        return { o, personId: null, lookupError: describeFailure(error) };
      }
    }),
  );
  // The audit names each offboarding's own actor and reason: one batch per pair (usually one).
  const batches = new Map<string, { actor: string; reason: string; personIds: number[] }>();
  for (const { o, personId } of resolved) {
    if (personId === null) continue;
    const actor = offboardingActor(o);
    const key = JSON.stringify([actor, o.reason]);
    const batch = batches.get(key) ?? { actor, reason: o.reason, personIds: [] };
    batch.personIds.push(personId);
    batches.set(key, batch);
  }
  const outcomes = (
    await Promise.all(
      [...batches.values()].map((b) =>
        offboardPeople(deps, b.personIds, { actor: b.actor, reason: b.reason }),
      ),
    )
  ).flat();
  const byPerson = new Map(outcomes.map((o) => [o.personId, o]));
  return resolved.map(({ o, personId, lookupError }) => {
    const outcome = personId === null ? null : (byPerson.get(personId) ?? null);
    // Nobody found by the request's system_id: provisioning never created them, nothing to end.
    const ok = !lookupError && (personId === null || isOffboarded(outcome));
    return {
      offboarding: o,
      outcome,
      error: ok ? undefined : (lookupError ?? outcome?.error ?? "unknown error"),
    };
  });
}

/** An offboarding recorded before provisioning found the person: look them up by system_id. */
async function personIdOf(deps: Deps, o: Offboarding): Promise<number | null> {
  if (o.doorflowPersonId !== null) return o.doorflowPersonId;
  if (!o.requestId) return null;
  const person = await deps.doorflow.findPersonBySystemId(o.requestId);
  return person?.id ?? null;
}
