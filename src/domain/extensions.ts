/**
 * Extending a contract: a requester asks for a new end date, an approver decides (the same rules as
 * a request: approvers only, never on their own request, one decision), operators may extend
 * directly. DoorFlow has no update for group reservations, so the new one (to the new end) is
 * created before the old one is deleted, leaving no gap; then valid_to, the scheduled offboarding
 * and our record move, reminders re-arm (they are keyed by end date) and the requester is told.
 */
import { randomBytes } from "node:crypto";
import { inTransaction } from "../db/database.js";
import { recordAudit } from "../db/repositories/audit.js";
import { getExtension, insertExtension, transitionExtension } from "../db/repositories/extensions.js";
import { type Extension, personName } from "./model.js";
import { getManagedPerson, updateManagedPerson } from "../db/repositories/managed-people.js";
import { type ManagedPerson } from "./model.js";
import { findOpenOffboardingOfManaged, scheduleOffboarding } from "../db/repositories/offboardings.js";
import { daysBetween, formatLocal, formatLocalDate, isLocalDate, localDateOf } from "../lib/time.js";
import type { Deps } from "./deps.js";
import type { ScheduledOffboardingNote } from "./ports.js";
import { describeFailure } from "./failures.js";
import { providerFor } from "./providers/index.js";

type ExtensionField = "contractor" | "newEndDate";

/**
 * The person's open offboarding when someone other than the contract chose its day (an operator's
 * scheduled last day, Offboard now, a bulk list, a leaver from HR): an extension never moves it
 * later. A `contract_end` offboarding is the contract's own and moves with the extension.
 */
export function scheduledOffboardingOf(
  deps: Pick<Deps, "db">,
  person: ManagedPerson,
): ScheduledOffboardingNote | null {
  const open = findOpenOffboardingOfManaged(deps.db, person);
  return open && open.reason !== "contract_end" ? { by: open.requestedBy, lastDay: open.lastDay } : null;
}

export type ExtensionCheck =
  | { status: "invalid"; errors: Partial<Record<ExtensionField, string>> }
  | { status: "forbidden"; message: string }
  | { status: "ok"; person: ManagedPerson; newEndDate: string };

export async function checkExtension(
  deps: Deps,
  input: { actor: string; managedPersonId: number | null; newEndDate: string | null },
): Promise<ExtensionCheck> {
  const [mayRequest, isApprover, isOperator] = await Promise.all([
    deps.policy.mayRequest(input.actor),
    deps.policy.isApprover(input.actor),
    deps.policy.isOperator(input.actor),
  ]);
  // Operators extend directly, whether or not they are also on the requesters' list.
  if (!mayRequest && !isOperator) {
    return {
      status: "forbidden",
      message: "You are not on the list of people who may request building access.",
    };
  }
  const person =
    input.managedPersonId === null ? undefined : getManagedPerson(deps.db, input.managedPersonId);
  if (!person || person.status !== "active" || person.kind !== "contractor") {
    return { status: "invalid", errors: { contractor: "Choose an active contractor." } };
  }
  // The modal offers a requester only the contractors they asked for; the submission holds them to it.
  if (!isApprover && !isOperator && person.requesterId !== input.actor) {
    return {
      status: "forbidden",
      message:
        "You can ask to extend only the contractors you asked access for; ask an operator about others.",
    };
  }
  const today = localDateOf(deps.now(), deps.settings.timeZone);
  const end = input.newEndDate ?? "";
  if (!isLocalDate(end)) return { status: "invalid", errors: { newEndDate: "Pick the new end date." } };
  if (end <= person.endDate) {
    return {
      status: "invalid",
      errors: { newEndDate: `Pick a day after the current end date, ${formatLocalDate(person.endDate)}.` },
    };
  }
  if (daysBetween(today, end) > deps.settings.contractorMaxDays) {
    return {
      status: "invalid",
      errors: {
        newEndDate: `The new end date can be at most ${deps.settings.contractorMaxDays} days from today.`,
      },
    };
  }
  return { status: "ok", person, newEndDate: end };
}

export type ExtensionResult =
  | { status: "requested"; extension: Extension }
  | { status: "applied"; extension: Extension }
  | { status: "failed"; extension: Extension; error: string };

/** Records the extension; an operator's is applied at once, anyone else's goes for approval. */
export async function requestExtension(
  deps: Deps,
  input: { actor: string; person: ManagedPerson; newEndDate: string },
): Promise<ExtensionResult> {
  const now = deps.now();
  const extension = insertExtension(
    deps.db,
    {
      id: `ext_${randomBytes(9).toString("base64url")}`,
      managedPersonId: input.person.id,
      requesterId: input.actor,
      oldEndDate: input.person.endDate,
      newEndDate: input.newEndDate,
      expiresAt: new Date(now.getTime() + deps.settings.pendingApprovalHours * 3_600_000),
    },
    now,
  );
  audit(deps, input.person, input.actor, "extension.requested", {
    from: input.person.endDate,
    to: input.newEndDate,
  });
  if (await deps.policy.isOperator(input.actor)) {
    const approved = transitionExtension(deps.db, extension.id, ["requested"], "approved", now, {
      decidedBy: input.actor,
      decidedAt: now,
    });
    return applyExtension(deps, approved ?? extension);
  }
  // Queued: the outbox records the message on the extension once Slack has it.
  await deps.messenger.extensionRequested(
    extension,
    input.person,
    scheduledOffboardingOf(deps, input.person),
  );
  return { status: "requested", extension: getExtension(deps.db, extension.id) ?? extension };
}

export type ExtensionDecision =
  | { status: "forbidden" }
  | { status: "own_request" }
  | { status: "not_found" }
  | { status: "already_decided"; extension: Extension }
  | { status: "denied"; extension: Extension }
  | ExtensionResult;

/**
 * Whether `actor` may decide on this extension now. Run before asking a denier for a reason, so a
 * stranger or a stale button never opens the modal; `decideExtension` runs it again.
 */
export async function precheckExtensionDecision(
  deps: Deps,
  input: { extensionId: string; actor: string; outcome: "approve" | "deny" },
): Promise<
  | { status: "forbidden" }
  | { status: "own_request" }
  | { status: "not_found" }
  | { status: "already_decided"; extension: Extension }
  | { status: "open"; extension: Extension }
> {
  const extension = getExtension(deps.db, input.extensionId);
  if (!extension) return { status: "not_found" };
  if (!(await deps.policy.isApprover(input.actor))) {
    // Recorded like a refused decision on an access request.
    const person = getManagedPerson(deps.db, extension.managedPersonId);
    if (person)
      audit(deps, person, input.actor, "extension.decision_refused", {
        reason: "not an approver",
        attempted: input.outcome,
        extensionId: extension.id,
      });
    return { status: "forbidden" };
  }
  if (extension.requesterId === input.actor) return { status: "own_request" };
  if (extension.state !== "requested") return { status: "already_decided", extension };
  return { status: "open", extension };
}

export async function decideExtension(
  deps: Deps,
  input: { extensionId: string; actor: string; outcome: "approve" | "deny"; reason?: string },
): Promise<ExtensionDecision> {
  const checked = await precheckExtensionDecision(deps, input);
  if (checked.status !== "open") return checked;
  const { extension } = checked;
  const now = deps.now();
  if (extension.state === "requested" && extension.expiresAt.getTime() <= now.getTime()) {
    const expired = transitionExtension(deps.db, extension.id, ["requested"], "expired", now);
    return { status: "already_decided", extension: expired ?? extension };
  }
  const decided =
    input.outcome === "approve"
      ? transitionExtension(deps.db, extension.id, ["requested"], "approved", now, {
          decidedBy: input.actor,
          decidedAt: now,
        })
      : transitionExtension(deps.db, extension.id, ["requested"], "denied", now, {
          decidedBy: input.actor,
          decidedAt: now,
          denyReason: input.reason ?? "No reason given",
        });
  if (!decided)
    return { status: "already_decided", extension: getExtension(deps.db, extension.id) ?? extension };
  const person = getManagedPerson(deps.db, decided.managedPersonId);
  if (person) audit(deps, person, input.actor, `extension.${decided.state}`, { to: decided.newEndDate });
  if (decided.state === "denied") {
    await deps.messenger
      .extensionDecided(decided, person ?? null, person ? scheduledOffboardingOf(deps, person) : null)
      .catch(() => undefined);
    await deps.messenger
      .notifyUser(
        decided.requesterId,
        `Your extension for ${person ? personName(person) : "the contractor"} was denied by <@${input.actor}>: ${decided.denyReason ?? ""}`,
      )
      .catch(() => undefined);
    return { status: "denied", extension: decided };
  }
  return applyExtension(deps, decided);
}

/**
 * Moves the contract's end, in the provider and in our records, and the contract-end offboarding
 * with it. An offboarding someone scheduled (see `scheduledOffboardingOf`) stays where it is, and
 * the access is extended at most to that day.
 */
async function applyExtension(deps: Deps, extension: Extension): Promise<ExtensionResult> {
  const person = getManagedPerson(deps.db, extension.managedPersonId);
  if (!person)
    return { status: "failed", extension, error: "The contractor is no longer managed by Gatehouse." };
  const scheduled = scheduledOffboardingOf(deps, person);
  const newEnd =
    scheduled && scheduled.lastDay < extension.newEndDate ? scheduled.lastDay : extension.newEndDate;
  const moves = newEnd > person.endDate;
  try {
    const moved = moves ? await providerFor(deps, person.provider).extend(person, newEnd) : {};
    const now = deps.now();
    const applied = inTransaction(deps.db, (tx) => {
      if (moves) updateManagedPerson(tx, person.id, { endDate: newEnd, ...moved }, now);
      if (!scheduled)
        scheduleOffboarding(
          tx,
          {
            provider: person.provider,
            doorflowPersonId: person.doorflowPersonId,
            // Without a DoorFlow person (Buzz-in) the open offboarding is found by its request.
            requestId: person.doorflowPersonId === null ? person.requestId : undefined,
            managedPersonId: person.id,
            personName: personName(person),
            email: person.email,
            reason: "contract_end",
            lastDay: newEnd,
            dueAt: deps.settings.offboardingDueAt(newEnd, person.provider),
            requestedBy: extension.decidedBy ?? extension.requesterId,
          },
          now,
        );
      return transitionExtension(tx, extension.id, ["approved"], "applied", now) ?? extension;
    });
    audit(deps, person, "system", "extension.applied", {
      from: extension.oldEndDate,
      to: moves ? newEnd : person.endDate,
      requested: extension.newEndDate,
      ...(scheduled ? { scheduledOffboarding: scheduled } : {}),
      ...moved,
    });
    await deps.messenger.extensionDecided(applied, person, scheduled).catch(() => undefined);
    const name = personName(person);
    const ends = moves
      ? `Access for ${name} now ends on ${formatLocal(deps.settings.offboardingDueAt(newEnd, person.provider), deps.settings.timeZoneOf(person.provider))}, their last day (was ${formatLocalDate(extension.oldEndDate)}).`
      : `The extension for ${name} is approved, but nothing moved.`;
    const why = scheduled
      ? ` Offboarding scheduled by ${/^[UW][A-Z0-9]+$/.test(scheduled.by) ? `<@${scheduled.by}>` : scheduled.by} for ${formatLocalDate(scheduled.lastDay)} — an extension does not change it.`
      : "";
    await deps.messenger.notifyUser(extension.requesterId, `${ends}${why}`).catch(() => undefined);
    return { status: "applied", extension: applied };
  } catch (error) {
    const reason = describeFailure(error);
    const failed =
      transitionExtension(deps.db, extension.id, ["approved"], "failed", deps.now(), { lastError: reason }) ??
      extension;
    audit(deps, person, "system", "extension.failed", { error: reason });
    await deps.messenger
      .notifyUser(
        extension.requesterId,
        `The extension for ${personName(person)} could not be applied: ${reason}. Their access still ends on ${formatLocalDate(person.endDate)}.`,
      )
      .catch(() => undefined);
    return { status: "failed", extension: failed, error: reason };
  }
}

function audit(
  deps: Deps,
  person: ManagedPerson,
  actor: string,
  action: string,
  details: Record<string, unknown>,
): void {
  recordAudit(deps.db, {
    at: deps.now(),
    actor,
    action,
    requestId: person.requestId,
    doorflowPersonId: person.doorflowPersonId,
    subjectEmail: person.email,
    subjectName: personName(person),
    outcome: action.endsWith("failed") || action.endsWith("refused") ? "failed" : "ok",
    details,
  });
}
