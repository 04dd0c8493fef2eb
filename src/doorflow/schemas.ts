/**
 * DoorFlow API v3 wire shapes (../shared/doorflow/openapi.yaml is the truth). Every response the
 * client reads is parsed with one of these; the sandbox builds its responses to the same shapes.
 * Objects are loose (unknown keys kept) because DoorFlow adds fields, and a person carries dynamic
 * credential fields named after the account's credential-type slugs (card_number, pin, ...).
 */
import { z } from "zod";

const dateTime = z.string();
const nullableString = z.string().nullable().optional();

export const accountSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  /** IANA name per the spec, but DoorFlow (Rails) may answer a name such as "London". */
  time_zone: z.string(),
  monitored: z.boolean(),
  sync: z.looseObject({
    status: z.enum(["complete", "failing", "syncing", "pending"]),
    last_sync: dateTime.nullable(),
    description: nullableString,
  }),
  user: z.looseObject({
    id: z.number().int(),
    first_name: z.string(),
    last_name: z.string(),
    email: z.string(),
  }),
  passport: z.looseObject({ remote_unlock_enabled: z.boolean(), hid_mobile_access: z.boolean() }),
});
export type Account = z.infer<typeof accountSchema>;

export const credentialTypeSchema = z.looseObject({
  id: z.number().int(),
  label: z.string(),
  slug: z.string(),
  code: z.number().int().nullable(),
});
export type CredentialType = z.infer<typeof credentialTypeSchema>;

export const groupSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  notes: nullableString,
  global_across_sites: z.boolean(),
  created_at: dateTime,
  updated_at: dateTime,
});
export type Group = z.infer<typeof groupSchema>;

export const channelSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  mac_address: z.string(),
  status: z.enum(["online", "offline", "pending_encryption"]),
  unit: z.number().int(),
  model: nullableString,
});
export type Channel = z.infer<typeof channelSchema>;

export const personSchema = z.looseObject({
  id: z.number().int(),
  first_name: z.string(),
  last_name: z.string(),
  email: nullableString,
  system_id: nullableString,
  enabled: z.boolean(),
  valid_from: nullableString,
  valid_to: nullableString,
  notes: nullableString,
  groups: z.array(z.number().int()),
  roles: z.array(z.number().int()),
  created_at: dateTime.optional(),
  updated_at: dateTime.optional(),
});
export type Person = z.infer<typeof personSchema>;

/** Fields we send when creating or updating a person. Credential fields are keyed by slug. */
export interface PersonInput {
  first_name?: string;
  last_name?: string;
  email?: string | null;
  system_id?: string | null;
  enabled?: boolean;
  /**
   * RFC 3339 date-times with offset (the spec's PersonInput: `format: date-time`, "valid from / until
   * this date/time"). A bare date would be read as midnight: access would end as the last day begins.
   */
  valid_from?: string | null;
  valid_to?: string | null;
  notes?: string | null;
  group_ids?: number[];
  /** Simple credential fields by credential-type slug, e.g. `{ card_number: "123", pin: "******" }`. */
  credentials?: Record<string, string>;
}

export const credentialSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  credential_type_id: z.number().int(),
  person_id: z.number().int(),
  label: z.string(),
  value: z.string().nullable().optional(),
  status: z.enum(["invited", "active", "revoking", "revoked"]).nullable().optional(),
});
export type Credential = z.infer<typeof credentialSchema>;

export const reservationSchema = z.looseObject({
  id: z.number().int(),
  person_id: z.number().int(),
  start_time: dateTime,
  end_time: dateTime,
  channel_ids: z.array(z.number().int()),
  created_at: dateTime,
  updated_at: dateTime,
});
export type Reservation = z.infer<typeof reservationSchema>;

export const groupReservationSchema = z.looseObject({
  id: z.number().int(),
  person_id: z.number().int(),
  start_time: dateTime,
  end_time: dateTime,
  state: z.enum(["pending", "active", "deactivated"]),
  group_ids: z.array(z.number().int()),
  created_at: dateTime,
  updated_at: dateTime,
});
export type GroupReservation = z.infer<typeof groupReservationSchema>;

export const okResultSchema = z.looseObject({ result: z.string().optional() });

/** DoorFlow's error body: `{error, error_description}`, 422 adds `errors`, 429 uses `description` + `retry_in`. */
export const errorBodySchema = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
  description: z.string().optional(),
  errors: z.record(z.string(), z.union([z.array(z.string()), z.string()])).optional(),
  retry_in: z.number().optional(),
});

export const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().int(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
  created_at: z.number().int(),
});
