/**
 * Approve and Deny on the approval message and on App Home. Every click is authorised again; the
 * decision itself is one database transition, committed before the click is acknowledged, so
 * concurrent clicks provision once, the rest are told who decided, and no acknowledged click is lost.
 */
import type { App, BlockAction, ButtonAction, RespondFn, webApi } from "@slack/bolt";
import { personName } from "../../../domain/audit.js";
import { type DecisionResult, decideRequest, precheckDecision } from "../../../domain/requests.js";
import { formatLocal } from "../../../lib/time.js";
import { settledWithin } from "../../../lib/deadline.js";
import type { SlackContext } from "../../context.js";
import { ACTION, CALLBACK, FIELD } from "../../ids.js";
import { buildDenyReasonModal } from "../../views/deny-reason-modal.js";

export function registerDecisionActions(app: App, ctx: SlackContext): void {
  const { deps } = ctx;

  app.action<BlockAction<ButtonAction>>(ACTION.approve, async ({ ack, action, body, respond, client }) => {
    const decided = await decideBeforeAck(ctx, {
      requestId: action.value ?? "",
      userId: body.user.id,
      outcome: "approve",
    });
    await ack();
    await ctx.work.run(async () => {
      const result = await decided.result;
      if (result.status === "approved") {
        // Refresh after provisioning too, so the requester's home says "active", not "being set up".
        ctx.refreshHome?.([body.user.id, result.request.requesterId]);
        await ctx.provision(result.request.id);
        ctx.refreshHome?.([body.user.id, result.request.requesterId]);
        return;
      }
      await tell(respond, client, body.user.id, refusal(ctx, result));
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.deny, async ({ ack, action, body, respond, client }) => {
    await ack();
    await ctx.work.run(async () => {
      // Check before asking for a reason, so a stranger never sees the modal.
      const checked = await precheckDecision(deps, {
        requestId: action.value ?? "",
        userId: body.user.id,
        outcome: "deny",
      });
      if (checked.status !== "open") {
        await tell(respond, client, body.user.id, refusal(ctx, checked));
        return;
      }
      const { request } = checked;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildDenyReasonModal({ requestId: request.id, personName: personName(request) }),
      });
    });
  });

  app.view(CALLBACK.denyReason, async ({ ack, body, view, client }) => {
    const reason = view.state.values[FIELD.denyReason.block]?.[FIELD.denyReason.action]?.value?.trim() ?? "";
    if (!reason) {
      await ack({
        response_action: "errors",
        errors: { [FIELD.denyReason.block]: "Say why, so the requester knows what to change." },
      });
      return;
    }
    const decided = await decideBeforeAck(ctx, {
      requestId: view.private_metadata,
      userId: body.user.id,
      outcome: "deny",
      reason,
    });
    await ack();
    await ctx.work.run(async () => {
      const result = await decided.result;
      if (result.status === "denied") ctx.refreshHome?.([body.user.id, result.request.requesterId]);
      else await client.chat.postMessage({ channel: body.user.id, text: refusal(ctx, result) });
    });
  });
}

/** What the acknowledgement may wait for the decision; Bolt gives up on an unacknowledged request at 2.9 s. */
const DECIDE_BEFORE_ACK_MS = 2_000;

/**
 * The decision is committed (one local SQLite transaction, its Slack messages queued in the outbox)
 * before Slack is told the click was received, so a process killed right after the acknowledgement
 * still has it and the restart provisions it; a click the process dies on before acknowledging is
 * shown to the approver as failed, and they click again. Only authorising the clicker can take a
 * Slack round trip (approvers in a user group, members cached for a minute): should that outlast
 * the budget, the click is acknowledged and decided right after, as before. The result is wrapped
 * (a promise inside a resolved one would be waited for) for the work after the acknowledgement.
 */
async function decideBeforeAck(
  ctx: SlackContext,
  input: Parameters<typeof decideRequest>[1],
): Promise<{ result: Promise<DecisionResult> }> {
  const deciding = ctx.work.run(() => decideRequest(ctx.deps, input));
  await settledWithin(deciding, DECIDE_BEFORE_ACK_MS);
  return { result: deciding };
}

/**
 * An answer only the clicker sees. A click on App Home carries no response URL (Bolt then gives no
 * `respond`), so there the answer goes to the clicker's direct message with the bot.
 */
async function tell(
  respond: RespondFn | undefined,
  client: webApi.WebClient,
  userId: string,
  text: string,
): Promise<void> {
  if (respond) await respond({ response_type: "ephemeral", replace_original: false, text });
  else await client.chat.postMessage({ channel: userId, text });
}

function refusal(ctx: SlackContext, result: DecisionResult): string {
  const tz = ctx.deps.settings.timeZone;
  switch (result.status) {
    case "forbidden":
      return "Only approvers can approve or deny access requests.";
    case "needs_operator": {
      const p = result.request.existingPerson;
      const who = p
        ? `${p.firstName} ${p.lastName}, ${p.enabled ? "enabled" : "disabled"}`
        : "an existing person";
      return `This request reuses an existing DoorFlow person (${who}): only an operator can approve it.`;
    }
    case "own_request":
      return "You cannot decide on your own request: another approver must.";
    case "not_found":
      return "This request no longer exists.";
    case "expired":
      return `This request expired after ${ctx.deps.settings.pendingApprovalHours} hours without a decision; the requester can ask again.`;
    case "already_decided": {
      const r = result.request;
      const when = r.decidedAt ? ` on ${formatLocal(r.decidedAt, tz)}` : "";
      const what = r.state === "denied" ? "denied" : r.state === "expired" ? "expired" : "approved";
      return r.decidedBy
        ? `Already ${what} by <@${r.decidedBy}>${when}.`
        : `This request is already ${what}.`;
    }
    default:
      return "Done.";
  }
}
