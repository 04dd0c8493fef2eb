/** Extending a DoorFlow contractor: the group reservations, valid_to, and a read-back. */
import type { ManagedPerson } from "../../model.js";
import { inTransaction } from "../../../db/database.js";
import { claimAlert } from "../../../db/repositories/alerts.js";
import {
  listOpenBookingsOfPerson,
  markBookingsEnded,
  recordLiveBooking,
} from "../../../db/repositories/bookings.js";
import {
  endOfLocalDay,
  formatLocalDate,
  type LocalDate,
  rfc3339In,
  startOfLocalDay,
} from "../../../lib/time.js";
import type { Deps } from "../../deps.js";
import { ProvisioningRefused } from "../../failures.js";
import { personName } from "../../model.js";

/**
 * Extending never removes access. Deleting an *active* group reservation removes the person from
 * its groups (spec: deleteGroupReservation), so the one that carries the access now is left alone:
 * a later end is a new group reservation chained to start where the current contract ends (pending
 * until then); an earlier end deletes only the parts that have not begun, and valid_to and the
 * offboarding end the rest. Then the person is read back; whatever is missing is alerted once.
 */
export async function extendInDoorFlow(
  deps: Deps,
  person: ManagedPerson,
  newEndDate: LocalDate,
): Promise<{ groupReservationId?: number }> {
  const personId = person.doorflowPersonId;
  if (personId === null) throw new ProvisioningRefused("This contractor has no DoorFlow person.");
  const tz = deps.settings.timeZone;
  const oldEnd = endOfLocalDay(person.endDate, tz);
  const newEnd = endOfLocalDay(newEndDate, tz);
  let chained: number | undefined;
  if (newEnd.getTime() > oldEnd.getTime())
    chained = await chainGroupReservation(deps, person, personId, oldEnd, newEnd);
  else if (newEnd.getTime() < oldEnd.getTime()) await endFutureParts(deps, personId, newEnd);
  await deps.doorflow.updatePerson(personId, { valid_to: rfc3339In(newEnd, tz) });
  deps.sync.request(`extension of person ${personId}`);
  await verifyExtension(deps, person, personId, newEndDate);
  return chained === undefined ? {} : { groupReservationId: chained };
}

/** The new part of the contract: from the current end (or now, if that has passed) to the new end. */
async function chainGroupReservation(
  deps: Deps,
  person: ManagedPerson,
  personId: number,
  oldEnd: Date,
  newEnd: Date,
): Promise<number> {
  const done = listOpenBookingsOfPerson(deps.db, personId).find(
    (b) => b.kind === "group_reservation" && b.status === "live" && b.endsAt.getTime() === newEnd.getTime(),
  );
  if (done?.doorflowId) return done.doorflowId;
  const start = new Date(Math.max(oldEnd.getTime(), deps.now().getTime()));
  const created = await deps.doorflow.createGroupReservation({
    personId,
    startTime: start,
    endTime: newEnd,
    groupIds: person.accessIds,
  });
  recordLiveBooking(
    deps.db,
    {
      kind: "group_reservation",
      doorflowId: created.id,
      doorflowPersonId: personId,
      requestId: person.requestId,
      managedPersonId: person.id,
      startsAt: start,
      endsAt: newEnd,
      accessIds: person.accessIds,
    },
    deps.now(),
  );
  return created.id;
}

/** A shorter contract: group reservations that begin after the new end are deleted (pending: no loss). */
async function endFutureParts(deps: Deps, personId: number, newEnd: Date): Promise<void> {
  const listed = await deps.doorflow.listGroupReservations({ personId });
  const future = listed.filter(
    (g) => g.state === "pending" && new Date(g.start_time).getTime() >= newEnd.getTime(),
  );
  await Promise.all(future.map((g) => deps.doorflow.deleteGroupReservation(g.id)));
  const recorded = listOpenBookingsOfPerson(deps.db, personId);
  markBookingsEnded(
    deps.db,
    recorded
      .filter((b) => b.doorflowId !== null && future.some((g) => g.id === b.doorflowId))
      .map((b) => b.id),
    deps.now(),
  );
}

/**
 * Reads the person back: valid_to at the new end, the contract's groups held now (once it has
 * begun), and a group reservation that reaches the new end. Anything missing is one alert.
 */
async function verifyExtension(
  deps: Deps,
  person: ManagedPerson,
  personId: number,
  newEndDate: LocalDate,
): Promise<void> {
  const tz = deps.settings.timeZone;
  const newEnd = endOfLocalDay(newEndDate, tz);
  const [read, reservations] = await Promise.all([
    deps.doorflow.getPerson(personId),
    deps.doorflow.listGroupReservations({ personId }),
  ]);
  const problems: string[] = [];
  if (!read.valid_to || Math.abs(Date.parse(read.valid_to) - newEnd.getTime()) >= 1000)
    problems.push(`valid_to is ${read.valid_to ?? "empty"}, not ${rfc3339In(newEnd, tz)}`);
  const begun = deps.now().getTime() >= startOfLocalDay(person.startDate, tz).getTime();
  const missing = person.accessIds.filter((g) => !read.groups.includes(g));
  if (begun && missing.length > 0) {
    const names = missing.map((g) => person.accessNames[person.accessIds.indexOf(g)] ?? `group ${g}`);
    problems.push(`not in the group(s) ${names.join(", ")} now`);
  }
  const reaches = reservations.some(
    (g) => g.state !== "deactivated" && Math.abs(Date.parse(g.end_time) - newEnd.getTime()) < 1000,
  );
  if (!reaches) problems.push(`no group reservation reaches ${formatLocalDate(newEndDate)}`);
  if (problems.length === 0) return;
  const name = personName(person);
  inTransaction(deps.db, (tx) => {
    const claim = claimAlert(
      tx,
      {
        key: `extension:${person.id}:${newEndDate}`,
        kind: "extension_unverified",
        channelId: deps.settings.securityChannelId,
        summary: `Extension of ${name} to ${newEndDate} not verified: ${problems.join("; ")}`,
      },
      deps.now(),
    );
    if (!claim.created) return;
    void deps.messenger.securityAlert(
      {
        title: `Extension of ${name} not verified in DoorFlow`,
        lines: [
          {
            label: "Person",
            text: `${name}${person.email ? ` (${person.email})` : ""}, DoorFlow person ${personId}`,
          },
          { label: "New last day", text: formatLocalDate(newEndDate) },
          { label: "Missing", text: problems.join("; ") },
          { text: "Check the person's groups and group reservations in DoorFlow." },
        ],
      },
      { alertKey: claim.alert.key, tx },
    );
  });
}
