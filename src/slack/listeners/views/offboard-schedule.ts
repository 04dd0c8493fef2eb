/**
 * "Schedule offboarding" submitted. A bad day is shown on the field itself, which Slack only
 * accepts in the acknowledgement; the use case also reads the person from DoorFlow, so it gets
 * part of Slack's 3 seconds and, when DoorFlow is slower, the operator is told by direct message.
 */
import type { App } from "@slack/bolt";
import { describeFailure } from "../../../domain/failures.js";
import { type ScheduleResult, scheduleLastDay } from "../../../domain/offboard-requests.js";
import { within } from "../../../lib/deadline.js";
import type { SlackContext } from "../../context.js";
import { CALLBACK, FIELD } from "../../ids.js";
import { buildNoticeMessage } from "../../views/notices.js";
import { buildOffboardScheduled } from "../../views/offboard-outcome.js";
import { OFFBOARD_REFUSAL } from "../../views/offboard-preview.js";
import type { SlackMessage } from "../../views/text.js";

/** What the acknowledgement may wait for; Bolt gives up on an unacknowledged request at 2.9 s. */
const ACK_BUDGET_MS = 2_000;

type Settled = { result: ScheduleResult } | { error: unknown };

export function registerOffboardScheduleSubmission(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.view(CALLBACK.offboardSchedule, async ({ ack, body, view, client }) => {
    const field = view.state.values[FIELD.lastDay.block]?.[FIELD.lastDay.action];
    const settled: Promise<Settled> = scheduleLastDay(deps, {
      actor: body.user.id,
      personId: Number(view.private_metadata),
      lastDay: field?.selected_date ?? "",
    }).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const early = await within(settled, ACK_BUDGET_MS);
    if (early && "result" in early && early.result.status !== "scheduled") {
      const message = early.result.status === "forbidden" ? OFFBOARD_REFUSAL : early.result.message;
      await ack({ response_action: "errors", errors: { [FIELD.lastDay.block]: message } });
      return;
    }
    await ack();
    await ctx.work.run(async () => {
      const done = early ?? (await settled);
      await client.chat.postMessage({ channel: body.user.id, ...tell(done) });
    });
  });

  const tell = (done: Settled): SlackMessage => {
    if ("error" in done) {
      deps.logger.warn("scheduling an offboarding failed", { error: describeFailure(done.error) });
      return buildNoticeMessage(
        `The offboarding was not scheduled: ${describeFailure(done.error)}. Try again in a minute.`,
      );
    }
    const r = done.result;
    if (r.status === "scheduled") return buildOffboardScheduled(r.offboarding, deps.settings.timeZone);
    return buildNoticeMessage(
      r.status === "forbidden" ? OFFBOARD_REFUSAL : `The offboarding was not scheduled: ${r.message}`,
    );
  };
}
