/**
 * What the use cases need from the outside world, as small interfaces: the Slack adapter, the CLI
 * and tests implement them. Nothing in src/domain imports @slack, undici or croner.
 */
import type { Executor } from "../db/database.js";
import type {
  AccessRequest,
  Extension,
  ManagedPerson,
  Offboarding,
  OutboxEntry,
  OutboxMessage,
  ProviderId,
  WebhookDeliveryState,
} from "./model.js";
import type { Person } from "../doorflow/schemas.js";
import type { LocalDate } from "../lib/time.js";

/**
 * A database handle or an open transaction, passed through unopened: a message is queued in the
 * same transaction as the change it tells of.
 */
export type Tx = Executor;

/** What the requester's direct message shows once access is granted. The only carrier of a PIN. */
export interface AccessDetails {
  personName: string;
  cardNumber: string | null;
  pin: string | null;
  /**
   * When access starts, and when it ends: the offboarding instant (`due_at`, the first daily run on
   * the last day), not the end of the day. Instants, rendered in the account time zone.
   */
  start: Date;
  end: Date;
}

/** A Buzz-in pass as the requester's direct message shows it. */
interface PassDetails {
  /** For the message's "Reissue pass" button. */
  managedPersonId: number;
  personName: string;
  property: string;
  unit: string;
  accessCode: string;
  /** Buzz-in's public QR image, when the event carried one. */
  qrImageUrl?: string;
  passNumber?: string;
  /** The permit's first and last days, and the gate's daily hours, in the community's zone. */
  startDate: string;
  endDate: string;
  timeIn: string;
  timeOut: string;
  timeZone: string;
  /** When the pass stops working (Buzz-in's `validTill`). */
  validTill: Date;
  /** This pass replaces one sent before, whose code no longer works. */
  replaces: boolean;
}

/**
 * The messages use cases send. Each method renders its own Block Kit; none may log a PIN. Every one
 * except the two that carry a secret (`accessGranted`, `passIssued`) goes through the durable Slack
 * outbox: the method only queues the message (with `tx`, in the caller's transaction) and resolves
 * at once; the outbox delivers it in order and records the posted message where later edits find it.
 */
export interface Messenger {
  /** Posts the request with Approve/Deny to the approval channel (its ts is recorded on the request). */
  approvalRequested(request: AccessRequest, tx?: Executor): Promise<void>;
  /** Rewrites the approval message in place: outcome, who decided and when, no buttons. */
  approvalDecided(request: AccessRequest, tx?: Executor): Promise<void>;
  /** The requester's direct message with the card number and PIN: sent directly, never queued. */
  accessGranted(request: AccessRequest, details: AccessDetails): Promise<void>;
  /** The requester's direct message with a Buzz-in pass (its access code): sent directly, never queued. */
  passIssued(request: AccessRequest, pass: PassDetails): Promise<void>;
  /** A plain direct message. */
  notifyUser(userId: string, text: string, tx?: Executor): Promise<void>;
  /** Posts an alert to the security channel; with `alertKey`, its ts is recorded on that alert. */
  securityAlert(alert: SecurityAlert, options?: { alertKey?: string; tx?: Executor }): Promise<void>;
  /** Rewrites the alert recorded under `alertKey` (e.g. resolved), once it is posted. */
  updateSecurityAlert(alertKey: string, alert: SecurityAlert & { resolved: string }): Promise<void>;
  /**
   * Posts an extension with Approve/Deny to the approval channel; `scheduled` is an operator's
   * offboarding the extension will not move.
   */
  extensionRequested(
    extension: Extension,
    person: ManagedPerson,
    scheduled?: ScheduledOffboardingNote | null,
  ): Promise<void>;
  /** Rewrites the extension's approval message with its outcome (no buttons). */
  extensionDecided(
    extension: Extension,
    person: ManagedPerson | null,
    scheduled?: ScheduledOffboardingNote | null,
  ): Promise<void>;
  /** The requester's reminder that a contract ends soon, with "Extend". */
  endReminder(reminder: EndReminder): Promise<void>;
  /**
   * Asks facilities to collect the physical card of someone just offboarded; the message is
   * recorded on the managed person (`card_notice_ts`) once Slack has it.
   */
  cardCollection(notice: CardCollectionNotice): Promise<void>;
  /** Rewrites that request once the card is back: who confirmed it and when, no button. */
  cardCollected(message: PostedMessage, notice: CardCollectionNotice, by: string, at: Date): Promise<void>;
}

/** A message Slack holds: where a later edit goes. */
export interface PostedMessage {
  channelId: string;
  ts: string;
}

/** The durable queue behind the Messenger (src/slack/outbox.ts). */
export interface Outbox {
  /** Sends what is due now, in order, until nothing is due or Slack fails (then it waits its backoff). */
  drain(): Promise<number>;
  /** Resolves once no delivery is running or about to start. */
  idle(): Promise<void>;
}

/** An offboarding an operator (or HR) scheduled: an extension never moves it later. */
export interface ScheduledOffboardingNote {
  /** A Slack user id, or `job`, `cli`… */
  by: string;
  lastDay: string;
}

export interface CardCollectionNotice {
  personName: string;
  email: string | null;
  cardNumbers: string[];
  /** For the "Card collected" button, when Gatehouse manages the person. */
  managedPersonId: number | null;
  /** For the button when Gatehouse does not manage them (an employee offboarded by hand). */
  doorflowPersonId: number | null;
}

/**
 * A piece of an alert line, as the domain says it: text as typed (names, emails, a provider's error
 * text), a Slack user, words that must stand out, or an id shown as code. src/slack/views renders and escapes it.
 */
export type AlertText = string | { user: string } | { strong: string } | { code: string };

/** One line of an alert's detail: `Label: text`, or just text. */
export interface AlertDetail {
  label?: string;
  text: AlertText | AlertText[];
  /** The text was stored already escaped for Slack (an alert's recorded summary). */
  escaped?: true;
}

/**
 * A line of detail. A string is Slack mrkdwn written by the caller: the domain no longer writes any;
 * the start-up check (src/wiring/self-check.ts) passes its sentence as is.
 */
export type AlertLine = AlertDetail | string;

export interface SecurityAlert {
  title: string;
  /** Lines of detail: who, what failed, DoorFlow's error and request id. No PIN, no token. */
  lines: AlertLine[];
  /** An operator's "Retry" button, when retrying makes sense. */
  retry?: { actionValue: string };
  /** "Offboard now" buttons for operators, one per DoorFlow person (a leaver alert). */
  offboard?: Array<{ personId: number; label: string }>;
}

/** Slack user groups, for approvers and operators configured as a group. */
export interface Directory {
  usergroupMembers(usergroupId: string): Promise<string[]>;
}

export interface EndReminder {
  requesterId: string;
  personName: string;
  email: string | null;
  company: string | null;
  endDate: string;
  /** When access actually ends: the offboarding's due_at (the first daily run on the last day). */
  endsAt: Date;
  timeZone: string;
  daysLeft: number;
  managedPersonId: number;
}

export type ProvisionResult =
  | { status: "active"; request: AccessRequest }
  | { status: "busy" }
  /** Approved and carried as far as it goes: the provider's own people act next (Buzz-in). */
  | { status: "waiting"; request: AccessRequest }
  | { status: "retry_scheduled"; request: AccessRequest; error: string }
  | { status: "failed"; request: AccessRequest; error: string };

type OffboardStatus = "offboarded" | "already_disabled" | "not_found" | "failed";

export interface OffboardOutcome {
  personId: number;
  status: OffboardStatus;
  person?: Person;
  removed: { groupReservations: number; reservations: number; mobileCredentials: number };
  cardNumbers: string[];
  error?: string;
}

/** How one claimed offboarding went: `error` set means it is retried with backoff and alerted once. */
export interface ProviderOffboarding {
  offboarding: Offboarding;
  /** DoorFlow's per-person outcome; null for a provider without one, or when nobody was found. */
  outcome: OffboardOutcome | null;
  error?: string;
}

export interface AccessProvider {
  readonly id: ProviderId;
  /**
   * Carries an approved request as far as it can go now, one recorded step at a time, so a
   * restart resumes where it stopped. A provider whose own people must act first (Buzz-in) answers
   * `waiting`; its webhook calls `provision` again.
   */
  provision(requestId: string): Promise<ProvisionResult>;
  /**
   * Moves a contractor's last day in the provider and reads it back. Answers the DoorFlow group
   * reservation that now carries the access, when there is one.
   */
  extend(person: ManagedPerson, newEndDate: LocalDate): Promise<{ groupReservationId?: number }>;
  /** Revokes the access of claimed offboardings (disable or revoke, never delete) and verifies it. */
  offboard(claimed: Offboarding[]): Promise<ProviderOffboarding[]>;
}

/** Webhook deliveries seen, so that an event re-sent under the same key takes effect once. */
type DeliveryClaim = "new" | "duplicate";

export interface DeliveryStore {
  claim(deliveryId: string, event: string, now: Date): DeliveryClaim;
  finish(
    deliveryId: string,
    status: Exclude<WebhookDeliveryState, "received">,
    now: Date,
    problem?: string,
  ): void;
}

/**
 * Where the Slack outbox keeps what it owes (src/db/repositories/slack-outbox.ts), supplied by the
 * wiring: src/slack/outbox.ts delivers, this stores.
 */
export interface OutboxStore {
  /** Queues a post or an edit in `tx` (an edit drops older edits of the same message not yet tried). */
  enqueue(tx: Tx, entry: NewOutboxEntry, now: Date): void;
  /** Whether a post for `ref` was ever queued (pending, sent or failed). */
  hasPost(tx: Tx, ref: string): boolean;
  /** The oldest pending entry, leased to `owner`, when it may be sent now; in its own transaction. */
  claimHead(owner: string, leaseMs: number, now: Date): OutboxEntry | undefined;
  /** Marks it sent and, for a post, records its message where `ref` says; in one transaction. */
  markSent(entry: OutboxEntry, sent: { channel: string | null; ts: string | null }, now: Date): void;
  markRetry(entry: OutboxEntry, failure: { error: string; nextAttemptAt: Date }): void;
  markFailed(entry: OutboxEntry, error: string): void;
  /** When the head is due, if anything is pending. */
  nextAttempt(): Date | undefined;
  /** Deletes what was sent before `before`; returns how many. */
  prune(before: Date): number;
  /** The posted message `ref` points at (an alert, an approval message…), once Slack has it. */
  messageOf(ref: string): { channel: string; ts: string } | undefined;
}

interface NewOutboxEntry {
  kind: "post" | "update";
  channel: string | null;
  targetTs?: string | null;
  ref?: string | null;
  message: OutboxMessage;
}
