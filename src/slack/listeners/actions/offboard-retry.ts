/**
 * "Retry" on a security-channel alert about a failed offboarding (value: the offboarding id), for
 * operators only. The run claims the offboarding with a lease like the daily job, so a click during
 * a job run does nothing twice; a success updates the alert itself, so the answer is ephemeral.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { runDueOffboardings } from "../../../domain/due-offboardings.js";
import { describeFailure } from "../../../domain/failures.js";
import { replier } from "../../reply.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { buildNoticeMessage } from "../../views/notices.js";
import { buildRetryResult } from "../../views/offboard-outcome.js";
import type { SlackMessage } from "../../views/text.js";

export function registerOffboardRetry(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.action<BlockAction<ButtonAction>>(
    ACTION.retry,
    async ({ ack, action, body, respond: slackRespond, client }) => {
      await ack();
      const respond = replier(slackRespond, client, body.user.id);
      await ctx.work.run(async () => {
        const tell = (m: SlackMessage) =>
          respond({ response_type: "ephemeral", replace_original: false, ...m });
        if (!(await deps.policy.isOperator(body.user.id))) {
          return tell(buildNoticeMessage("Only Gatehouse operators can retry an offboarding."));
        }
        const id = Number(action.value);
        if (!Number.isSafeInteger(id)) return tell(buildNoticeMessage("This button is out of date."));
        try {
          return await tell(buildRetryResult(await runDueOffboardings(deps, { only: id })));
        } catch (error) {
          deps.logger.error("retrying an offboarding failed", {
            offboardingId: id,
            error: describeFailure(error),
          });
          return tell(buildNoticeMessage(`The retry did not run: ${describeFailure(error)}`));
        }
      });
    },
  );
}
