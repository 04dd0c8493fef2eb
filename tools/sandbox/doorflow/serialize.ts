/**
 * Model records to DoorFlow's wire JSON (snake_case, the shapes in src/doorflow/schemas.ts and the
 * spec). Instants are written in UTC (`…Z`), which the spec's date-time format allows; so are a
 * person's valid_from/valid_to, kept as sent and read the way DoorFlow (Rails) reads them.
 */
import { parseInstant } from "./input.js";
import {
  credentialTypeById,
  credentialsOf,
  effectiveGroupIds,
  effectiveRoleIds,
  groupReservationState,
  groupReservationUpdatedAt,
} from "./model.js";
import type {
  SandboxAccount,
  SandboxChannel,
  SandboxCredential,
  SandboxCredentialType,
  SandboxGroup,
  SandboxGroupReservation,
  SandboxPerson,
  SandboxReservation,
  SandboxState,
} from "./types.js";

/** How long a sync shows as "syncing" before it reads "complete". */
const SYNC_DURATION_MS = 5_000;

const iso = (d: Date) => d.toISOString();

export function serializeAccount(account: SandboxAccount, now: Date): Record<string, unknown> {
  const syncing =
    account.lastSyncAt !== null && now.getTime() - account.lastSyncAt.getTime() < SYNC_DURATION_MS;
  return {
    id: account.id,
    name: account.name,
    time_zone: account.timeZoneName,
    monitored: account.monitored,
    reseller: null,
    sync: {
      status: account.syncPending ? "pending" : syncing ? "syncing" : "complete",
      last_sync: account.lastSyncAt ? iso(account.lastSyncAt) : null,
      description: null,
    },
    user: {
      id: account.user.id,
      first_name: account.user.firstName,
      last_name: account.user.lastName,
      email: account.user.email,
    },
    passport: {
      remote_unlock_enabled: account.passport.remoteUnlockEnabled,
      hid_mobile_access: account.passport.hidMobileAccess,
    },
  };
}

export function serializeCredentialType(t: SandboxCredentialType): Record<string, unknown> {
  return { id: t.id, label: t.label, slug: t.slug, code: t.code };
}

export function serializeGroup(g: SandboxGroup): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    notes: g.notes,
    global_across_sites: g.globalAcrossSites,
    created_at: iso(g.createdAt),
    updated_at: iso(g.updatedAt),
  };
}

export function serializeChannel(c: SandboxChannel, lastSyncAt: Date | null): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    mac_address: c.macAddress,
    status: c.status,
    unit: c.unit,
    model: c.model,
    model_long: c.model === null ? null : `DoorFlow ${c.model} two-door controller`,
    serial_number: null,
    site_id: c.siteId,
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    sync: {
      status: c.status === "online" ? "ok" : "fail",
      last_sync_completed_at: c.status === "online" && lastSyncAt ? iso(lastSyncAt) : null,
    },
    lockdown: null,
    mode: { description: "normal", relock_at: null, change_stamp: null },
    auto_unlock: null,
  };
}

/** A bare date sent as valid_to is midnight at its start in the account zone, as Rails reads it. */
function validity(sent: string | null, timeZone: string): string | null {
  const at = sent === null ? undefined : parseInstant(sent, timeZone);
  return at ? iso(at) : null;
}

export function serializePerson(state: SandboxState, p: SandboxPerson, now: Date): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: p.id,
    first_name: p.firstName,
    last_name: p.lastName,
    salutation: null,
    job_title: null,
    email: p.email,
    organisation_id: null,
    system_id: p.systemId,
    department: null,
    enabled: p.enabled,
    valid_from: validity(p.validFrom, state.account.timeZone),
    valid_to: validity(p.validTo, state.account.timeZone),
    image_url: null,
    image_thumbnail_url: null,
    telephone: null,
    mobile: null,
    notes: p.notes,
    barcode: null,
    custom_1: null,
    custom_2: null,
    custom_3: null,
    custom_4: null,
    custom_5: null,
    ...p.extra,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    groups: effectiveGroupIds(state, p, now),
    roles: effectiveRoleIds(state, p),
  };
  // DoorFlow adds one field per simple credential type, named by its slug (card_number, pin, ...).
  const held = credentialsOf(state, p.id);
  for (const type of state.credentialTypes) {
    if (type.kind !== "value") continue;
    out[type.slug] = held.find((c) => c.credentialTypeId === type.id)?.value ?? null;
  }
  return out;
}

export function serializeCredential(state: SandboxState, c: SandboxCredential): Record<string, unknown> {
  const type = credentialTypeById(state, c.credentialTypeId);
  const out: Record<string, unknown> = {
    id: c.id,
    credential_type_id: c.credentialTypeId,
    label: type?.label ?? "Credential",
    person_id: c.personId,
  };
  // Per the spec, `value` is present only for value-assignable types, `status` for mobile ones.
  if (type?.kind === "mobile") {
    out.status = c.status;
    out.url = c.url;
    out.wallet_type = null;
  } else {
    out.value = c.value;
  }
  return out;
}

export function serializeReservation(r: SandboxReservation): Record<string, unknown> {
  return {
    id: r.id,
    person_id: r.personId,
    start_time: iso(r.startTime),
    end_time: iso(r.endTime),
    channel_ids: [...r.channelIds],
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
  };
}

export function serializeGroupReservation(gr: SandboxGroupReservation, now: Date): Record<string, unknown> {
  return {
    id: gr.id,
    person_id: gr.personId,
    start_time: iso(gr.startTime),
    end_time: iso(gr.endTime),
    state: groupReservationState(gr, now),
    group_ids: [...gr.groupIds],
    created_at: iso(gr.createdAt),
    updated_at: iso(groupReservationUpdatedAt(gr, now)),
  };
}
