/**
 * /api/3/people. DoorFlow's `email` filter is a case-insensitive partial match (so "sam.lee" finds
 * sam.leeson@ too) and `system_id` an exact one; pages hold at most 100 people. An update answers
 * 201, and DELETE is a soft delete (Gatehouse never calls it: it disables people instead).
 */
import { markChanged } from "../model.js";
import { updatedSince } from "../input.js";
import { applyPersonChanges, createPerson, livePerson, readPersonInput } from "../person-input.js";
import { json, notFound, ok, paginated, unprocessable } from "../respond.js";
import {
  isRecord,
  numericId,
  type Route,
  type RouteHandler,
  type RouteRequest,
  type SandboxContext,
} from "../router.js";
import { serializePerson } from "../serialize.js";
import type { SandboxPerson } from "../types.js";

const PEOPLE_PAGE = { defaultPerPage: 50, maxPerPage: 100 };

const list: RouteHandler = (ctx, req) => {
  const email = req.query.get("email")?.trim().toLowerCase();
  const systemId = req.query.get("system_id");
  const since = updatedSince(req.query, ctx.state.account.timeZone);
  const people = ctx.state.people.filter(
    (p) =>
      !p.deleted &&
      (!email || (p.email ?? "").toLowerCase().includes(email)) &&
      (systemId === null || p.systemId === systemId) &&
      (!since || p.updatedAt >= since),
  );
  const wire = people.sort((a, b) => a.id - b.id).map((p) => serializePerson(ctx.state, p, ctx.now));
  return paginated(wire, req.query, PEOPLE_PAGE);
};

function personFrom(ctx: SandboxContext, req: RouteRequest): SandboxPerson | undefined {
  return livePerson(ctx, numericId(req.params.id));
}

const show: RouteHandler = (ctx, req) => {
  const person = personFrom(ctx, req);
  if (!person) return notFound("Person", req.params.id ?? "");
  return json(200, serializePerson(ctx.state, person, ctx.now));
};

/** Rails wraps a JSON body in the model's name; accept either form. */
function personBody(body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body)) return undefined;
  return isRecord(body.person) && body.first_name === undefined ? body.person : body;
}

const create: RouteHandler = (ctx, req) => {
  // No body at all reads as an empty person: first and last name can't be blank.
  const read = readPersonInput(ctx, personBody(req.body) ?? {});
  if (!read.ok) return unprocessable(read.errors);
  const person = createPerson(ctx, read.changes);
  markChanged(ctx.state);
  return json(201, serializePerson(ctx.state, person, ctx.now));
};

const update: RouteHandler = (ctx, req) => {
  const person = personFrom(ctx, req);
  if (!person) return notFound("Person", req.params.id ?? "");
  const body = personBody(req.body) ?? {};
  const read = readPersonInput(ctx, body, person);
  if (!read.ok) return unprocessable(read.errors);
  applyPersonChanges(ctx, person, read.changes);
  markChanged(ctx.state);
  return json(201, serializePerson(ctx.state, person, ctx.now));
};

/** A soft delete: the record stays for the audit trail, but holds no access or credential. */
const remove: RouteHandler = (ctx, req) => {
  const person = personFrom(ctx, req);
  if (!person) return notFound("Person", req.params.id ?? "");
  const { state } = ctx;
  person.deleted = true;
  person.updatedAt = ctx.now;
  state.credentials = state.credentials.filter((c) => c.personId !== person.id);
  state.reservations = state.reservations.filter((r) => r.personId !== person.id);
  state.groupReservations = state.groupReservations.filter((g) => g.personId !== person.id);
  markChanged(state);
  return ok();
};

const READ = "account.person.readonly";
const WRITE = "account.person";

export const peopleRoutes: Route[] = [
  { method: "GET", pattern: "/api/3/people", handler: list, scope: READ },
  { method: "POST", pattern: "/api/3/people", handler: create, scope: WRITE },
  { method: "GET", pattern: "/api/3/people/:id", handler: show, scope: READ },
  { method: "PUT", pattern: "/api/3/people/:id", handler: update, scope: WRITE },
  { method: "DELETE", pattern: "/api/3/people/:id", handler: remove, scope: WRITE },
];
