/**
 * /api/3/group_reservations: a person joins groups from start to end, any number of days. DoorFlow
 * moves them pending → active → deactivated by itself, so the state is computed from the sandbox
 * clock. Deleting a pending one removes it; deleting an active one deactivates it and the person
 * leaves its groups at once, even groups another live reservation also gives (model.ts). The spec has no GET by id; the list shows reservations that have not
 * ended yet (including ones deactivated early).
 */
import { findPerson, groupReservationState, groupReservationUpdatedAt, markChanged } from "../model.js";
import { idList, integerOf, requiredInstant, updatedSince } from "../input.js";
import { ErrorCollector, json, missingParam, notFound, ok, paginated, unprocessable } from "../respond.js";
import { isRecord, numericId, type Route, type RouteHandler } from "../router.js";
import { serializeGroupReservation } from "../serialize.js";
import type { SandboxGroupReservation } from "../types.js";

const list: RouteHandler = (ctx, req) => {
  const { now } = ctx;
  const since = updatedSince(req.query, ctx.state.account.timeZone);
  const current = ctx.state.groupReservations.filter(
    (g) => g.endTime > now && (!since || groupReservationUpdatedAt(g, now) >= since),
  );
  const wire = current.sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || a.id - b.id);
  return paginated(
    wire.map((g) => serializeGroupReservation(g, now)),
    req.query,
    { defaultPerPage: 500 },
  );
};

const create: RouteHandler = (ctx, req) => {
  if (!isRecord(req.body) || !isRecord(req.body.group_reservation)) return missingParam("group_reservation");
  const body = req.body.group_reservation;
  const { state, now } = ctx;
  const errors = new ErrorCollector();

  const personId = integerOf(body.person_id);
  if (body.person_id === undefined || body.person_id === null) errors.add("person_id", "can't be blank");
  else if (personId === undefined || !findPerson(state, personId))
    errors.add("person_id", "Not found for this account");

  const start = requiredInstant(body, "start_time", state.account.timeZone, errors);
  const end = requiredInstant(body, "end_time", state.account.timeZone, errors);
  if (start && end && end <= start) errors.add("end_time", "must be after start_time");
  else if (end && end <= now) errors.add("end_time", "must be in the future");

  const groupIds = idList(
    body.group_ids,
    "group_ids",
    (id) => state.groups.some((g) => g.id === id),
    "group",
    errors,
    {
      required: true,
    },
  );

  if (!errors.empty || personId === undefined || !start || !end || !groupIds)
    return unprocessable(errors.errors);
  const reservation: SandboxGroupReservation = {
    id: state.nextIds.groupReservation++,
    personId,
    startTime: start,
    endTime: end,
    groupIds,
    deactivatedAt: null,
    createdSeq: state.nextIds.change++,
    deactivatedSeq: null,
    createdAt: now,
    updatedAt: now,
  };
  state.groupReservations.push(reservation);
  markChanged(state);
  return json(201, serializeGroupReservation(reservation, now));
};

/** Deleting one that is already deactivated (or over) changes nothing and still answers ok. */
const remove: RouteHandler = (ctx, req) => {
  const id = numericId(req.params.id);
  const found = ctx.state.groupReservations.find((g) => g.id === id);
  if (!found) return notFound("GroupReservation", req.params.id ?? "");
  const state = groupReservationState(found, ctx.now);
  if (state === "pending") {
    ctx.state.groupReservations = ctx.state.groupReservations.filter((g) => g !== found);
  } else if (state === "active") {
    found.deactivatedAt = ctx.now;
    found.deactivatedSeq = ctx.state.nextIds.change++;
    found.updatedAt = ctx.now;
  }
  markChanged(ctx.state);
  return ok();
};

const READ = "account.group_reservation.readonly";
const WRITE = "account.group_reservation";

export const groupReservationRoutes: Route[] = [
  { method: "GET", pattern: "/api/3/group_reservations", handler: list, scope: READ },
  { method: "POST", pattern: "/api/3/group_reservations", handler: create, scope: WRITE },
  { method: "DELETE", pattern: "/api/3/group_reservations/:id", handler: remove, scope: WRITE },
];
