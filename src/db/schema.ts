/**
 * The Gatehouse database (drizzle over better-sqlite3). Instants are stored as UTC milliseconds;
 * calendar days (a contract's start and end) as `YYYY-MM-DD` in the DoorFlow account's time zone.
 * No table holds a PIN value: the PIN lives in DoorFlow and in the requester's direct message.
 * `drizzle-kit generate` turns this file into the SQL migrations committed in `drizzle/`.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  ACCESS_KINDS,
  REQUEST_STATES,
  PROVIDERS,
  CREDENTIAL_KINDS,
  PROVISIONING_STEPS,
  PERSON_KINDS,
  PERSON_STATUSES,
  OFFBOARDING_REASONS,
  OFFBOARDING_STATUSES,
  EXTENSION_STATES,
  JOB_RUN_STATUSES,
  WEBHOOK_DELIVERY_STATES,
  BUZZIN_STAGES,
  BOOKING_KINDS,
  BOOKING_STATUSES,
  LEAVER_SOURCES,
  LEAVER_SIGNALS,
  LEAVER_STATES,
  SLACK_OUTBOX_KINDS,
  SLACK_OUTBOX_STATUSES,
  type ExistingPersonSnapshot,
  type ManagedCredential,
  type OffboardingReason,
  type OutboxMessage,
} from "../domain/model.js";

const instant = (name: string) => integer(name, { mode: "timestamp_ms" });
const createdAt = () =>
  instant("created_at")
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

export const accessRequests = sqliteTable(
  "access_requests",
  {
    /** Also the DoorFlow person's `system_id`, so a retried create finds the person it made. */
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ACCESS_KINDS }).notNull(),
    provider: text("provider", { enum: PROVIDERS }).notNull().default("doorflow"),
    state: text("state", { enum: REQUEST_STATES }).notNull().default("requested"),
    requesterId: text("requester_id").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    email: text("email"),
    company: text("company").notNull(),
    notes: text("notes"),
    /** DoorFlow group ids (contractor) or channel ids (visitor), JSON array of numbers. */
    accessIds: text("access_ids", { mode: "json" }).$type<number[]>().notNull(),
    /** Names of the groups or doors at request time, for messages. */
    accessNames: text("access_names", { mode: "json" }).$type<string[]>().notNull(),
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    credential: text("credential", { enum: CREDENTIAL_KINDS }).notNull(),
    cardNumber: text("card_number"),
    /** Where the approval message lives, so it can be updated in place. */
    approvalChannelId: text("approval_channel_id"),
    approvalTs: text("approval_ts"),
    decidedBy: text("decided_by"),
    decidedAt: instant("decided_at"),
    denyReason: text("deny_reason"),
    /** A pending request expires at this instant. */
    expiresAt: instant("expires_at").notNull(),
    step: text("step", { enum: PROVISIONING_STEPS }),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at"),
    /** Provisioning stops being retried after this instant (24 h after approval). */
    giveUpAt: instant("give_up_at"),
    lastError: text("last_error"),
    /** Set once the requester and the security channel have been told about a failure. */
    failureNotifiedAt: instant("failure_notified_at"),
    doorflowPersonId: integer("doorflow_person_id"),
    /**
     * The DoorFlow person that already had this email when the request was made (disabled, or not
     * managed by Gatehouse), as it was then: only an operator may approve reusing them, and
     * provisioning reuses exactly this person, in a clean state. Null: a new person is created.
     */
    existingPerson: text("existing_person", { mode: "json" }).$type<ExistingPersonSnapshot>(),
    /** Did Gatehouse create the DoorFlow person (rather than find an existing one)? */
    personCreated: integer("person_created", { mode: "boolean" }).notNull().default(false),
    groupReservationId: integer("group_reservation_id"),
    reservationId: integer("reservation_id"),
    /** Lease so two processes never provision the same request at once. */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    index("access_requests_state_idx").on(t.state, t.nextAttemptAt),
    index("access_requests_requester_idx").on(t.requesterId, t.createdAt),
    index("access_requests_email_idx").on(t.email),
  ],
);

export const managedPeople = sqliteTable(
  "managed_people",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: text("request_id").references(() => accessRequests.id),
    /** The DoorFlow person; null for a contractor of another provider (Buzz-in: see buzzin_permits). */
    doorflowPersonId: integer("doorflow_person_id"),
    provider: text("provider", { enum: PROVIDERS }).notNull().default("doorflow"),
    kind: text("kind", { enum: PERSON_KINDS }).notNull(),
    status: text("status", { enum: PERSON_STATUSES }).notNull().default("active"),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    email: text("email"),
    company: text("company"),
    requesterId: text("requester_id"),
    approverId: text("approver_id"),
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    credentialKind: text("credential_kind", { enum: CREDENTIAL_KINDS }),
    credentials: text("credentials", { mode: "json" }).$type<ManagedCredential[]>().notNull().default([]),
    accessIds: text("access_ids", { mode: "json" }).$type<number[]>().notNull().default([]),
    accessNames: text("access_names", { mode: "json" }).$type<string[]>().notNull().default([]),
    groupReservationId: integer("group_reservation_id"),
    reservationId: integer("reservation_id"),
    cardCollectedAt: instant("card_collected_at"),
    cardCollectedBy: text("card_collected_by"),
    /** The facilities channel's "collect the card" message, so a collection by CLI can update it. */
    cardNoticeChannelId: text("card_notice_channel_id"),
    cardNoticeTs: text("card_notice_ts"),
    offboardedAt: instant("offboarded_at"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("managed_people_provider_person_uq").on(t.provider, t.doorflowPersonId),
    index("managed_people_active_end_idx").on(t.status, t.endDate),
    index("managed_people_email_idx").on(t.email),
    // A requester's App Home: their active people, ending soonest first.
    index("managed_people_requester_idx").on(t.requesterId, t.status, t.endDate),
  ],
);

export const offboardings = sqliteTable(
  "offboardings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    provider: text("provider", { enum: PROVIDERS }).notNull().default("doorflow"),
    /**
     * Null only while provisioning has not yet found or created the person: the offboarding is
     * recorded before the first DoorFlow write, so a crash can never leave access without an end.
     */
    doorflowPersonId: integer("doorflow_person_id"),
    /** The access request this offboarding ends (its id is the DoorFlow person's system_id). */
    requestId: text("request_id").references(() => accessRequests.id),
    managedPersonId: integer("managed_person_id").references(() => managedPeople.id),
    personName: text("person_name").notNull(),
    email: text("email"),
    reason: text("reason", { enum: OFFBOARDING_REASONS }).notNull(),
    /** The person's last day (account time zone). */
    lastDay: text("last_day").notNull(),
    /** The first run of OFFBOARD_CRON on the last day: before this the offboarding is not due. */
    dueAt: instant("due_at").notNull(),
    status: text("status", { enum: OFFBOARDING_STATUSES }).notNull().default("scheduled"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** After a failure, not retried before this instant (backoff). */
    nextAttemptAt: instant("next_attempt_at"),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    requestedBy: text("requested_by").notNull(),
    completedAt: instant("completed_at"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    index("offboardings_due_idx").on(t.status, t.dueAt),
    uniqueIndex("offboardings_request_uq").on(t.requestId),
    // One open offboarding per person: scheduling again moves it instead of adding a second.
    uniqueIndex("offboardings_open_person_uq")
      .on(t.provider, t.doorflowPersonId)
      .where(sql`status in ('scheduled', 'running', 'failed')`),
  ],
);

/**
 * A request to move a contractor's end date. Decided like an access request (one conditional
 * transition); applying it replaces the group reservation, moves valid_to and the offboarding.
 */
export const extensions = sqliteTable(
  "extensions",
  {
    id: text("id").primaryKey(),
    managedPersonId: integer("managed_person_id")
      .notNull()
      .references(() => managedPeople.id),
    requesterId: text("requester_id").notNull(),
    oldEndDate: text("old_end_date").notNull(),
    newEndDate: text("new_end_date").notNull(),
    state: text("state", { enum: EXTENSION_STATES }).notNull().default("requested"),
    approvalChannelId: text("approval_channel_id"),
    approvalTs: text("approval_ts"),
    decidedBy: text("decided_by"),
    decidedAt: instant("decided_at"),
    denyReason: text("deny_reason"),
    expiresAt: instant("expires_at").notNull(),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [index("extensions_person_idx").on(t.managedPersonId, t.state)],
);

/** Append-only (enforced by triggers in a custom migration): no code path updates or deletes a row. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: instant("at").notNull(),
    /** A Slack user id, or `system`, `job` or `cli`. */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    requestId: text("request_id"),
    doorflowPersonId: integer("doorflow_person_id"),
    subjectEmail: text("subject_email"),
    subjectName: text("subject_name"),
    outcome: text("outcome", { enum: ["ok", "failed", "info"] })
      .notNull()
      .default("ok"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at),
    index("audit_events_email_idx").on(t.subjectEmail, t.at),
    index("audit_events_person_idx").on(t.doorflowPersonId, t.at),
  ],
);

/** The OAuth pair, encrypted (AES-256-GCM); one row per DoorFlow base URL. */
export const doorflowTokens = sqliteTable("doorflow_tokens", {
  baseUrl: text("base_url").primaryKey(),
  accessTokenEnc: text("access_token_enc").notNull(),
  refreshTokenEnc: text("refresh_token_enc").notNull(),
  expiresAt: instant("expires_at").notNull(),
  scope: text("scope"),
  updatedAt: instant("updated_at").notNull(),
});

/** Alerts already posted, keyed by what they are about, so none repeats and a resolution edits it. */
export const alerts = sqliteTable(
  "alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    kind: text("kind").notNull(),
    channelId: text("channel_id").notNull(),
    /** The Slack message, once posted. */
    ts: text("ts"),
    status: text("status", { enum: ["open", "resolved"] })
      .notNull()
      .default("open"),
    summary: text("summary").notNull(),
    createdAt: createdAt(),
    resolvedAt: instant("resolved_at"),
  },
  (t) => [uniqueIndex("alerts_key_uq").on(t.key), index("alerts_status_idx").on(t.status)],
);

/** Reminders sent (7 days and 1 day before an end date), so each is sent once per end date. */
export const reminders = sqliteTable(
  "reminders",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    managedPersonId: integer("managed_person_id")
      .notNull()
      .references(() => managedPeople.id),
    kind: text("kind", { enum: ["7d", "1d"] }).notNull(),
    endDate: text("end_date").notNull(),
    sentAt: instant("sent_at").notNull(),
  },
  (t) => [uniqueIndex("reminders_once_uq").on(t.managedPersonId, t.kind, t.endDate)],
);

/**
 * Runs of the daily job, to catch up a run missed while the bot was down and to show the last run.
 * A run whose process was killed part-way is `abandoned` by the next start (see `owner`).
 */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    job: text("job").notNull(),
    scheduledFor: instant("scheduled_for"),
    startedAt: instant("started_at").notNull(),
    finishedAt: instant("finished_at"),
    status: text("status", { enum: JOB_RUN_STATUSES }).notNull(),
    /** The process running it (a lease owner id), so a start can tell a dead run from a live one. */
    owner: text("owner"),
    summary: text("summary", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("job_runs_job_idx").on(t.job, t.startedAt)],
);

/**
 * Buzz-in webhook deliveries seen, keyed by `X-Buzzin-Delivery` (else the envelope `id`, else a
 * hash of the body): a sender re-sends the same delivery after a timeout, so the primary key is
 * what makes an event take effect once. No payload is kept (an issued pass carries its code).
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    deliveryId: text("delivery_id").primaryKey(),
    event: text("event").notNull(),
    receivedAt: instant("received_at").notNull(),
    processedAt: instant("processed_at"),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATES }).notNull().default("received"),
    /** What could not be used in an `unusable` delivery (field names, never values). */
    problem: text("problem"),
  },
  (t) => [index("webhook_deliveries_status_idx").on(t.status, t.receivedAt)],
);

/**
 * What a Buzz-in contractor request needs beyond an access request, and Buzz-in's ids once known.
 * No access code is stored: like a PIN it goes only to the requester's direct message.
 */
export const buzzinPermits = sqliteTable(
  "buzzin_permits",
  {
    requestId: text("request_id")
      .primaryKey()
      .references(() => accessRequests.id),
    managedPersonId: integer("managed_person_id").references(() => managedPeople.id),
    stage: text("stage", { enum: BUZZIN_STAGES }).notNull().default("contractor"),
    phone: text("phone").notNull(),
    tradeLicenseUrl: text("trade_license_url").notNull(),
    tradeLicenseExpiry: text("trade_license_expiry").notNull(),
    salesforceId: text("salesforce_id").notNull(),
    /** Buzz-in's property and unit (flat): their ids (24 hex) or DAMAC's external ids. */
    property: text("property").notNull(),
    unit: text("unit").notNull(),
    contractorId: text("contractor_id"),
    permitId: text("permit_id"),
    /** The NOC document attached to the permit (a no-objection certificate, not a permit type). */
    nocUrl: text("noc_url").notNull().default(""),
    nocNumber: text("noc_number").notNull().default(""),
    nocIssueDate: text("noc_issue_date").notNull().default(""),
    nocExpiryDate: text("noc_expiry_date").notNull().default(""),
    /** The gate's daily hours ("HH:mm", the community's zone), required to submit the permit. */
    timeIn: text("time_in").notNull().default(""),
    timeOut: text("time_out").notNull().default(""),
    representativeName: text("representative_name").notNull().default(""),
    representativePhone: text("representative_phone").notNull().default(""),
    employees: text("employees", { mode: "json" })
      .$type<Array<{ name: string; phone: string }>>()
      .notNull()
      .default(sql`'[]'`),
    jobsSummary: text("jobs_summary").notNull().default(""),
    /** Buzz-in's unique key for the permit: a repeated create is a 409, never a second permit. */
    salesforcePermitId: text("salesforce_permit_id"),
    /** `communityContractors.approved` came, possibly before the contractor's id was recorded. */
    contractorApprovedAt: instant("contractor_approved_at"),
    /** A keyed fingerprint of the latest issued pass's code (the code itself is never stored). */
    passFingerprint: text("pass_fingerprint"),
    passNumber: text("pass_number"),
    /** When Buzz-in issued that pass (the event's `createdAt`): an older issued event is stale. */
    passIssuedAt: instant("pass_issued_at"),
    /** Set only after Slack accepted the DM with that pass's code. */
    passNotifiedFingerprint: text("pass_notified_fingerprint"),
    /** While a process is sending the DM: another path leaves it alone until then. */
    passSendingUntil: instant("pass_sending_until"),
    passSendingOwner: text("pass_sending_owner"),
    /** The pass a reissue killed: its issued event, re-sent or late, is never DMed again. */
    retiredFingerprint: text("retired_fingerprint"),
    /** When Gatehouse last asked Buzz-in to reissue the pass (by hand, or to recover a lost code). */
    reissueRequestedAt: instant("reissue_requested_at"),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("buzzin_permits_contractor_uq").on(t.contractorId),
    uniqueIndex("buzzin_permits_permit_uq").on(t.permitId),
    uniqueIndex("buzzin_permits_salesforce_permit_uq").on(t.salesforcePermitId),
    index("buzzin_permits_managed_idx").on(t.managedPersonId),
  ],
);

/**
 * Every reservation and group reservation Gatehouse creates in DoorFlow, by DoorFlow's id. DoorFlow
 * lists only *future* reservations (and present and future group reservations), and has no GET by
 * id for either, so what Gatehouse made is known from here: offboarding, verification, extension
 * and resumed provisioning act on these ids, and use DoorFlow's lists only for what others made.
 */
export const doorflowBookings = sqliteTable(
  "doorflow_bookings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: BOOKING_KINDS }).notNull(),
    /** DoorFlow's id; null while `attempted`. */
    doorflowId: integer("doorflow_id"),
    doorflowPersonId: integer("doorflow_person_id").notNull(),
    requestId: text("request_id").references(() => accessRequests.id),
    managedPersonId: integer("managed_person_id").references(() => managedPeople.id),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    /** Group ids (group reservation) or channel ids (reservation). */
    accessIds: text("access_ids", { mode: "json" }).$type<number[]>().notNull(),
    status: text("status", { enum: BOOKING_STATUSES }).notNull(),
    /** The person's roles before an attempted reservation: DoorFlow adds one with each reservation. */
    rolesBefore: text("roles_before", { mode: "json" }).$type<number[]>(),
    createdAt: createdAt(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("doorflow_bookings_id_uq").on(t.kind, t.doorflowId),
    index("doorflow_bookings_person_idx").on(t.doorflowPersonId, t.status),
    index("doorflow_bookings_request_idx").on(t.requestId),
  ],
);

/**
 * Leavers Gatehouse heard of without anyone typing /offboard. `key` makes each signal count once:
 * `hr:<event id>`, `scim:<user id>:<deactivation>`, `slack:<user id>:<deactivation>`. The row is
 * written before the sender is answered, so whatever was answered is acted on, after a crash too.
 */
export const leaverEvents = sqliteTable(
  "leaver_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    source: text("source", { enum: LEAVER_SOURCES }).notNull(),
    signal: text("signal", { enum: LEAVER_SIGNALS }).notNull(),
    /** The sender's own id: HR's event id, the SCIM user id, the Slack user id. */
    externalId: text("external_id").notNull(),
    email: text("email"),
    name: text("name"),
    /** HR's last day (account time zone), when given. */
    lastDay: text("last_day"),
    state: text("state", { enum: LEAVER_STATES }).notNull().default("received"),
    doorflowPersonId: integer("doorflow_person_id"),
    offboardingId: integer("offboarding_id").references(() => offboardings.id),
    /** One line on what was done, for App Home and the summary. */
    detail: text("detail"),
    /** An offboarding HR moved earlier, restored if HR cancels the termination. */
    previous: text("previous", { mode: "json" }).$type<{
      reason: OffboardingReason;
      lastDay: string;
      dueAt: number;
      requestedBy: string;
    }>(),
    attempts: integer("attempts").notNull().default(0),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    /** Set once the security channel has been told (claimed before posting: told once). */
    notifiedAt: instant("notified_at"),
    receivedAt: instant("received_at").notNull(),
    processedAt: instant("processed_at"),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("leaver_events_key_uq").on(t.key),
    index("leaver_events_state_idx").on(t.state, t.receivedAt),
    index("leaver_events_received_idx").on(t.receivedAt),
    index("leaver_events_email_idx").on(t.email),
  ],
);

/**
 * Users an identity provider (Okta, Entra ID) provisioned over SCIM. Only the identity is kept:
 * creating one writes nothing to DoorFlow (door access needs a request); `active` turning false or
 * a DELETE offboards the DoorFlow person with that email. `deactivations` counts the times it
 * turned false, so each deactivation is one leaver event (`scim:<id>:<deactivations>`).
 */
export const scimUsers = sqliteTable(
  "scim_users",
  {
    id: text("id").primaryKey(),
    userName: text("user_name").notNull(),
    /** Lower-cased userName: SCIM's userName is case-insensitive (RFC 7643 §4.1.1). */
    userNameKey: text("user_name_key").notNull(),
    externalId: text("external_id"),
    /** The first primary (else first) email, lower-cased, for filters and the DoorFlow lookup. */
    email: text("email"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** The resource as the identity provider last sent it (core User attributes only). */
    resource: text("resource", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    deactivations: integer("deactivations").notNull().default(0),
    deletedAt: instant("deleted_at"),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("scim_users_user_name_uq")
      .on(t.userNameKey)
      .where(sql`deleted_at is null`),
    index("scim_users_external_idx").on(t.externalId),
    index("scim_users_email_idx").on(t.email),
  ],
);

/**
 * The Slack messages Gatehouse owes — alerts, direct messages, approval messages and their edits —
 * written here (often in the same transaction as the change they tell of) and delivered in id
 * order by src/slack/outbox.ts, retried with backoff across restarts until Slack answers ok. A
 * message carrying a PIN or an access code is never written here: those are sent directly and
 * their sending is recorded by the use case (provisioning's notify step, a pass's notified id).
 */
export const slackOutbox = sqliteTable(
  "slack_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: SLACK_OUTBOX_KINDS }).notNull(),
    /** A channel or user id; null for an update whose message is found through `ref`. */
    channel: text("channel"),
    /** An update's message, when known at enqueue time. */
    targetTs: text("target_ts"),
    /**
     * What the message belongs to (`alert:<key>`, `request:<id>`, `extension:<id>`): a post records
     * its ts there once sent, and an update finds its message there, so later edits still work.
     */
    ref: text("ref"),
    message: text("message", { mode: "json" }).$type<OutboxMessage>().notNull(),
    status: text("status", { enum: SLACK_OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull(),
    lastError: text("last_error"),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    sentTs: text("sent_ts"),
    sentAt: instant("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [index("slack_outbox_status_idx").on(t.status, t.id), index("slack_outbox_ref_idx").on(t.ref)],
);
