/** What a `/contractor` sub-command gets from the router, and the answer shown to the caller alone. */
import type { RespondFn, SlashCommand, webApi } from "@slack/bolt";
import type { SlackContext } from "../../../context.js";
import type { SlackMessage } from "../../../views/text.js";

interface SubCommandInput<S> {
  sub: S;
  command: SlashCommand;
  client: webApi.WebClient;
  respond: RespondFn;
}

export type SubCommand<S> = (ctx: SlackContext, input: SubCommandInput<S>) => Promise<unknown>;

export const NOT_A_REQUESTER =
  "You are not on the list of people who may request building access. Ask your security team to add you.";

export const ephemeral = (respond: RespondFn, message: SlackMessage | { text: string }) =>
  respond({ response_type: "ephemeral", ...message });
