/**
 * "Retry" on a security-channel alert about a failed offboarding (value: the offboarding id), for
 * operators only. A success updates the alert itself, so the answer is ephemeral.
 */
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { retryOffboarding } from "../../../domain/use-cases/retry-offboarding.js";
import type { SlackContext } from "../../context.js";
import { ACTION } from "../../ids.js";
import { replier } from "../../reply.js";
import { buildRetryAnswer } from "../../views/retry-answer.js";

export function registerOffboardRetry(app: App, ctx: SlackContext): void {
  app.action<BlockAction<ButtonAction>>(ACTION.retry, async ({ ack, action, body, respond, client }) => {
    await ack();
    const reply = replier(respond, client, body.user.id);
    await ctx.work.run(async () => {
      const result = await retryOffboarding(ctx.deps, {
        actor: body.user.id,
        offboardingId: Number(action.value),
      });
      await reply({ response_type: "ephemeral", replace_original: false, ...buildRetryAnswer(result) });
    });
  });
}
