/**
 * /api/3/reservations: a person's access to chosen doors for part of ONE day. DoorFlow refuses a
 * reservation whose start and end fall on different calendar days in the account's time zone
 * (which is why Gatehouse uses group reservations for contractors). The list shows future
 * reservations only (the spec: "a paginated list of future reservations"), not one under way, and
 * there is no GET or PUT by id: a change is delete and create. DoorFlow makes a role and shift for
 * each reservation's period, on the person's `roles` until the reservation is deleted.
 */
import { sameLocalDay } from "../../../../src/lib/time.js";
import { findPerson, markChanged } from "../model.js";
import { idList, integerOf, requiredInstant, updatedSince } from "../input.js";
import { ErrorCollector, json, notFound, ok, paginated, unprocessable } from "../respond.js";
import { isRecord, numericId, type Route, type RouteHandler } from "../router.js";
import { serializeReservation } from "../serialize.js";
import type { SandboxReservation } from "../types.js";

const list: RouteHandler = (ctx, req) => {
  const since = updatedSince(req.query, ctx.state.account.timeZone);
  const future = ctx.state.reservations.filter(
    (r) => r.startTime > ctx.now && (!since || r.updatedAt >= since),
  );
  const wire = future.sort((a, b) => a.startTime.getTime() - b.startTime.getTime() || a.id - b.id);
  return paginated(wire.map(serializeReservation), req.query, { defaultPerPage: 500 });
};

const create: RouteHandler = (ctx, req) => {
  const raw = isRecord(req.body) ? req.body : {};
  // Rails' JSON parameter wrapping accepts `{reservation: {...}}` as well as the bare fields.
  const body = isRecord(raw.reservation) ? raw.reservation : raw;
  const { state, now } = ctx;
  const zone = state.account.timeZone;
  const errors = new ErrorCollector();

  const personId = integerOf(body.person_id);
  if (body.person_id === undefined || body.person_id === null) errors.add("person_id", "can't be blank");
  else if (personId === undefined || !findPerson(state, personId))
    errors.add("person_id", "Not found for this account");

  const start = requiredInstant(body, "start_time", zone, errors);
  const end = requiredInstant(body, "end_time", zone, errors);
  if (start && end) {
    if (end <= start) errors.add("end_time", "must be after start_time");
    else if (!sameLocalDay(start, end, zone)) {
      errors.add("end_time", `must be on the same day as start_time in the account time zone (${zone})`);
    }
  }

  const field =
    body.channel_ids === undefined && body.door_controller_ids !== undefined
      ? "door_controller_ids"
      : "channel_ids";
  const channelIds = idList(
    body[field],
    "channel_ids",
    (id) => state.channels.some((c) => c.id === id),
    "channel",
    errors,
    {
      required: true,
    },
  );

  if (!errors.empty || personId === undefined || !start || !end || !channelIds)
    return unprocessable(errors.errors);
  const reservation: SandboxReservation = {
    id: state.nextIds.reservation++,
    roleId: state.nextIds.role++,
    personId,
    startTime: start,
    endTime: end,
    channelIds,
    createdAt: now,
    updatedAt: now,
  };
  state.reservations.push(reservation);
  markChanged(state);
  return json(201, serializeReservation(reservation));
};

const remove: RouteHandler = (ctx, req) => {
  const id = numericId(req.params.id);
  const found = ctx.state.reservations.find((r) => r.id === id);
  if (!found) return notFound("Reservation", req.params.id ?? "");
  ctx.state.reservations = ctx.state.reservations.filter((r) => r !== found);
  markChanged(ctx.state);
  return ok();
};

export const reservationRoutes: Route[] = [
  { method: "GET", pattern: "/api/3/reservations", handler: list, scope: "account.reservation.readonly" },
  { method: "POST", pattern: "/api/3/reservations", handler: create, scope: "account.reservation" },
  { method: "DELETE", pattern: "/api/3/reservations/:id", handler: remove, scope: "account.reservation" },
];
