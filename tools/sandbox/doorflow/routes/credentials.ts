/**
 * /api/3/people/{person_id}/credentials. Bodies come wrapped in `person_credential`. A person
 * holds one credential per type: a second one answers 409 whose body is the existing credential.
 * Values are unique per type across the account (422), `"******"` generates a PIN, and mobile
 * types (HID, PassFlow) are invitations that carry a status instead of a value.
 */
import {
  credentialTypeById,
  credentialsOf,
  isHidMobileType,
  markChanged,
  mobileSeatsInUse,
  newCredentialId,
} from "../model.js";
import { removeCredential, resolveCredentialValue, setCredentialValue } from "../credential-values.js";
import { integerOf } from "../input.js";
import { livePerson } from "../person-input.js";
import { json, missingParam, notFound, paginated, plainText, unprocessable } from "../respond.js";
import {
  isRecord,
  numericId,
  type Route,
  type RouteHandler,
  type RouteRequest,
  type SandboxContext,
} from "../router.js";
import { serializeCredential } from "../serialize.js";
import type { SandboxCredential, SandboxCredentialType, SandboxPerson } from "../types.js";

function personOf(ctx: SandboxContext, req: RouteRequest): SandboxPerson | undefined {
  return livePerson(ctx, numericId(req.params.person_id));
}

function credentialOf(ctx: SandboxContext, person: SandboxPerson, id: string | undefined) {
  return credentialsOf(ctx.state, person.id).find((c) => c.id === id);
}

function wrapped(body: unknown): Record<string, unknown> | undefined {
  return isRecord(body) && isRecord(body.person_credential) ? body.person_credential : undefined;
}

/** The spec documents no 404 here ("credentials for a specific person"): an unknown person has none. */
const list: RouteHandler = (ctx, req) => {
  const person = personOf(ctx, req);
  const held = person ? credentialsOf(ctx.state, person.id) : [];
  const wire = held.map((c) => serializeCredential(ctx.state, c));
  return paginated(wire, req.query, { defaultPerPage: 500 });
};

/** `GET /api/3/credentials`: every credential in the account (the spec's listAllCredentials). */
const listAll: RouteHandler = (ctx, req) => {
  const live = ctx.state.credentials.filter((c) =>
    ctx.state.people.some((p) => p.id === c.personId && !p.deleted),
  );
  const wire = live.map((c) => serializeCredential(ctx.state, c));
  return paginated(wire, req.query, { defaultPerPage: 500 });
};

/** The spec's UnprocessableEntityError carries a licence problem as `errors.limit_reached` (a string). */
const LICENCE_LIMIT = "You have reached your HID Mobile licence limit. Please contact DoorFlow Support.";

const show: RouteHandler = (ctx, req) => {
  const person = personOf(ctx, req);
  if (!person) return notFound("Person", req.params.person_id ?? "");
  const credential = credentialOf(ctx, person, req.params.id);
  if (!credential) return notFound("Credential", req.params.id ?? "");
  return json(200, serializeCredential(ctx.state, credential));
};

const PASSFLOW_CODE = 1500;

function inviteMobile(
  ctx: SandboxContext,
  person: SandboxPerson,
  type: SandboxCredentialType,
): SandboxCredential {
  const id = newCredentialId(ctx.state);
  const credential: SandboxCredential = {
    id,
    personId: person.id,
    credentialTypeId: type.id,
    value: null,
    status: "invited",
    // PassFlow (global code 1500) answers with the invitation's link; HID sends its own email.
    url: type.code === PASSFLOW_CODE ? `https://passflow.example/invite/${id}` : null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  ctx.state.credentials.push(credential);
  return credential;
}

const create: RouteHandler = (ctx, req) => {
  const person = personOf(ctx, req);
  if (!person) return notFound("Person", req.params.person_id ?? "");
  const input = wrapped(req.body);
  if (!input) return missingParam("person_credential");
  const typeId = integerOf(input.credential_type_id);
  const type = typeId === undefined ? undefined : credentialTypeById(ctx.state, typeId);
  if (!type) return unprocessable({ credential_type_id: ["Not found for this account"] });

  const existing = credentialsOf(ctx.state, person.id).find((c) => c.credentialTypeId === type.id);
  if (existing) return json(409, serializeCredential(ctx.state, existing));

  if (type.kind === "mobile") {
    if (!person.email) return unprocessable({ base: ["The person needs an email address to be invited"] });
    if (isHidMobileType(type) && mobileSeatsInUse(ctx.state) >= ctx.state.account.mobileLicences)
      return json(422, {
        error: `Validation failed: ${LICENCE_LIMIT}`,
        errors: { limit_reached: LICENCE_LIMIT },
      });
    const invited = inviteMobile(ctx, person, type);
    markChanged(ctx.state);
    return json(201, serializeCredential(ctx.state, invited));
  }
  const check = resolveCredentialValue(ctx.state, type, input.value, ctx.random);
  if (!check.ok) return unprocessable({ value: [check.message] });
  const created = setCredentialValue(ctx.state, person.id, type, check.value, ctx.now);
  markChanged(ctx.state);
  return json(201, serializeCredential(ctx.state, created));
};

const update: RouteHandler = (ctx, req) => {
  const person = personOf(ctx, req);
  if (!person) return notFound("Person", req.params.person_id ?? "");
  const credential = credentialOf(ctx, person, req.params.id);
  if (!credential) return notFound("Credential", req.params.id ?? "");
  const input = wrapped(req.body);
  if (!input) return missingParam("person_credential");
  const type = credentialTypeById(ctx.state, credential.credentialTypeId);
  if (!type || type.kind === "mobile")
    return unprocessable({ value: ["cannot be changed for a mobile credential"] });
  const check = resolveCredentialValue(ctx.state, type, input.value, ctx.random, credential.id);
  if (!check.ok) return unprocessable({ value: [check.message] });
  credential.value = check.value;
  credential.updatedAt = ctx.now;
  markChanged(ctx.state);
  return json(201, serializeCredential(ctx.state, credential));
};

/** The spec answers text/plain here: 200 for a value, 202 for a mobile credential being revoked. */
const remove: RouteHandler = (ctx, req) => {
  const person = personOf(ctx, req);
  if (!person) return notFound("Person", req.params.person_id ?? "");
  const credential = credentialOf(ctx, person, req.params.id);
  if (!credential) return notFound("Credential", req.params.id ?? "");
  markChanged(ctx.state);
  if (credential.status === null) {
    removeCredential(ctx.state, credential.id);
    return plainText(200, "");
  }
  // A mobile credential is deactivated asynchronously: it reads `revoking` until DoorFlow is done.
  credential.status = "revoking";
  credential.revokingSince ??= ctx.now;
  credential.updatedAt = ctx.now;
  return plainText(202, "");
};

/** Credentials are the person's: the spec guards them with the person scopes. */
const READ = "account.person.readonly";
const WRITE = "account.person";

export const credentialRoutes: Route[] = [
  { method: "GET", pattern: "/api/3/credentials", handler: listAll, scope: READ },
  { method: "GET", pattern: "/api/3/people/:person_id/credentials", handler: list, scope: READ },
  { method: "POST", pattern: "/api/3/people/:person_id/credentials", handler: create, scope: WRITE },
  { method: "GET", pattern: "/api/3/people/:person_id/credentials/:id", handler: show, scope: READ },
  { method: "PUT", pattern: "/api/3/people/:person_id/credentials/:id", handler: update, scope: WRITE },
  { method: "DELETE", pattern: "/api/3/people/:person_id/credentials/:id", handler: remove, scope: WRITE },
];
