/** "Schedule…" on the `/offboard` preview: operators only; opens the last-day picker. */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { prepareOffboardSchedule } from "../../../domain/use-cases/prepare-offboard-schedule.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { buildScheduleModal } from "../../views/offboard-modals.js";
import { offboardRefusal } from "../../views/offboard-preview.js";

const scheduleValue = z.object({
  personId: z.number().int(),
  name: z.string(),
  lastDay: z.string().optional(),
});

export function registerOffboardSchedule(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(
    ACTION.offboardSchedule,
    async ({ ack, action, body, client, respond }) => {
      await ack();
      const reply = replier(respond, client, body.user.id);
      await ctx.work.run(async () => {
        const prepared = await prepareOffboardSchedule(ctx.deps, { actor: body.user.id });
        if (prepared.status === "forbidden") return reply(offboardRefusal());
        const value = scheduleValue.safeParse(safeJson(action.value));
        if (!value.success) {
          const text = "This button is out of date: run /offboard again.";
          return reply({ response_type: "ephemeral", replace_original: false, text });
        }
        const { personId, name, lastDay } = value.data;
        const view = buildScheduleModal({
          personId,
          personName: name,
          today: prepared.today,
          initial: lastDay,
        });
        await client.views.open({ trigger_id: body.trigger_id, view });
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
