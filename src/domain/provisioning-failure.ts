/**
 * Telling people that provisioning failed, once per request: the security channel gets one alert
 * (keyed by the request), the requester one message. A final failure also disables the DoorFlow
 * person we created or enabled, so nobody is left with access nobody asked to keep.
 */
import { getAccessRequest, recordProvisioningProgress } from "../db/repositories/access-requests.js";
import { type AccessRequest, personName } from "./model.js";
import { inTransaction } from "../db/database.js";
import { claimAlert, resolveAlert } from "../db/repositories/alerts.js";
import { errorMessage } from "../lib/errors.js";
import { escapeSlackText } from "../lib/text.js";
import { auditRequest } from "./audit.js";
import type { Deps } from "./deps.js";
import type { AlertLine } from "./ports.js";
import { describeFailure, isTransient } from "./failures.js";

export type FailureOutcome =
  | { status: "retry_scheduled"; request: AccessRequest; error: string }
  | { status: "failed"; request: AccessRequest; error: string };

/** About 1, 5, 15 minutes, then every 30 minutes, until the 24 hours after approval run out. */
function retryDelayMs(attempts: number): number {
  return ([1, 5, 15][attempts - 1] ?? 30) * 60_000;
}

/**
 * A step failed after the client's own retries: a transient failure is retried later (until 24 h
 * after approval), anything else ends the request as failed. Both are recorded and reported once.
 */
export async function handleProvisioningFailure(
  deps: Deps,
  request: AccessRequest,
  error: unknown,
): Promise<FailureOutcome> {
  const current = getAccessRequest(deps.db, request.id) ?? request;
  const reason = describeFailure(error);
  const now = deps.now();
  const transient = isTransient(error) && (current.giveUpAt?.getTime() ?? 0) > now.getTime();
  deps.logger.warn("provisioning step failed", {
    requestId: current.id,
    step: current.step,
    transient,
    error: errorMessage(error),
  });
  const next = transient ? new Date(now.getTime() + retryDelayMs(current.attempts)) : null;
  recordProvisioningProgress(
    deps.db,
    current.id,
    transient
      ? { nextAttemptAt: next, lastError: reason, state: "approved" }
      : { state: "failed", nextAttemptAt: null, lastError: reason },
    now,
  );
  auditRequest(
    deps.db,
    current,
    {
      actor: "system",
      action: `provision.${current.step ?? "step"}`,
      outcome: "failed",
      details: next ? { error: reason, retryAt: next.toISOString() } : { error: reason, final: true },
    },
    now,
  );
  const updated = getAccessRequest(deps.db, current.id) ?? current;
  await reportProvisioningFailure(deps, updated, reason, { final: !transient });
  return { status: transient ? "retry_scheduled" : "failed", request: updated, error: reason };
}

async function reportProvisioningFailure(
  deps: Deps,
  request: AccessRequest,
  reason: string,
  options: { final: boolean },
): Promise<void> {
  let disabled: AlertLine | null = null;
  if (options.final && request.doorflowPersonId !== null) disabled = await disablePerson(deps, request);

  // The first failure after the client's own retries is reported; later retries stay quiet.
  if (request.failureNotifiedAt && !options.final) return;
  const now = deps.now();
  const text = provisioningAlertText(request, reason, options.final);
  // The alert, the requester's message and the record that both are owed, in one transaction.
  inTransaction(deps.db, (tx) => {
    const claim = claimAlert(
      tx,
      {
        key: provisioningAlertKey(request),
        kind: "provisioning_failed",
        channelId: deps.settings.securityChannelId,
        summary: text.summary,
      },
      now,
    );
    if (claim.created)
      void deps.messenger.securityAlert(
        {
          title: text.title,
          lines: [...text.lines, { text: text.outcome }, disabled, reuseNote(request)].filter(
            (line): line is AlertLine => line !== null,
          ),
        },
        { alertKey: claim.alert.key, tx },
      );
    if (!request.failureNotifiedAt || options.final) {
      void deps.messenger.notifyUser(request.requesterId, text.requester, tx);
      recordProvisioningProgress(tx, request.id, { failureNotifiedAt: now }, now);
    }
  });
}

const provisioningAlertKey = (request: Pick<AccessRequest, "id">) => `provisioning:${request.id}`;

/**
 * What the security channel and the requester are told. A failure at the `notify` step is Slack's,
 * not DoorFlow's: the access exists and only the card and PIN message is still owed.
 */
function provisioningAlertText(request: AccessRequest, reason: string, final: boolean) {
  const who = `${personName(request)} (${request.company}${request.email ? `, ${request.email}` : ""})`;
  const onlyTheMessage = request.step === "notify" && !final;
  const outcome = final
    ? "The request has failed and will not be retried."
    : onlyTheMessage
      ? "The access is set up in DoorFlow; Gatehouse keeps trying to send the card and PIN."
      : "Gatehouse keeps retrying for up to 24 hours after approval.";
  return {
    title: onlyTheMessage
      ? `The card and PIN for ${personName(request)} could not be sent yet`
      : `Access for ${personName(request)} could not be set up`,
    // Stored escaped, as it always was: a resolved alert shows it again (`escaped`).
    summary: `Provisioning ${escapeSlackText(who)} failed at step ${request.step ?? "?"}: ${reason}`,
    lines: [
      { label: "Person", text: who },
      {
        label: "Requested by",
        text: [
          { user: request.requesterId },
          ...(request.decidedBy ? [", approved by ", { user: request.decidedBy }] : []),
        ],
      },
      { label: "Step", text: request.step ?? "?" },
      { label: "Error", text: reason },
    ] satisfies AlertLine[],
    outcome,
    requester: onlyTheMessage
      ? `Access for ${personName(request)} is set up, but Gatehouse could not send you the card number and PIN yet (${reason}). It keeps trying by itself.`
      : `Access for ${personName(request)} could not be set up yet: ${reason}. ${outcome} The security team has been told.`,
  };
}

/**
 * Provisioning went through after a reported failure: the alert is edited to say so (once), as an
 * offboarding's alert is when a retry succeeds.
 */
export async function resolveProvisioningAlert(deps: Deps, request: AccessRequest): Promise<void> {
  const alert = resolveAlert(deps.db, provisioningAlertKey(request), deps.now());
  if (!alert) return;
  await deps.messenger.updateSecurityAlert(alert.key, {
    title: alert.summary.includes("at step notify")
      ? `The card and PIN for ${personName(request)} could not be sent yet`
      : `Access for ${personName(request)} could not be set up`,
    lines: [{ label: "Earlier", text: alert.summary, escaped: true }],
    resolved: `Resolved: access for ${personName(request)} is set up and the requester has the details.`,
  });
}

async function disablePerson(deps: Deps, request: AccessRequest): Promise<AlertLine> {
  const personId = request.doorflowPersonId as number;
  try {
    await deps.doorflow.updatePerson(personId, { enabled: false });
    auditRequest(
      deps.db,
      request,
      { actor: "system", action: "provision.person_disabled", details: { doorflowPersonId: personId } },
      deps.now(),
    );
    deps.sync.request(`disable ${personId} after failed provisioning`);
    return { text: `DoorFlow person ${personId} has been disabled.` };
  } catch (error) {
    auditRequest(
      deps.db,
      request,
      {
        actor: "system",
        action: "provision.person_disabled",
        outcome: "failed",
        details: { error: describeFailure(error) },
      },
      deps.now(),
    );
    return {
      text: [
        {
          strong: `DoorFlow person ${personId} could not be disabled (${describeFailure(error)}); disable them in DoorFlow.`,
        },
        ` Their access still ends on ${request.endDate}.`,
      ],
    };
  }
}

/**
 * A reused person may already have been changed when provisioning failed: say what, and where the
 * previous state is, so someone can put it back if that is what is wanted.
 */
function reuseNote(request: AccessRequest): AlertLine | null {
  const p = request.existingPerson;
  if (!p || request.doorflowPersonId === null) return null;
  const groups = p.groupNames.length > 0 ? ` (groups ${p.groupNames.join(", ")})` : "";
  return {
    text: `Gatehouse had started reusing DoorFlow person ${p.doorflowPersonId}, ${personName(p)}: their static groups${groups} and old credentials may already be removed. Their previous state is in the audit (/contractor audit ${request.email ?? ""}).`,
  };
}
