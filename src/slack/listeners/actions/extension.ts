/**
 * Extensions in Slack: the "Extend contract" modal (from `/contractor extend [email]` or the
 * reminder's "Extend" button), its submission, and Approve/Deny on the extension message.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { webApi } from "@slack/bolt";
import { findManagedByEmail, listActiveManaged } from "../../../db/repositories/managed-people.js";
import {
  type ExtensionDecision,
  checkExtension,
  decideExtension,
  precheckExtensionDecision,
  requestExtension,
  scheduledOffboardingOf,
} from "../../../domain/extensions.js";
import { todayIn } from "../../../domain/requests.js";
import { formatLocalDate } from "../../../lib/time.js";
import type { SlackContext } from "../../context.js";
import { ACTION, CALLBACK, FIELD } from "../../ids.js";
import { buildDenyReasonModal } from "../../views/deny-reason-modal.js";
import { buildExtensionModal } from "../../views/extension.js";

/** Opens "Extend contract" listing the contractors the user may extend (their own, or all for approvers and operators). */
export async function openExtensionModal(
  ctx: SlackContext,
  client: webApi.WebClient,
  input: { triggerId: string; userId: string; email?: string | null; managedPersonId?: number },
): Promise<void> {
  const { deps } = ctx;
  const seesAll =
    (await deps.policy.isApprover(input.userId)) || (await deps.policy.isOperator(input.userId));
  const contractors = listActiveManaged(deps.db)
    .filter((m) => m.kind === "contractor" && (seesAll || m.requesterId === input.userId))
    .map((m) => ({
      id: m.id,
      name: `${m.firstName} ${m.lastName}`,
      endDate: m.endDate,
      scheduledOffboarding: scheduledOffboardingOf(deps, m),
    }));
  const byEmail = input.email
    ? findManagedByEmail(deps.db, input.email).find((m) => m.status === "active")
    : undefined;
  await client.views.open({
    trigger_id: input.triggerId,
    view: buildExtensionModal({
      contractors,
      selectedId: input.managedPersonId ?? byEmail?.id,
      today: todayIn(deps),
    }),
  });
}

export function registerExtension(app: App, ctx: SlackContext): void {
  const { deps } = ctx;

  app.action<BlockAction<ButtonAction>>(ACTION.extend, async ({ ack, action, body, client }) => {
    await ack();
    await ctx.work.run(() =>
      openExtensionModal(ctx, client, {
        triggerId: body.trigger_id,
        userId: body.user.id,
        managedPersonId: Number(action.value),
      }),
    );
  });

  app.view(CALLBACK.extensionRequest, async ({ ack, body, view }) => {
    const values = view.state.values;
    const selected = values[FIELD.contractor.block]?.[FIELD.contractor.action]?.selected_option?.value;
    const newEndDate = values[FIELD.newEndDate.block]?.[FIELD.newEndDate.action]?.selected_date ?? null;
    const checked = await checkExtension(deps, {
      actor: body.user.id,
      managedPersonId: selected ? Number(selected) : null,
      newEndDate,
    });
    if (checked.status === "invalid") {
      const errors: Record<string, string> = {};
      if (checked.errors.contractor) errors[FIELD.contractor.block] = checked.errors.contractor;
      if (checked.errors.newEndDate) errors[FIELD.newEndDate.block] = checked.errors.newEndDate;
      await ack({ response_action: "errors", errors });
      return;
    }
    if (checked.status === "forbidden") {
      await ack({ response_action: "errors", errors: { [FIELD.contractor.block]: checked.message } });
      return;
    }
    await ack();
    await ctx.work.run(async () => {
      const result = await requestExtension(deps, {
        actor: body.user.id,
        person: checked.person,
        newEndDate: checked.newEndDate,
      });
      // notifyUser treats names and DoorFlow's error as text, not mrkdwn, and goes through the outbox.
      const name = `${checked.person.firstName} ${checked.person.lastName}`;
      const text =
        result.status === "requested"
          ? `Your extension for ${name} to ${formatLocalDate(checked.newEndDate)} has been sent for approval.`
          : result.status === "failed"
            ? `The extension for ${name} could not be applied: ${result.error}`
            : undefined;
      if (text) await deps.messenger.notifyUser(body.user.id, text);
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.extensionApprove, async ({ ack, action, body, respond }) => {
    await ack();
    await ctx.work.run(async () => {
      const result = await decideExtension(deps, {
        extensionId: action.value ?? "",
        actor: body.user.id,
        outcome: "approve",
      });
      const text = refusal(result);
      if (text) await respond({ response_type: "ephemeral", replace_original: false, text });
    });
  });

  app.action<BlockAction<ButtonAction>>(
    ACTION.extensionDeny,
    async ({ ack, action, body, client, respond }) => {
      await ack();
      await ctx.work.run(async () => {
        // Check before asking for a reason, so a stranger or a stale button never sees the modal.
        const checked = await precheckExtensionDecision(deps, {
          extensionId: action.value ?? "",
          actor: body.user.id,
          outcome: "deny",
        });
        if (checked.status !== "open") {
          const text = refusal(checked);
          if (text) await respond({ response_type: "ephemeral", replace_original: false, text });
          return;
        }
        const view = buildDenyReasonModal({ requestId: checked.extension.id, personName: "this extension" });
        await client.views.open({
          trigger_id: body.trigger_id,
          view: { ...view, callback_id: CALLBACK.extensionDenyReason },
        });
      });
    },
  );

  app.view(CALLBACK.extensionDenyReason, async ({ ack, body, view, client }) => {
    const reason = view.state.values[FIELD.denyReason.block]?.[FIELD.denyReason.action]?.value?.trim() ?? "";
    if (!reason) {
      await ack({
        response_action: "errors",
        errors: { [FIELD.denyReason.block]: "Say why, so the requester knows what to change." },
      });
      return;
    }
    await ack();
    await ctx.work.run(async () => {
      const result = await decideExtension(deps, {
        extensionId: view.private_metadata,
        actor: body.user.id,
        outcome: "deny",
        reason,
      });
      const text = refusal(result);
      if (text) await client.chat.postMessage({ channel: body.user.id, text });
    });
  });
}

function refusal(result: ExtensionDecision): string | null {
  switch (result.status) {
    case "forbidden":
      return "Only approvers can approve or deny extensions.";
    case "own_request":
      return "You cannot decide on your own extension: another approver must.";
    case "not_found":
      return "This extension no longer exists.";
    case "already_decided":
      return `This extension is already ${result.extension.state}${result.extension.decidedBy ? ` (by <@${result.extension.decidedBy}>)` : ""}.`;
    case "failed":
      return `Approved, but the extension could not be applied: ${result.error}`;
    default:
      return null;
  }
}
