/**
 * The `/offboard` preview's buttons. "Offboard now" is authorised again on the click (the preview
 * may be old, the operator list may have changed) and replaces the preview first with "Offboarding…"
 * so a second click finds no button, then with the verified outcome. "Schedule…" opens the last-day
 * picker; "Cancel" removes the preview.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { describeFailure } from "../../../domain/failures.js";
import { offboardManagedNow, offboardNow } from "../../../domain/offboard-requests.js";
import type { OffboardOutcome } from "../../../domain/offboarding.js";
import { todayIn } from "../../../domain/requests.js";
import { type Reply, replier } from "../../reply.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { buildNoticeMessage } from "../../views/notices.js";
import { buildScheduleModal } from "../../views/offboard-modals.js";
import { buildOffboardOutcome } from "../../views/offboard-outcome.js";
import {
  buildBuzzinOffboardOutcome,
  buildOffboardCancelled,
  buildOffboardRunning,
  OFFBOARD_REFUSAL,
} from "../../views/offboard-preview.js";

const scheduleValue = z.object({
  personId: z.number().int(),
  name: z.string(),
  lastDay: z.string().optional(),
});

async function refuse(respond: Reply): Promise<void> {
  await respond({
    response_type: "ephemeral",
    replace_original: false,
    ...buildNoticeMessage(OFFBOARD_REFUSAL),
  });
}

export function registerOffboardPreviewActions(app: App, ctx: SlackContext): void {
  const { deps } = ctx;

  app.action<BlockAction<ButtonAction>>(
    ACTION.offboardBuzzinNow,
    async ({ ack, action, body, respond: slackRespond, client }) => {
      await ack();
      const respond = replier(slackRespond, client, body.user.id);
      await ctx.work.run(async () => {
        const actor = body.user.id;
        if (!(await deps.policy.isOperator(actor))) return refuse(respond);
        await respond({ replace_original: true, ...buildOffboardRunning("the Buzz-in contractor") });
        const result = await offboardManagedNow(deps, { actor, managedPersonId: Number(action.value) });
        if (result.status === "forbidden") return refuse(respond);
        if (result.status === "not_found") {
          await respond({
            replace_original: true,
            ...buildNoticeMessage("This Buzz-in contractor is no longer active: nothing was changed."),
          });
          return;
        }
        const name = `${result.person.firstName} ${result.person.lastName}`;
        await respond({
          replace_original: true,
          ...buildBuzzinOffboardOutcome(
            name,
            result.status === "offboarded" ? { ok: true } : { ok: false, error: result.error },
          ),
        });
      });
    },
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION.offboardNow,
    async ({ ack, action, body, respond: slackRespond, client }) => {
      await ack();
      const respond = replier(slackRespond, client, body.user.id);
      await ctx.work.run(async () => {
        const actor = body.user.id;
        const personId = Number(action.value);
        if (!(await deps.policy.isOperator(actor))) return refuse(respond);
        await respond({ replace_original: true, ...buildOffboardRunning(`DoorFlow person ${personId}`) });
        let outcome: OffboardOutcome;
        try {
          const result = await offboardNow(deps, { actor, personId });
          if (result.status === "forbidden") return refuse(respond);
          outcome = result.outcome;
        } catch (error) {
          // Reading DoorFlow's reservations failed before any person was touched.
          deps.logger.error("offboard now failed", { personId, error: describeFailure(error) });
          outcome = {
            personId,
            status: "failed",
            removed: { groupReservations: 0, reservations: 0, mobileCredentials: 0 },
            cardNumbers: [],
            error: describeFailure(error),
          };
        }
        const at = deps.now();
        await respond({
          replace_original: true,
          ...buildOffboardOutcome({ outcome, by: actor, at, timeZone: deps.settings.timeZone }),
        });
      });
    },
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION.offboardSchedule,
    async ({ ack, action, body, client, respond: slackRespond }) => {
      await ack();
      const respond = replier(slackRespond, client, body.user.id);
      await ctx.work.run(async () => {
        if (!(await deps.policy.isOperator(body.user.id))) return refuse(respond);
        const value = scheduleValue.safeParse(safeJson(action.value));
        if (!value.success) {
          await respond({
            response_type: "ephemeral",
            replace_original: false,
            text: "This button is out of date: run /offboard again.",
          });
          return;
        }
        await client.views.open({
          trigger_id: body.trigger_id,
          view: buildScheduleModal({
            personId: value.data.personId,
            personName: value.data.name,
            today: todayIn(deps),
            initial: value.data.lastDay,
          }),
        });
      });
    },
  );

  app.action<BlockAction<ButtonAction>>(
    ACTION.offboardCancel,
    async ({ ack, body, respond: slackRespond, client }) => {
      await ack();
      const respond = replier(slackRespond, client, body.user.id);
      await ctx.work.run(async () => {
        // An ephemeral message can only be removed through its response URL; if that fails, say so in place.
        await respond({ delete_original: true }).catch(() =>
          respond({ replace_original: true, ...buildOffboardCancelled() }),
        );
      });
    },
  );
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "") as unknown;
  } catch {
    return undefined;
  }
}
