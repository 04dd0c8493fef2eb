/** `/contractor help` (and anything unknown): what the caller may do. */
import { contractorHelp as rolesFor } from "../../../../domain/use-cases/contractor-help.js";
import { buildHelpMessage } from "../../../views/help-message.js";
import { ephemeral, type SubCommand } from "./sub-command.js";

export const contractorHelp: SubCommand<{ kind: "help" }> = async (ctx, { command, respond }) =>
  ephemeral(respond, buildHelpMessage(await rolesFor(ctx.deps, { userId: command.user_id })));
