/**
 * SCIM 2.0's wire format through scimmy (https://github.com/scimmyjs/scimmy): the User schema with
 * the enterprise extension (Entra ID and Okta send it), filter parsing, PatchOp, and the
 * ServiceProviderConfig / ResourceTypes / Schemas documents. scimmy is used rather than
 * scim2-parse-filter + scim-patch because it is one dependency-free, typed ESM package covering all
 * of these, and it checks PatchOp values against the schema (a string for `active` is refused
 * instead of stored); Gatehouse only adds Entra's known deviations on top (see `normalisePatch`).
 *
 * RFC 7643 (schemas): https://datatracker.ietf.org/doc/html/rfc7643
 * RFC 7644 (protocol): https://datatracker.ietf.org/doc/html/rfc7644
 * Okta's SCIM 2.0 guide: https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20
 * Entra ID: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups
 * and its known deviations: https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
 */
import SCIMMY from "scimmy";
import type { ScimUserQuery } from "../../db/repositories/scim-users.js";
import type { ScimIdentity } from "../../domain/scim-users.js";
import { nameOf } from "../../domain/scim-users.js";

/** One SCIM call as the routes hand it to a resource handler. */
export interface ScimRequest {
  method: string;
  /** Path segments after /scim/v2, decoded. */
  segments: string[];
  query: URLSearchParams;
  body: () => Promise<unknown>;
}

export interface ScimAnswer {
  status: number;
  body?: unknown;
  location?: string;
}

export const SCIM_BASE_PATH = "/scim/v2";
export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";
/** Most users one list answer carries (`count` is capped to it, as ServiceProviderConfig says). */
export const SCIM_MAX_RESULTS = 200;
const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

// scimmy keeps its declarations per module: set once, the same for every Gatehouse in the process.
if (!SCIMMY.Resources.declared("User")) {
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }],
  });
  SCIMMY.Resources.User.basepath(SCIM_BASE_PATH);
  SCIMMY.Config.set({
    documentationUri: "https://github.com/gatehouse/gatehouse#leavers",
    patch: true,
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    bulk: false,
    changePassword: false,
    sort: false,
    etag: false,
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "Bearer token",
        description: "Authorization: Bearer <SCIM_TOKEN>",
        primary: true,
      },
    ],
  });
}

/** A SCIM error answer (RFC 7644 §3.12): `status` is a string; `scimType` only for 400 and 409. */
export class ScimFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: string,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}

/** scimmy's errors carry SCIM's status and keyword; its schema checks throw TypeErrors. */
export function toScimFailure(error: unknown): ScimFailure | null {
  if (error instanceof ScimFailure) return error;
  if (error instanceof SCIMMY.Types.Error) {
    const scimType = error.scimType ?? undefined;
    return new ScimFailure(error.status, error.message, scimType || undefined);
  }
  if (error instanceof TypeError) return new ScimFailure(400, error.message, "invalidValue");
  return null;
}

const invalidFilter = (detail: string) =>
  new ScimFailure(
    400,
    `${detail} Gatehouse supports one of: userName eq "…", externalId eq "…", emails.value eq "…" (also emails[type eq "work"].value eq "…").`,
    "invalidFilter",
  );

/** Reads a `filter` into the one lookup it asks for; anything else is `invalidFilter`. */
export function parseUserFilter(expression: string | undefined): ScimUserQuery {
  if (expression === undefined || expression.trim() === "") return { by: "all" };
  let filter: SCIMMY.Types.Filter;
  try {
    filter = new SCIMMY.Types.Filter(expression);
  } catch (error) {
    throw invalidFilter(`The filter cannot be read (${error instanceof Error ? error.message : "syntax"}).`);
  }
  const groups = [...filter] as Array<Record<string, unknown>>;
  if (groups.length !== 1) throw invalidFilter('Filters joined with "or" are not supported.');
  const entries = Object.entries(groups[0] as Record<string, unknown>);
  if (entries.length !== 1) throw invalidFilter('Filters joined with "and" are not supported.');
  const [attribute, test] = entries[0] as [string, unknown];
  switch (attribute.toLowerCase()) {
    case "username":
      return { by: "userName", value: equalsString(test) };
    case "externalid":
      return { by: "externalId", value: equalsString(test) };
    case "emails": {
      const sub = (test && typeof test === "object" && !Array.isArray(test) ? test : {}) as Record<
        string,
        unknown
      >;
      const keys = Object.keys(sub).map((k) => k.toLowerCase());
      if (!keys.includes("value") || keys.some((k) => k !== "value" && k !== "type")) {
        throw invalidFilter("Only emails.value can be filtered on.");
      }
      const value = Object.entries(sub).find(([k]) => k.toLowerCase() === "value")?.[1];
      return { by: "email", value: equalsString(value) };
    }
    default:
      throw invalidFilter(`Filtering on "${attribute}" is not supported.`);
  }
}

function equalsString(test: unknown): string {
  if (
    !Array.isArray(test) ||
    test.length !== 2 ||
    String(test[0]).toLowerCase() !== "eq" ||
    typeof test[1] !== "string"
  ) {
    throw invalidFilter('Only "eq" with a quoted string is supported.');
  }
  return test[1];
}

/**
 * Entra ID sends `"op": "Replace"` and string booleans (`"value": "False"`) for `active` unless the
 * tenant URL carries `aadOptscim062020` (Microsoft's own known-issues page). scimmy already reads
 * the op case-insensitively; the string boolean of `active`, and only that, is turned into a boolean
 * before scimmy checks the operation against the schema.
 */
function normalisePatch(body: unknown): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const message = body as Record<string, unknown>;
  if (!Array.isArray(message.Operations)) return body;
  const asBoolean = (v: unknown) =>
    typeof v === "string" && /^(true|false)$/i.test(v.trim()) ? v.trim().toLowerCase() === "true" : v;
  return {
    ...message,
    Operations: message.Operations.map((op: unknown) => {
      if (!op || typeof op !== "object" || Array.isArray(op)) return op;
      const o = op as Record<string, unknown>;
      if (typeof o.path === "string" && o.path.trim().toLowerCase() === "active") {
        return { ...o, value: asBoolean(o.value) };
      }
      if (o.path === undefined && o.value && typeof o.value === "object" && !Array.isArray(o.value)) {
        const value = Object.fromEntries(
          Object.entries(o.value as Record<string, unknown>).map(([k, v]) =>
            k.toLowerCase() === "active" ? [k, asBoolean(v)] : [k, v],
          ),
        );
        return { ...o, value };
      }
      return o;
    }),
  };
}

/** Checks a POST or PUT body against the User schema; the result is what is stored. */
export function readUserResource(body: unknown): ScimIdentity {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new ScimFailure(400, "The body must be one User resource (a JSON object).", "invalidSyntax");
  }
  const user = new SCIMMY.Schemas.User(body, "in") as unknown as Record<string, unknown>;
  return identityOf(user);
}

/** Applies a PatchOp message to the stored resource; null when nothing changed. */
export async function applyPatch(
  stored: Record<string, unknown>,
  body: unknown,
): Promise<ScimIdentity | null> {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new ScimFailure(400, "The body must be a PatchOp message (a JSON object).", "invalidSyntax");
  }
  const message = new SCIMMY.Messages.PatchOp(normalisePatch(body) as never);
  const patched = await message.apply(new SCIMMY.Schemas.User(stored, "out"));
  if (!patched) return null;
  return identityOf(new SCIMMY.Schemas.User(patched, "in") as unknown as Record<string, unknown>);
}

function identityOf(user: Record<string, unknown>): ScimIdentity {
  const { id: _id, meta: _meta, ...resource } = JSON.parse(JSON.stringify(user)) as Record<string, unknown>;
  const userName = typeof resource.userName === "string" ? resource.userName.trim() : "";
  if (!userName) throw new ScimFailure(400, "userName is required.", "invalidValue");
  const emails = Array.isArray(resource.emails) ? (resource.emails as Array<Record<string, unknown>>) : [];
  const primary =
    emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === "work") ?? emails[0];
  const email =
    typeof primary?.value === "string" && primary.value.includes("@")
      ? primary.value.trim()
      : userName.includes("@")
        ? userName
        : null;
  const externalId = typeof resource.externalId === "string" ? resource.externalId : null;
  return {
    userName,
    externalId,
    email,
    active: resource.active !== false,
    resource,
    displayName: nameOf(resource),
  };
}

/** The stored user as SCIM shows it, with `id` and `meta` (RFC 7643 §3.1). */
export function userResource(user: {
  id: string;
  resource: Record<string, unknown>;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}): Record<string, unknown> {
  const instance = new SCIMMY.Schemas.User(
    {
      ...user.resource,
      active: user.active,
      id: user.id,
      meta: { resourceType: "User", created: user.createdAt, lastModified: user.updatedAt },
    },
    "out",
    `${SCIM_BASE_PATH}/Users`,
  );
  return JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
}

/**
 * A ListResponse (RFC 7644 §3.4.2) for one page already read from the database. Built here rather
 * than with scimmy's ListResponse, which slices its input again by startIndex.
 */
export function listResponse(resources: unknown[], page: { startIndex: number; total: number }) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: page.total,
    startIndex: page.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** The discovery documents (RFC 7644 §4), as scimmy describes what is declared above. */
export async function discovery(which: "ServiceProviderConfig" | "ResourceTypes" | "Schemas", id?: string) {
  const resource =
    which === "ServiceProviderConfig"
      ? new SCIMMY.Resources.ServiceProviderConfig()
      : which === "ResourceTypes"
        ? new SCIMMY.Resources.ResourceType(id)
        : new SCIMMY.Resources.Schema(id);
  return JSON.parse(JSON.stringify(await resource.read())) as Record<string, unknown>;
}
