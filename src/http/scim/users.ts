/**
 * `/Users` and `/Users/{id}` (RFC 7644 §3.3–3.6): parse with scimmy, call one use case, answer. What
 * a deprovisioned user means for doors is the use case's business (src/domain/scim-users.ts).
 */
import { getScimUser, listScimUsers } from "../../db/repositories/scim-users.js";
import type { Deps } from "../../domain/deps.js";
import { createScimUser, deleteScimUser, replaceScimUser, type ScimWrite } from "../../domain/scim-users.js";
import {
  applyPatch,
  listResponse,
  parseUserFilter,
  readUserResource,
  SCIM_BASE_PATH,
  SCIM_MAX_RESULTS,
  ScimFailure,
  userResource,
  type ScimAnswer,
  type ScimRequest,
} from "./protocol.js";

const notFound = (id: string) => new ScimFailure(404, `No SCIM user ${id}.`);

function written(result: ScimWrite, id: string, status: number, onLeaver: () => void): ScimAnswer {
  if (result.status === "not_found") throw notFound(id);
  if (result.status === "conflict") {
    throw new ScimFailure(409, `Another user already has the userName ${result.userName}.`, "uniqueness");
  }
  if (result.leaverRecorded) onLeaver();
  const body = userResource(result.user);
  return {
    status,
    body,
    ...(status === 201 ? { location: `${SCIM_BASE_PATH}/Users/${result.user.id}` } : {}),
  };
}

/** `startIndex` (1-based; less than 1 counts as 1) and `count` (capped), RFC 7644 §3.4.2.4. */
function pageOf(query: URLSearchParams): { startIndex: number; count: number } {
  const int = (name: string, fallback: number) => {
    const raw = query.get(name);
    if (raw === null || raw.trim() === "") return fallback;
    if (!/^-?\d{1,9}$/.test(raw.trim())) {
      throw new ScimFailure(400, `${name} must be a whole number.`, "invalidValue");
    }
    return Number(raw);
  };
  return {
    startIndex: Math.max(1, int("startIndex", 1)),
    count: Math.min(SCIM_MAX_RESULTS, Math.max(0, int("count", SCIM_MAX_RESULTS))),
  };
}

export async function handleUsers(
  deps: Deps,
  request: ScimRequest,
  id: string | undefined,
  onLeaver: () => void,
): Promise<ScimAnswer> {
  if (id === undefined) {
    if (request.method === "GET") {
      const query = parseUserFilter(request.query.get("filter") ?? undefined);
      const page = pageOf(request.query);
      const { rows, total } = listScimUsers(deps.db, query, {
        offset: page.startIndex - 1,
        limit: page.count,
      });
      return {
        status: 200,
        body: listResponse(rows.map(userResource), { startIndex: page.startIndex, total }),
      };
    }
    if (request.method === "POST") {
      const identity = readUserResource(await request.body());
      return written(createScimUser(deps, identity), "", 201, onLeaver);
    }
    throw new ScimFailure(400, "Use GET or POST on /Users, or name a user: /Users/{id}.", "invalidSyntax");
  }

  switch (request.method) {
    case "GET": {
      const user = getScimUser(deps.db, id);
      if (!user) throw notFound(id);
      return { status: 200, body: userResource(user) };
    }
    case "PUT": {
      const identity = readUserResource(await request.body());
      return written(await replaceScimUser(deps, id, identity), id, 200, onLeaver);
    }
    case "PATCH": {
      const body = await request.body();
      const user = getScimUser(deps.db, id);
      if (!user) throw notFound(id);
      const patched = await applyPatch(userResource(user), body);
      // Nothing changed: the resource as it is (RFC 7644 §3.5.2 allows 200 with it, or 204).
      if (!patched) return { status: 200, body: userResource(user) };
      return written(await replaceScimUser(deps, id, patched), id, 200, onLeaver);
    }
    case "DELETE": {
      const result = deleteScimUser(deps, id);
      if (result.status !== "ok") throw notFound(id);
      if (result.leaverRecorded) onLeaver();
      return { status: 204 };
    }
    default:
      throw new ScimFailure(400, `${request.method} is not supported on /Users/{id}.`, "invalidSyntax");
  }
}
