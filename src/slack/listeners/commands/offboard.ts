/**
 * `/offboard <email | @user>`, `/offboard bulk`, `/offboard help`, for operators only. The preview
 * goes to the caller alone (the response URL's ephemeral reply); a mention is resolved to the
 * user's Slack email first. Anything else gets the help.
 */
import type { App } from "@slack/bolt";
import { previewOffboarding } from "../../../domain/use-cases/preview-offboarding.js";
import { parseOffboardCommand } from "../../commands-parse.js";
import type { SlackContext } from "../../context.js";
import { emailOfUser } from "../../user-email.js";
import { buildNoticeMessage } from "../../views/notices.js";
import { buildBulkModal } from "../../views/offboard-modals.js";
import * as preview from "../../views/offboard-preview.js";
import type { SlackMessage } from "../../views/text.js";

export function registerOffboardCommand(app: App, ctx: SlackContext): void {
  app.command("/offboard", async ({ command, ack, client, respond }) => {
    await ack();
    const target = parseOffboardCommand(command.text);
    await ctx.work.run(async () => {
      const reply = (m: SlackMessage) => respond({ response_type: "ephemeral", ...m });
      const emailOf = (userId: string) => emailOfUser(client, userId);
      const found = await previewOffboarding(ctx.deps, {
        actor: command.user_id,
        target,
        emailOfUser: emailOf,
      });
      if (found.status === "forbidden") return reply(buildNoticeMessage(preview.OFFBOARD_REFUSAL));
      if (found.status === "help") return reply(preview.buildOffboardHelp());
      if (found.status === "bulk") {
        await client.views.open({ trigger_id: command.trigger_id, view: buildBulkModal() });
        return;
      }
      if (found.status === "problem") return reply(buildNoticeMessage(found.problem));
      if (found.buzzin.length > 0) await reply(preview.buildBuzzinOffboardPreview(found.buzzin));
      const doorflow = await found.doorflow;
      if (doorflow.status === "none" && found.buzzin.length > 0) return;
      return reply(preview.buildDoorFlowMatch(doorflow, ctx.deps.settings.timeZone));
    });
  });
}
