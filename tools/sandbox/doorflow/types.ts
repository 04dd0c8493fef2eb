/**
 * The sandbox's in-memory model and its transport-neutral request/response types. Records are
 * camelCase and hold UTC instants; serialize.ts turns them into DoorFlow's
 * wire shapes (src/doorflow/schemas.ts).
 */

export interface DoorFlowSandboxOptions {
  /** The fixed bearer token; `null` accepts OAuth access tokens only. Default `"sandbox"`. */
  token?: string | null;
  /** IANA zone of the account. Default `"Europe/London"`. */
  timeZone?: string;
  /** Initial clock. When given, the clock stands still unless `ticking` is true. */
  now?: Date;
  /** Whether the clock follows real time (default: true when `now` is not given). */
  ticking?: boolean;
  /** Seed ~20 existing people with cards and PINs. Default true. */
  seed?: boolean;
  oauthClient?: { clientId: string; clientSecret: string };
  accessTokenTtlSeconds?: number;
  /** HID Mobile Access licence seats; a further invitation answers 422 `limit_reached`. Default 50. */
  mobileLicences?: number;
  /** Source of randomness for fault probabilities and generated PINs (seeded by default, so runs repeat). */
  random?: () => number;
  /** Keep each call's request and response bodies in `calls` (the contract test reads them). */
  record?: boolean;
  /** The account's own credential types and time zone (see ACCOUNT_SHAPES); `timeZone` is then unused. */
  account?: AccountShape;
}

/** What differs between DoorFlow accounts as Gatehouse meets them: credential types and the zone. */
export interface AccountShape {
  /** IANA zone every same-day rule uses. */
  timeZone: string;
  /** What `GET /api/3/account` answers as `time_zone`; by default the zone's Rails name. */
  timeZoneName?: string;
  /** Configured in DoorFlow's web UI: ids, labels and slugs are the account's own. */
  credentialTypes: readonly SandboxCredentialType[];
}

export interface SandboxRequest {
  method: string;
  /** May include `?query`. */
  path: string;
  headers: Record<string, string | undefined>;
  body?: string;
}

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  latencyMs?: number;
  /** The transport destroys the socket without answering. */
  drop?: boolean;
}

export interface FaultRule {
  method?: string;
  /** Exact path or a RegExp, matched against the path without its query. */
  path: string | RegExp;
  status?: number;
  /** A string is sent as is (e.g. broken JSON); anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  latencyMs?: number;
  /** 0..1, default 1. */
  probability?: number;
  /** Fire this many times, then remove the rule. */
  times?: number;
  drop?: boolean;
  /**
   * Whether the model handles the request before the fault answers. Default: false when `status`
   * is set (a gateway error: nothing changed), true otherwise (a drop after DoorFlow did the work).
   */
  processed?: boolean;
}

export interface SandboxCall {
  method: string;
  path: string;
  query: string;
  status: number;
  at: Date;
  requestId: string;
  /** A fault rule answered or changed this call. */
  faulted: boolean;
  dropped: boolean;
  /** What went over the wire, kept when the sandbox records. */
  exchange?: {
    requestType: string | undefined;
    requestBody: string | undefined;
    responseType: string | undefined;
    responseBody: string;
  };
}

type CredentialKind = "value" | "mobile";

export interface SandboxAccount {
  id: string;
  name: string;
  /** IANA zone every same-day rule uses. */
  timeZone: string;
  /** What `GET /api/3/account` answers as `time_zone` (DoorFlow is Rails: "London"). */
  timeZoneName: string;
  monitored: boolean;
  user: { id: number; firstName: string; lastName: string; email: string };
  passport: { remoteUnlockEnabled: boolean; hidMobileAccess: boolean };
  /** HID Mobile Access seats the account has bought; a credential holds one until it is revoked. */
  mobileLicences: number;
  lastSyncAt: Date | null;
  /** Changes waiting for `POST /api/3/sync`. */
  syncPending: boolean;
}

export interface SandboxCredentialType {
  id: number;
  label: string;
  slug: string;
  code: number | null;
  /** `value`: a number DoorFlow stores (card, PIN, fob); `mobile`: an invitation (HID, PassFlow). */
  kind: CredentialKind;
}

export interface SandboxGroup {
  id: number;
  name: string;
  /** The doors the group's roles open (not on the wire: GET /groups carries no doors). */
  channelIds: number[];
  notes: string | null;
  globalAcrossSites: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface SandboxChannel {
  id: number;
  name: string;
  macAddress: string;
  status: "online" | "offline" | "pending_encryption";
  unit: number;
  model: string | null;
  siteId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SandboxPerson {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  systemId: string | null;
  enabled: boolean;
  /** As sent: `YYYY-MM-DD` or an ISO instant. */
  validFrom: string | null;
  validTo: string | null;
  notes: string | null;
  /** Static memberships; group reservations add and remove theirs over time (model.ts). */
  groupIds: number[];
  /** Roles given through the API; a reservation's own role is added on the wire while it exists. */
  roleIds: number[];
  /** Other PersonInput fields (job_title, department, telephone, custom_1 ...), echoed back. */
  extra: Record<string, string | number | null>;
  deleted: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface SandboxCredential {
  /** DoorFlow hashid. */
  id: string;
  personId: number;
  credentialTypeId: number;
  value: string | null;
  status: "invited" | "active" | "revoking" | "revoked" | null;
  url: string | null;
  /** A mobile credential being revoked (DELETE answered 202): DoorFlow finishes it a moment later. */
  revokingSince?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface SandboxReservation {
  id: number;
  /** The role DoorFlow creates for the reservation period (and deletes with the reservation). */
  roleId: number;
  personId: number;
  startTime: Date;
  endTime: Date;
  channelIds: number[];
  createdAt: Date;
  updatedAt: Date;
}

export type GroupReservationState = "pending" | "active" | "deactivated";

export interface SandboxGroupReservation {
  id: number;
  personId: number;
  startTime: Date;
  endTime: Date;
  groupIds: number[];
  /** Set when an active reservation was deleted: DoorFlow deactivates rather than deletes it. */
  deactivatedAt: Date | null;
  /** The order of API changes (create, deactivate), for changes made within one clock tick. */
  createdSeq: number;
  deactivatedSeq: number | null;
  createdAt: Date;
  updatedAt: Date;
}

interface SandboxAuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | null;
  expiresAt: Date;
  used: boolean;
}

export interface SandboxAccessToken {
  token: string;
  clientId: string;
  scope: string;
  createdAt: Date;
  expiresAt: Date;
  refreshToken: string;
  revoked: boolean;
}

interface SandboxRefreshToken {
  token: string;
  clientId: string;
  scope: string;
  createdAt: Date;
  /** Set when the token was used (rotation) or revoked; it is refused from then on. */
  revokedAt: Date | null;
}

interface SandboxTokens {
  codes: Map<string, SandboxAuthorizationCode>;
  accessTokens: Map<string, SandboxAccessToken>;
  refreshTokens: Map<string, SandboxRefreshToken>;
}

export interface SandboxState {
  account: SandboxAccount;
  credentialTypes: SandboxCredentialType[];
  groups: SandboxGroup[];
  channels: SandboxChannel[];
  people: SandboxPerson[];
  credentials: SandboxCredential[];
  reservations: SandboxReservation[];
  groupReservations: SandboxGroupReservation[];
  tokens: SandboxTokens;
  nextIds: {
    person: number;
    reservation: number;
    groupReservation: number;
    credential: number;
    role: number;
    /** Counts API changes to group reservations (their `createdSeq`/`deactivatedSeq`). */
    change: number;
  };
}
