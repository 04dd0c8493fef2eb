/**
 * DoorFlow's PersonInput: the person's own fields plus one field per simple credential type, named
 * by its slug (`card_number`, `pin`). Everything is checked before anything changes, so a 422
 * leaves the account as it was. Unknown fields are ignored, as Rails' strong parameters do.
 */
import { credentialsOf, findPerson } from "./model.js";
import { parseInstant, idList, optionalString } from "./input.js";
import { removeCredential, resolveCredentialValue, setCredentialValue } from "./credential-values.js";
import { ErrorCollector, type FieldErrors } from "./respond.js";
import type { SandboxContext } from "./router.js";
import type { SandboxCredentialType, SandboxPerson } from "./types.js";

/** PersonInput fields the sandbox keeps only to echo them back. */
const ECHOED = [
  "salutation",
  "job_title",
  "department",
  "telephone",
  "mobile",
  "barcode",
  "organisation_id",
  "custom_1",
  "custom_2",
  "custom_3",
  "custom_4",
  "custom_5",
] as const;

const NAMES = [
  ["first_name", "firstName"],
  ["last_name", "lastName"],
] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface PersonChanges {
  fields: Partial<
    Pick<
      SandboxPerson,
      | "firstName"
      | "lastName"
      | "email"
      | "systemId"
      | "enabled"
      | "validFrom"
      | "validTo"
      | "notes"
      | "groupIds"
      | "roleIds"
    >
  >;
  extra: Record<string, string | number | null>;
  /** A value to set, or null to remove the person's credential of that type. */
  credentials: Array<{ type: SandboxCredentialType; value: string | null }>;
}

type Read = { ok: true; changes: PersonChanges } | { ok: false; errors: FieldErrors };

function blankToNull(value: string | null | undefined): string | null | undefined {
  return typeof value === "string" && value.trim() === "" ? null : value?.trim();
}

/** Reads a create (`existing` undefined) or update body. */
export function readPersonInput(
  ctx: SandboxContext,
  body: Record<string, unknown>,
  existing?: SandboxPerson,
): Read {
  const { state } = ctx;
  const errors = new ErrorCollector();
  const fields: PersonChanges["fields"] = {};

  for (const [key, prop] of NAMES) {
    const raw = body[key];
    // An update may leave the names alone; a create must give both.
    if (raw === undefined && existing) continue;
    const value = optionalString(raw);
    if (raw !== undefined && raw !== null && value === undefined) errors.add(key, "must be a string");
    else if (!value?.trim()) errors.add(key, "can't be blank");
    else fields[prop] = value.trim();
  }

  const email = blankToNull(optionalString(body.email));
  if (email !== undefined) {
    const taken = (p: SandboxPerson) =>
      !p.deleted && p.id !== existing?.id && p.email?.toLowerCase() === email?.toLowerCase();
    if (email !== null && !EMAIL.test(email)) errors.add("email", "is invalid");
    else if (email !== null && state.people.some(taken)) errors.add("email", "has already been taken");
    else fields.email = email;
  }

  const systemId = blankToNull(optionalString(body.system_id));
  if (systemId !== undefined) {
    const taken = (p: SandboxPerson) => !p.deleted && p.id !== existing?.id && p.systemId === systemId;
    if (systemId !== null && state.people.some(taken)) errors.add("system_id", "has already been taken");
    else fields.systemId = systemId;
  }

  if (body.enabled !== undefined) {
    if (typeof body.enabled === "boolean") fields.enabled = body.enabled;
    else errors.add("enabled", "must be true or false");
  }

  for (const [key, prop] of [
    ["valid_from", "validFrom"],
    ["valid_to", "validTo"],
  ] as const) {
    const value = blankToNull(optionalString(body[key]));
    if (value === undefined) continue;
    if (value !== null && !parseInstant(value, state.account.timeZone))
      errors.add(key, "is not a valid date");
    else fields[prop] = value;
  }
  const from = fields.validFrom === undefined ? existing?.validFrom : fields.validFrom;
  const to = fields.validTo === undefined ? existing?.validTo : fields.validTo;
  const fromAt = from ? parseInstant(from, state.account.timeZone) : undefined;
  const toAt = to ? parseInstant(to, state.account.timeZone) : undefined;
  if (fromAt && toAt && toAt < fromAt) errors.add("valid_to", "must be on or after valid_from");

  const notes = optionalString(body.notes);
  if (notes !== undefined) fields.notes = notes;

  const groupIds = idList(
    body.group_ids,
    "group_ids",
    (id) => state.groups.some((g) => g.id === id),
    "group",
    errors,
    {
      required: false,
    },
  );
  if (groupIds) fields.groupIds = groupIds;
  const roleIds = idList(body.role_ids, "role_ids", () => true, "role", errors, { required: false });
  if (roleIds) fields.roleIds = roleIds;

  const extra: PersonChanges["extra"] = {};
  for (const key of ECHOED) {
    const value = body[key];
    if (value === null || typeof value === "string" || typeof value === "number") extra[key] = value;
  }

  const credentials: PersonChanges["credentials"] = [];
  const held = existing ? credentialsOf(state, existing.id) : [];
  for (const type of state.credentialTypes) {
    // Mobile credentials are invitations: only the credentials endpoint can issue them.
    if (type.kind !== "value" || !(type.slug in body)) continue;
    const raw = body[type.slug];
    if (raw === null || raw === "") {
      credentials.push({ type, value: null });
      continue;
    }
    const current = held.find((c) => c.credentialTypeId === type.id);
    const check = resolveCredentialValue(state, type, raw, ctx.random, current?.id);
    if (check.ok) credentials.push({ type, value: check.value });
    else errors.add(type.slug, check.message);
  }

  return errors.empty
    ? { ok: true, changes: { fields, extra, credentials } }
    : { ok: false, errors: errors.errors };
}

export function createPerson(ctx: SandboxContext, changes: PersonChanges): SandboxPerson {
  const { state, now } = ctx;
  const person: SandboxPerson = {
    id: state.nextIds.person++,
    firstName: "",
    lastName: "",
    email: null,
    systemId: null,
    enabled: true,
    validFrom: null,
    validTo: null,
    notes: null,
    groupIds: [],
    roleIds: [],
    extra: {},
    deleted: false,
    createdAt: now,
    updatedAt: now,
  };
  state.people.push(person);
  applyPersonChanges(ctx, person, changes);
  return person;
}

export function applyPersonChanges(ctx: SandboxContext, person: SandboxPerson, changes: PersonChanges): void {
  Object.assign(person, changes.fields);
  person.extra = { ...person.extra, ...changes.extra };
  person.updatedAt = ctx.now;
  for (const { type, value } of changes.credentials) {
    if (value !== null) {
      setCredentialValue(ctx.state, person.id, type, value, ctx.now);
      continue;
    }
    const held = credentialsOf(ctx.state, person.id).find((c) => c.credentialTypeId === type.id);
    if (held) removeCredential(ctx.state, held.id);
  }
}

export function livePerson(ctx: SandboxContext, id: number | undefined): SandboxPerson | undefined {
  return id === undefined ? undefined : findPerson(ctx.state, id);
}
