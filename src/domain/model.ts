/**
 * The domain's own words: what a request, a managed person, an offboarding, an extension… is, and
 * the states and kinds they go through. src/db stores them (schema.ts) and maps its rows to these
 * types; Slack views, the CLI and the use cases speak only these. Imports nothing.
 */

export const ACCESS_KINDS = ["contractor", "visitor"] as const;

export type AccessKind = (typeof ACCESS_KINDS)[number];

/**
 * requested → approved → provisioning → active, or requested → denied | expired, or
 * approved/provisioning → failed. `active` ends in `ended` once the person is offboarded.
 * `awaiting_provider`: provisioning waits for the provider's own people (a Buzz-in community admin
 * approving the contractor, or Buzz-in issuing the pass); its webhook moves the request on.
 */
export const REQUEST_STATES = [
  "requested",
  "approved",
  "provisioning",
  "awaiting_provider",
  "active",
  "denied",
  "expired",
  "failed",
  "ended",
] as const;

export type RequestState = (typeof REQUEST_STATES)[number];

/** Where a contractor's access lives: DoorFlow doors, or a Buzz-in community's work permit. */
export const PROVIDERS = ["doorflow", "buzzin"] as const;

export type ProviderId = (typeof PROVIDERS)[number];

/** `access_code`: a Buzz-in pass (code and QR image), issued by Buzz-in once the permit is accepted. */
export const CREDENTIAL_KINDS = ["card", "mobile", "pin", "access_code"] as const;

type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** The steps of provisioning, in order; `step` on a request says which one is next. */
export const PROVISIONING_STEPS = ["person", "credentials", "access", "sync", "notify", "done"] as const;

type ProvisioningStep = (typeof PROVISIONING_STEPS)[number];

/**
 * A DoorFlow person found by a request's email at submit time. Card numbers are kept (they are
 * printed on the card); a PIN value never is.
 */
export interface ExistingPersonSnapshot {
  doorflowPersonId: number;
  firstName: string;
  lastName: string;
  enabled: boolean;
  systemId: string | null;
  validTo: string | null;
  groupIds: number[];
  groupNames: string[];
  cardNumber: string | null;
  /** Credential kinds held (card, pin, mobile, other), never their values. */
  credentialKinds: string[];
  /** When DoorFlow last changed the person (ISO instant), or when Gatehouse offboarded them. */
  changedAt: string | null;
  /** Gatehouse offboarded this person before (an ended contract). */
  managedBefore: boolean;
}

export const PERSON_KINDS = ["contractor", "visitor", "employee"] as const;

export type PersonKind = (typeof PERSON_KINDS)[number];

export const PERSON_STATUSES = ["active", "offboarded"] as const;

type PersonStatus = (typeof PERSON_STATUSES)[number];

/** A credential we issued or found, without its secret: card numbers are kept, PIN values never. */
export interface ManagedCredential {
  id: string;
  typeSlug: string;
  /** The card number; `null` for a PIN or a mobile credential. */
  cardNumber: string | null;
}

/**
 * Why an offboarding exists. `hr`, `scim` and `slack` are the leaver sources (an HR webhook, an
 * identity provider's SCIM deprovisioning, a deactivated Slack account): kept in this one column
 * rather than a second "source" column because the reason already answers "who decided this
 * person leaves", and an HR cancellation must find exactly the offboardings HR itself asked for.
 */
export const OFFBOARDING_REASONS = [
  "contract_end",
  "scheduled",
  "manual",
  "bulk",
  "hr",
  "scim",
  "slack",
] as const;

export type OffboardingReason = (typeof OFFBOARDING_REASONS)[number];

export const OFFBOARDING_STATUSES = ["scheduled", "running", "completed", "failed", "cancelled"] as const;

type OffboardingStatus = (typeof OFFBOARDING_STATUSES)[number];

export const EXTENSION_STATES = ["requested", "approved", "applied", "denied", "expired", "failed"] as const;

export type ExtensionState = (typeof EXTENSION_STATES)[number];

export const JOB_RUN_STATUSES = ["running", "completed", "failed", "abandoned"] as const;

/** `unusable`: the token was right but the payload could not be acted on (recorded with `problem`). */
export const WEBHOOK_DELIVERY_STATES = ["received", "processed", "failed", "ignored", "unusable"] as const;

export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/**
 * Buzz-in's stages for one contractor request, in order. Gatehouse creates the community contractor,
 * waits for the community admin (`communityContractors.approved`), creates and submits the permit,
 * waits for the pass (`passes.permits.issued`); `revoked`, `removed` and `expired` end it.
 */
export const BUZZIN_STAGES = [
  "contractor",
  "awaiting_community",
  "permit",
  "awaiting_pass",
  "active",
  "revoked",
  "removed",
  "expired",
] as const;

export type BuzzinStage = (typeof BUZZIN_STAGES)[number];

export const BOOKING_KINDS = ["group_reservation", "reservation"] as const;

export type BookingKind = (typeof BOOKING_KINDS)[number];

/**
 * `attempted`: the create was sent and its answer not (yet) recorded; `live`: DoorFlow holds it;
 * `ended`: Gatehouse deleted it (or found it gone).
 */
export const BOOKING_STATUSES = ["attempted", "live", "ended"] as const;

type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const LEAVER_SOURCES = ["hr", "scim", "slack"] as const;

export type LeaverSource = (typeof LEAVER_SOURCES)[number];

/** What a source said: HR's two event types, an identity provider deprovisioning, Slack deactivating. */
export const LEAVER_SIGNALS = [
  "terminated",
  "termination_cancelled",
  "deprovisioned",
  "deactivated",
] as const;

export type LeaverSignal = (typeof LEAVER_SIGNALS)[number];

/**
 * `received` (recorded, answered, not yet acted on: resumed at start after a crash) →
 * `offboarded` | `scheduled` | `cancelled` | `not_found` | `several` | `alerted` (operators were
 * asked) | `failed` (the offboarding failed; the job retries it) | `ignored` (nothing to do).
 */
export const LEAVER_STATES = [
  "received",
  "offboarded",
  "scheduled",
  "cancelled",
  "not_found",
  "several",
  "alerted",
  "failed",
  "ignored",
] as const;

export type LeaverState = (typeof LEAVER_STATES)[number];

export const SLACK_OUTBOX_KINDS = ["post", "update"] as const;

export const SLACK_OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;

/** A rendered Slack message as the outbox keeps it (chat.postMessage / chat.update arguments). */
export interface OutboxMessage {
  text: string;
  blocks?: unknown[];
}

// Entities: what src/db/repositories return, a row mapped field for field (src/db/rows.ts checks it).

/** A request for someone to get through the doors, from the form to the end of the contract. */
export interface AccessRequest {
  id: string;
  kind: AccessKind;
  provider: ProviderId;
  state: RequestState;
  requesterId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  company: string;
  notes: string | null;
  accessIds: number[];
  accessNames: string[];
  startDate: string;
  endDate: string;
  credential: CredentialKind;
  cardNumber: string | null;
  approvalChannelId: string | null;
  approvalTs: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  denyReason: string | null;
  expiresAt: Date;
  step: ProvisioningStep | null;
  attempts: number;
  nextAttemptAt: Date | null;
  giveUpAt: Date | null;
  lastError: string | null;
  failureNotifiedAt: Date | null;
  doorflowPersonId: number | null;
  existingPerson: ExistingPersonSnapshot | null;
  personCreated: boolean;
  groupReservationId: number | null;
  reservationId: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Someone Gatehouse gave access to (or took over), until they are offboarded. */
export interface ManagedPerson {
  id: number;
  kind: PersonKind;
  provider: ProviderId;
  requesterId: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
  company: string | null;
  accessIds: number[];
  accessNames: string[];
  startDate: string;
  endDate: string;
  credentials: ManagedCredential[];
  doorflowPersonId: number | null;
  groupReservationId: number | null;
  reservationId: number | null;
  createdAt: Date;
  updatedAt: Date;
  requestId: string | null;
  status: PersonStatus;
  approverId: string | null;
  credentialKind: CredentialKind | null;
  cardCollectedAt: Date | null;
  cardCollectedBy: string | null;
  cardNoticeChannelId: string | null;
  cardNoticeTs: string | null;
  offboardedAt: Date | null;
}

/** Taking someone's access away: scheduled, running, completed, failed or cancelled. */
export interface Offboarding {
  id: number;
  provider: ProviderId;
  email: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  doorflowPersonId: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  requestId: string | null;
  status: OffboardingStatus;
  managedPersonId: number | null;
  personName: string;
  reason: OffboardingReason;
  lastDay: string;
  dueAt: Date;
  requestedBy: string;
  completedAt: Date | null;
}

/** A request to move a contractor's last day, decided like an access request. */
export interface Extension {
  id: string;
  state: ExtensionState;
  requesterId: string;
  approvalChannelId: string | null;
  approvalTs: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  denyReason: string | null;
  expiresAt: Date;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  managedPersonId: number;
  oldEndDate: string;
  newEndDate: string;
}

/** A security-channel alert, raised once per key and edited when it is resolved. */
export interface Alert {
  id: number;
  kind: string;
  createdAt: Date;
  status: "open" | "resolved";
  key: string;
  channelId: string;
  ts: string | null;
  summary: string;
  resolvedAt: Date | null;
}

/** What a Buzz-in contractor request needs beyond an access request, and Buzz-in's ids once known. */
export interface BuzzinPermit {
  createdAt: Date;
  updatedAt: Date;
  requestId: string;
  managedPersonId: number | null;
  stage: BuzzinStage;
  phone: string;
  tradeLicenseUrl: string;
  tradeLicenseExpiry: string;
  salesforceId: string;
  property: string;
  unit: string;
  contractorId: string | null;
  permitId: string | null;
  nocUrl: string;
  nocNumber: string;
  nocIssueDate: string;
  nocExpiryDate: string;
  timeIn: string;
  timeOut: string;
  representativeName: string;
  representativePhone: string;
  employees: { name: string; phone: string }[];
  jobsSummary: string;
  salesforcePermitId: string | null;
  contractorApprovedAt: Date | null;
  passFingerprint: string | null;
  passNumber: string | null;
  passIssuedAt: Date | null;
  passNotifiedFingerprint: string | null;
  passSendingUntil: Date | null;
  passSendingOwner: string | null;
  retiredFingerprint: string | null;
  reissueRequestedAt: Date | null;
}

/** A reservation or group reservation Gatehouse made in DoorFlow, by DoorFlow's id. */
export interface Booking {
  id: number;
  kind: BookingKind;
  accessIds: number[];
  doorflowPersonId: number;
  createdAt: Date;
  updatedAt: Date;
  requestId: string | null;
  status: BookingStatus;
  managedPersonId: number | null;
  doorflowId: number | null;
  startsAt: Date;
  endsAt: Date;
  rolesBefore: number[] | null;
}

/** A leaver Gatehouse heard of (HR, SCIM, Slack) without anyone typing /offboard. */
export interface LeaverEvent {
  id: number;
  name: string | null;
  state: LeaverState;
  email: string | null;
  attempts: number;
  doorflowPersonId: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  updatedAt: Date;
  lastDay: string | null;
  key: string;
  source: LeaverSource;
  signal: LeaverSignal;
  externalId: string;
  offboardingId: number | null;
  detail: string | null;
  previous: { reason: OffboardingReason; lastDay: string; dueAt: number; requestedBy: string } | null;
  notifiedAt: Date | null;
  receivedAt: Date;
  processedAt: Date | null;
}

/** A post or an edit the Slack outbox owes, until Slack answers ok (or refuses it for good). */
export interface OutboxEntry {
  id: number;
  kind: (typeof SLACK_OUTBOX_KINDS)[number];
  /** A channel or user id; null for an edit whose message is found through `ref`. */
  channel: string | null;
  /** An edit's message, when known at enqueue time. */
  targetTs: string | null;
  /** What the message belongs to (`alert:<key>`, `request:<id>`…): where a post's ts is recorded. */
  ref: string | null;
  message: OutboxMessage;
  status: (typeof SLACK_OUTBOX_STATUSES)[number];
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  sentTs: string | null;
  sentAt: Date | null;
  createdAt: Date;
}

/** How a person is named in every message and audit entry: "First Last". */
export function personName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName}`;
}
