/**
 * `/offboard <email | @user>`, `/offboard bulk`, `/offboard help`, for operators only. The preview
 * goes to the caller alone (the response URL's ephemeral reply); a mention is resolved to the
 * user's Slack email first. Anything else gets the help.
 */
import type { App, webApi } from "@slack/bolt";
import { z } from "zod";
import { describeFailure } from "../../../domain/failures.js";
import type { ManagedPerson } from "../../../db/repositories/managed-people.js";
import {
  type FindResult,
  findBuzzinToOffboard,
  findPersonToOffboard,
} from "../../../domain/offboard-requests.js";
import { unescapeEmail } from "../../commands-parse.js";
import type { SlackContext } from "../../context.js";
import { buildNoticeMessage } from "../../views/notices.js";
import { buildBulkModal } from "../../views/offboard-modals.js";
import {
  buildBuzzinOffboardPreview,
  type BuzzinOffboardMatch,
  buildOffboardHelp,
  buildOffboardNone,
  buildOffboardPreview,
  buildOffboardSeveral,
  OFFBOARD_REFUSAL,
} from "../../views/offboard-preview.js";
import { type Mrkdwn, mention, mrkdwn, type SlackMessage } from "../../views/text.js";

export type OffboardCommand =
  { kind: "help" } | { kind: "bulk" } | { kind: "email"; email: string } | { kind: "user"; userId: string };

const email = z.email();

/** With `should_escape: true` a mention arrives as `<@U123|name>` and an email as `<mailto:…|…>`. */
export function parseOffboardCommand(text: string | undefined): OffboardCommand {
  const word = (text ?? "").trim().split(/\s+/, 1)[0] ?? "";
  if (word.toLowerCase() === "bulk") return { kind: "bulk" };
  const user = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word);
  if (user?.[1]) return { kind: "user", userId: user[1] };
  const address = unescapeEmail(word);
  if (address && email.safeParse(address).success) return { kind: "email", email: address };
  return { kind: "help" };
}

export function registerOffboardCommand(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.command("/offboard", async ({ command, ack, client, respond }) => {
    await ack();
    const sub = parseOffboardCommand(command.text);
    const actor = command.user_id;
    await ctx.work.run(async () => {
      const reply = (m: SlackMessage) => respond({ response_type: "ephemeral", ...m });
      if (!(await deps.policy.isOperator(actor))) return reply(buildNoticeMessage(OFFBOARD_REFUSAL));
      if (sub.kind === "help") return reply(buildOffboardHelp());
      if (sub.kind === "bulk") {
        await client.views.open({ trigger_id: command.trigger_id, view: buildBulkModal() });
        return;
      }
      const resolved = sub.kind === "email" ? { email: sub.email } : await emailOfUser(client, sub.userId);
      if ("problem" in resolved) return reply(buildNoticeMessage(resolved.problem));
      // A Buzz-in contractor is not in DoorFlow: offered on their own, or beside the DoorFlow answer.
      const buzzin = findBuzzinToOffboard(deps, resolved.email);
      if (buzzin.length > 0) await reply(buildBuzzinOffboardPreview(buzzin.map(buzzinMatch)));
      try {
        const found = await findPersonToOffboard(deps, { actor, email: resolved.email });
        if (found.status === "none" && buzzin.length > 0) return;
        return await reply(render(found));
      } catch (error) {
        deps.logger.warn("offboard preview failed", { error: describeFailure(error) });
        return reply(
          buildNoticeMessage(
            `Gatehouse could not read ${resolved.email} from DoorFlow: ${describeFailure(error)}. Try again in a minute.`,
          ),
        );
      }
    });
  });

  const render = (found: FindResult): SlackMessage => {
    switch (found.status) {
      case "forbidden":
        return buildNoticeMessage(OFFBOARD_REFUSAL);
      case "none":
        return buildOffboardNone(found.email);
      case "several":
        return buildOffboardSeveral(found.email, found.people);
      case "one":
        return buildOffboardPreview(found.preview, deps.settings.timeZone);
    }
  };
}

/** A Buzz-in contractor's access names are their property and unit (set from the request). */
function buzzinMatch(m: ManagedPerson): BuzzinOffboardMatch {
  return {
    managedPersonId: m.id,
    name: `${m.firstName} ${m.lastName}`,
    email: m.email,
    company: m.company,
    where: m.accessNames.join(", "),
    endDate: m.endDate,
  };
}

async function emailOfUser(
  client: webApi.WebClient,
  userId: string,
): Promise<{ email: string } | { problem: Mrkdwn }> {
  try {
    const res = await client.users.info({ user: userId });
    const address = res.user?.profile?.email?.trim().toLowerCase();
    if (address) return { email: address };
    return {
      problem: mrkdwn`Slack has no email address for ${mention(userId)} (a bot, or the app cannot read emails). Run /offboard with their email instead.`,
    };
  } catch (error) {
    return {
      problem: mrkdwn`Slack could not tell Gatehouse who ${mention(userId)} is (${describeFailure(error)}). Run /offboard with their email instead.`,
    };
  }
}
