/**
 * `user_change`: Slack tells us when an account changes, deactivation included (`deleted: true`).
 * A deactivated account whose email still opens doors is a leaver: the change is recorded and the
 * leaver processor alerts operators (or offboards, with SLACK_DEACTIVATION_OFFBOARD=auto). Events are
 * acknowledged by Bolt before listeners run, so nothing here races Slack's 3 seconds.
 * https://api.slack.com/events/user_change
 */
import type { App } from "@slack/bolt";
import { z } from "zod";
import { recordSlackUserChange } from "../../../domain/leaver-intake.js";
import type { LeaverProcessor } from "../../../domain/leavers.js";
import { errorMessage } from "../../../lib/errors.js";
import type { SlackContext } from "../../context.js";

const userChange = z.object({
  user: z.looseObject({
    id: z.string().regex(/^[UW][A-Z0-9]{2,}$/),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    real_name: z.string().max(500).optional(),
    profile: z
      .looseObject({
        email: z.string().max(254).optional(),
        real_name: z.string().max(500).optional(),
      })
      .optional(),
  }),
});

export function registerUserChange(
  app: App,
  ctx: SlackContext,
  leavers: Pick<LeaverProcessor, "kick">,
): void {
  app.event("user_change", async ({ event }) => {
    const parsed = userChange.safeParse(event);
    if (!parsed.success) {
      ctx.deps.logger.warn("user_change without a readable user, ignored");
      return;
    }
    const { user } = parsed.data;
    if (user.is_bot) return;
    const email = user.profile?.email ?? null;
    await ctx.work.run(async () => {
      try {
        const recorded = recordSlackUserChange(
          ctx.deps.db,
          {
            slackUserId: user.id,
            deleted: user.deleted === true,
            email: email && z.email().safeParse(email).success ? email : null,
            name: user.profile?.real_name || user.real_name || null,
          },
          ctx.deps.now(),
        );
        if (recorded.created) await leavers.kick();
        ctx.deps.logger.debug("user_change handled", { slackUserId: user.id, recorded: recorded.created });
      } catch (error) {
        ctx.deps.logger.error("could not record a Slack deactivation", {
          slackUserId: user.id,
          error: errorMessage(error),
        });
      }
    });
  });
}
