/**
 * Asking for access and deciding on it. The decision is one conditional database transition made
 * before any DoorFlow call, so of twenty concurrent clicks exactly one provisions and the others
 * are told who decided.
 */
import { randomBytes } from "node:crypto";
import { inTransaction } from "../db/database.js";
import {
  decideAccessRequest,
  expirePendingRequests,
  getAccessRequest,
  insertAccessRequest,
} from "../db/repositories/access-requests.js";
import { type AccessRequest, personName } from "./model.js";
import { insertBuzzinPermit, type NewBuzzinPermit } from "../db/repositories/buzzin-permits.js";
import { scheduleOffboarding } from "../db/repositories/offboardings.js";
import { withDeadline } from "../lib/deadline.js";
import { localDateOf } from "../lib/time.js";
import { auditRequest } from "./audit.js";
import type { Deps } from "./deps.js";
import { CREDENTIAL_TYPE_VARIABLE } from "./credential-types.js";
import { blockingContract, checkSubject, type Subject, type SubjectCheck } from "./existing-people.js";
import {
  type ContractorField,
  type ContractorForm,
  type FieldErrors,
  type VisitorField,
  type VisitorForm,
  validateContractorForm,
  validateVisitorForm,
} from "./request-form.js";

/** Provisioning keeps retrying a transient failure for this long after approval. */
export const PROVISIONING_GIVE_UP_MS = 24 * 60 * 60 * 1000;

export type Submitted =
  | {
      status: "submitted";
      request: AccessRequest;
      /** Something the requester should know (no approval needed, or nobody else can approve). */
      note?: string;
    }
  /** Someone else's request for the same email was recorded in the meantime: nothing was written. */
  | { status: "refused"; message: string };

/** Our request id, also the DoorFlow person's `system_id`: unguessable and URL-safe. */
function newRequestId(): string {
  return `gh_${randomBytes(12).toString("base64url")}`;
}

export function todayIn(deps: Pick<Deps, "now" | "settings">): string {
  return localDateOf(deps.now(), deps.settings.timeZone);
}

export type CheckResult<F extends string> =
  | { status: "valid"; draft: RequestDraft }
  | { status: "invalid"; errors: FieldErrors<F> }
  | { status: "forbidden"; message: string };

/**
 * How long the DoorFlow part of a form check may take: the form is answered on its fields, and
 * Slack closes a modal submission that is not acknowledged within 3 seconds.
 */
const SUBJECT_CHECK_MS = 2_000;

/** A checked request, not yet recorded. */
export interface RequestDraft {
  requesterId: string;
  fields: RequestFields;
  /** What a Buzz-in community's permit needs (the request's provider is then Buzz-in). */
  buzzin?: Omit<NewBuzzinPermit, "requestId">;
}

export async function checkContractorRequest(
  deps: Deps,
  input: { requesterId: string; form: ContractorForm },
): Promise<CheckResult<ContractorField>> {
  if (!(await deps.policy.mayRequest(input.requesterId))) return notAllowedToRequest();
  const groups = await deps.catalog.groups();
  const checked = validateContractorForm(input.form, {
    today: todayIn(deps),
    maxDays: deps.settings.contractorMaxDays,
    knownIds: new Set(groups.map((g) => g.id)),
  });
  if (!checked.ok) return { status: "invalid", errors: checked.errors };
  const v = checked.value;
  const types = await deps.catalog.credentialTypes();
  if (!types[v.credential])
    return {
      status: "invalid",
      errors: {
        credential: `Gatehouse cannot tell which DoorFlow credential type is the ${v.credential === "card" ? "card" : "mobile credential"}: choose the other, or ask an operator to set ${CREDENTIAL_TYPE_VARIABLE[v.credential]}.`,
      },
    };
  const subject = await checkSubjectInTime(deps, { email: v.email, cardNumber: v.cardNumber });
  if (subject.status === "conflict") return { status: "invalid", errors: subject.errors };
  const names = v.groupIds.map((id) => groups.find((g) => g.id === id)?.name ?? String(id));
  return {
    status: "valid",
    draft: {
      requesterId: input.requesterId,
      fields: {
        kind: "contractor",
        firstName: v.firstName,
        lastName: v.lastName,
        email: v.email,
        company: v.company,
        notes: v.notes,
        accessIds: v.groupIds,
        accessNames: names,
        startDate: v.startDate,
        endDate: v.endDate,
        credential: v.credential,
        cardNumber: v.cardNumber,
        existingPerson: subject.existing,
      },
    },
  };
}

function checkSubjectInTime(deps: Deps, subject: Subject): Promise<SubjectCheck> {
  return withDeadline(checkSubject(deps, subject), SUBJECT_CHECK_MS, "Checking DoorFlow for this person");
}

export async function checkVisitorRequest(
  deps: Deps,
  input: { requesterId: string; form: VisitorForm },
): Promise<CheckResult<VisitorField>> {
  if (!(await deps.policy.mayRequest(input.requesterId))) return notAllowedToRequest();
  const doors = await deps.catalog.doors();
  const checked = validateVisitorForm(input.form, {
    today: todayIn(deps),
    maxDays: deps.settings.contractorMaxDays,
    knownIds: new Set(doors.map((d) => d.id)),
  });
  if (!checked.ok) return { status: "invalid", errors: checked.errors };
  const v = checked.value;
  const subject = await checkSubjectInTime(deps, { email: v.email, cardNumber: null });
  if (subject.status === "conflict")
    return { status: "invalid", errors: { email: subject.errors.email ?? "This email cannot be used." } };
  return {
    status: "valid",
    draft: {
      requesterId: input.requesterId,
      fields: {
        kind: "visitor",
        firstName: v.firstName,
        lastName: v.lastName,
        email: v.email,
        company: v.company,
        notes: null,
        accessIds: v.doorIds,
        accessNames: v.doorIds.map((id) => doors.find((d) => d.id === id)?.name ?? String(id)),
        startDate: v.visitDate,
        endDate: v.visitDate,
        credential: "pin",
        cardNumber: null,
        existingPerson: subject.existing,
      },
    },
  };
}

type RequestFields = Omit<Parameters<typeof insertAccessRequest>[1], "id" | "requesterId" | "expiresAt">;

/**
 * Records the request and posts it for approval (or, for a visitor where no approval is needed,
 * approves it at once: the caller then starts provisioning).
 */
export async function submitRequest(deps: Deps, draft: RequestDraft): Promise<Submitted> {
  const { requesterId, fields } = draft;
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + deps.settings.pendingApprovalHours * 3_600_000);
  // A visitor who is already a DoorFlow person is never enabled again without an operator.
  const needsApproval = (r: AccessRequest) =>
    r.kind !== "visitor" || deps.settings.visitorApproval || r.existingPerson !== null;
  // The form check ran outside any transaction: two submissions for one email can both pass it.
  // Checked again here, where SQLite serialises writers, so only the first is recorded.
  const recorded = inTransaction(deps.db, (tx) => {
    const blocked = fields.email ? blockingContract(tx, fields.email) : null;
    if (blocked) return { blocked, created: undefined };
    const created = insertAccessRequest(tx, { ...fields, id: newRequestId(), requesterId, expiresAt }, now);
    if (draft.buzzin) insertBuzzinPermit(tx, { ...draft.buzzin, requestId: created.id }, now);
    auditRequest(
      tx,
      created,
      { actor: requesterId, action: "request.created", details: requestDetails(created) },
      now,
    );
    // Queued with the request: the approval message is owed from the moment the request exists.
    if (needsApproval(created)) void deps.messenger.approvalRequested(created, tx);
    return { blocked: null, created };
  });
  if (!recorded.created) return { status: "refused", message: recorded.blocked ?? "" };
  const request = recorded.created;

  if (!needsApproval(request)) {
    const decided = approve(deps, request, "system");
    return {
      status: "submitted",
      request: decided ?? request,
      note: "Visitors need no approval here: access is being set up now.",
    };
  }

  const existing = request.existingPerson;
  if (existing) {
    return {
      status: "submitted",
      request,
      note: `DoorFlow already has a person with this email (${personName(existing)}, ${existing.enabled ? "enabled" : "disabled"}): only an operator can approve reusing them.`,
    };
  }
  const others = await deps.policy.otherApprovers(requesterId);
  const note =
    (await deps.policy.isApprover(requesterId)) && others.length === 0
      ? "You are the only approver, and nobody may approve their own request: someone else must approve it (ask an admin to add an approver)."
      : undefined;
  return { status: "submitted", request, note };
}

function requestDetails(r: AccessRequest): Record<string, unknown> {
  return {
    kind: r.kind,
    company: r.company,
    access: r.accessNames,
    startDate: r.startDate,
    endDate: r.endDate,
    credential: r.credential,
  };
}

export function notAllowedToRequest(): { status: "forbidden"; message: string } {
  return {
    status: "forbidden",
    message:
      "You are not on the list of people who may request building access. Ask your security team to add you.",
  };
}

export type DecisionResult =
  | { status: "approved"; request: AccessRequest }
  | { status: "denied"; request: AccessRequest }
  | { status: "already_decided"; request: AccessRequest }
  | { status: "expired"; request: AccessRequest }
  | { status: "own_request"; request: AccessRequest }
  /** The request reuses an existing DoorFlow person: only an operator may approve it. */
  | { status: "needs_operator"; request: AccessRequest }
  | { status: "forbidden" }
  | { status: "not_found" };

export type DecisionCheck =
  | { status: "open"; request: AccessRequest }
  | Extract<
      DecisionResult,
      { status: "not_found" | "forbidden" | "needs_operator" | "own_request" | "already_decided" }
    >;

/**
 * Who may decide: approvers; and for a request that would reuse an existing DoorFlow person (a
 * disabled ex-employee, someone Gatehouse does not manage), only an operator may approve, while
 * approvers and operators may deny.
 */
async function decisionRefusal(
  deps: Deps,
  request: AccessRequest,
  userId: string,
  outcome: "approve" | "deny",
): Promise<{ status: "forbidden" | "needs_operator"; reason: string } | null> {
  const [approver, operator] = await Promise.all([
    deps.policy.isApprover(userId),
    request.existingPerson ? deps.policy.isOperator(userId) : Promise.resolve(false),
  ]);
  if (!request.existingPerson) return approver ? null : { status: "forbidden", reason: "not an approver" };
  if (operator) return null;
  if (outcome === "deny" && approver) return null;
  return approver
    ? { status: "needs_operator", reason: "reuses an existing DoorFlow person: operators only" }
    : { status: "forbidden", reason: "not an approver" };
}

/**
 * Whether `userId` may decide on this request now: run before Deny asks for a reason, so a stranger
 * never sees the modal, and again by `decideRequest`. A non-approver's attempt, Approve or Deny, is
 * recorded in the audit trail.
 */
export async function precheckDecision(
  deps: Deps,
  input: { requestId: string; userId: string; outcome: "approve" | "deny" },
): Promise<DecisionCheck> {
  const request = getAccessRequest(deps.db, input.requestId);
  if (!request) return { status: "not_found" };
  const refused = await decisionRefusal(deps, request, input.userId, input.outcome);
  if (refused) {
    auditRequest(
      deps.db,
      request,
      {
        actor: input.userId,
        action: "request.decision_refused",
        outcome: "failed",
        details: { reason: refused.reason, outcome: input.outcome },
      },
      deps.now(),
    );
    return refused.status === "needs_operator"
      ? { status: "needs_operator", request }
      : { status: "forbidden" };
  }
  if (input.userId === request.requesterId) return { status: "own_request", request };
  if (request.state !== "requested") return { status: "already_decided", request };
  return { status: "open", request };
}

/**
 * Approve or deny. Authorisation is checked again on every click (a message can be seen by anyone
 * in the channel). The caller starts provisioning after an approval.
 */
export async function decideRequest(
  deps: Deps,
  input: { requestId: string; userId: string; outcome: "approve" | "deny"; reason?: string },
): Promise<DecisionResult> {
  const checked = await precheckDecision(deps, input);
  if (checked.status !== "open" && checked.status !== "already_decided") return checked;
  const { request } = checked;
  if (request.state === "requested" && request.expiresAt.getTime() <= deps.now().getTime()) {
    await expirePending(deps);
    return { status: "expired", request: getAccessRequest(deps.db, request.id) ?? request };
  }

  // One local transaction: the decision, its audit, and the Slack messages it owes (queued in the
  // outbox). Nothing here waits for Slack or DoorFlow, so a listener can commit it before it
  // acknowledges the click.
  const decided =
    input.outcome === "approve"
      ? approve(deps, request, input.userId)
      : deny(deps, request, input.userId, input.reason?.trim() || "No reason given");
  if (!decided)
    return { status: "already_decided", request: getAccessRequest(deps.db, request.id) ?? request };
  return decided.state === "denied"
    ? { status: "denied", request: decided }
    : { status: "approved", request: decided };
}

/**
 * The approval transition and the scheduled offboarding in one transaction: the end of access is
 * on record before provisioning makes its first DoorFlow write.
 */
function approve(deps: Deps, request: AccessRequest, by: string): AccessRequest | undefined {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => {
    const decided = decideAccessRequest(
      tx,
      request.id,
      { outcome: "approved", giveUpAt: new Date(now.getTime() + PROVISIONING_GIVE_UP_MS) },
      by,
      now,
    );
    if (!decided) return undefined;
    scheduleOffboarding(
      tx,
      {
        provider: decided.provider,
        doorflowPersonId: null,
        requestId: decided.id,
        personName: personName(decided),
        email: decided.email,
        reason: "contract_end",
        lastDay: decided.endDate,
        dueAt: deps.settings.offboardingDueAt(decided.endDate, decided.provider),
        requestedBy: by,
      },
      now,
    );
    auditRequest(tx, decided, { actor: by, action: "request.approved" }, now);
    void deps.messenger.approvalDecided(decided, tx);
    return decided;
  });
}

function deny(deps: Deps, request: AccessRequest, by: string, reason: string): AccessRequest | undefined {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => {
    const decided = decideAccessRequest(tx, request.id, { outcome: "denied", reason }, by, now);
    if (!decided) return undefined;
    auditRequest(tx, decided, { actor: by, action: "request.denied", details: { reason } }, now);
    void deps.messenger.approvalDecided(decided, tx);
    void deps.messenger.notifyUser(
      decided.requesterId,
      `Your request for ${personName(decided)} (${decided.company}) was denied by <@${by}>: ${reason}`,
      tx,
    );
    return decided;
  });
}

/** Pending requests past PENDING_APPROVAL_HOURS: expired once, the message updated, the requester told. */
export async function expirePending(deps: Deps): Promise<AccessRequest[]> {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => {
    const rows = expirePendingRequests(tx, now);
    for (const r of rows) {
      auditRequest(tx, r, { actor: "system", action: "request.expired", outcome: "info" }, now);
      void deps.messenger.approvalDecided(r, tx);
      void deps.messenger.notifyUser(
        r.requesterId,
        `Your request for ${personName(r)} (${r.company}) expired after ${deps.settings.pendingApprovalHours} hours without a decision. Ask again with /contractor if it is still needed.`,
        tx,
      );
    }
    return rows;
  });
}
