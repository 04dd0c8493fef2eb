/** DoorFlow behind the access-provider port: the use cases as they were, reached through the port. */
import type { ManagedPerson } from "../db/repositories/managed-people.js";
import type { Offboarding } from "../db/repositories/offboardings.js";
import { endOfLocalDay, type LocalDate, rfc3339In, startOfLocalDay } from "../lib/time.js";
import type { Deps } from "./deps.js";
import { describeFailure, ProvisioningRefused } from "./failures.js";
import { offboardPeople, type OffboardOutcome } from "./offboarding.js";
import type { AccessProvider, ProviderOffboarding } from "./providers.js";
import { provisionRequest } from "./provisioning.js";

/** Offboarded, already disabled, or gone from DoorFlow: nothing is left to do. */
export const isOffboarded = (outcome: OffboardOutcome | null | undefined): boolean =>
  outcome?.status === "offboarded" ||
  outcome?.status === "already_disabled" ||
  outcome?.status === "not_found";

export function createDoorFlowProvider(deps: Deps): AccessProvider {
  return {
    id: "doorflow",
    provision: (requestId) => provisionRequest(deps, requestId),
    extend: (person, newEndDate) => extendInDoorFlow(deps, person, newEndDate),
    offboard: (claimed) => offboardInDoorFlow(deps, claimed),
  };
}

/**
 * DoorFlow has no update for a group reservation: a new one to the new end replaces the old, which
 * is deleted only after, so there is no gap. `valid_to` moves with it.
 */
async function extendInDoorFlow(
  deps: Deps,
  person: ManagedPerson,
  newEndDate: LocalDate,
): Promise<{ groupReservationId: number }> {
  const personId = person.doorflowPersonId;
  if (personId === null) throw new ProvisioningRefused("This contractor has no DoorFlow person.");
  const tz = deps.settings.timeZone;
  const start = new Date(Math.max(deps.now().getTime(), startOfLocalDay(person.startDate, tz).getTime()));
  const replacement = await deps.doorflow.createGroupReservation({
    personId,
    startTime: start,
    endTime: endOfLocalDay(newEndDate, tz),
    groupIds: person.accessIds,
  });
  await deps.doorflow.updatePerson(personId, { valid_to: rfc3339In(endOfLocalDay(newEndDate, tz), tz) });
  if (person.groupReservationId !== null && person.groupReservationId !== replacement.id) {
    await deps.doorflow.deleteGroupReservation(person.groupReservationId);
  }
  deps.sync.request(`extension of person ${personId}`);
  return { groupReservationId: replacement.id };
}

async function offboardInDoorFlow(deps: Deps, claimed: Offboarding[]): Promise<ProviderOffboarding[]> {
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
  const withPerson = resolved.filter((r) => r.personId !== null);
  const outcomes = await offboardPeople(
    deps,
    withPerson.map((r) => r.personId as number),
    { actor: "job", reason: "scheduled" },
  );
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
