/** `/contractor status <email>`: that email's requests and access, as far as the caller may see; help without an email. */
import { contractorStatus as statusOf } from "../../../../domain/use-cases/contractor-status.js";
import { buildStatusMessage } from "../../../views/status-message.js";
import { contractorHelp } from "./help.js";
import { ephemeral, type SubCommand } from "./sub-command.js";

export const contractorStatus: SubCommand<{ kind: "status"; email: string | null }> = async (ctx, input) => {
  const { sub, command, respond } = input;
  if (!sub.email) return contractorHelp(ctx, { ...input, sub: { kind: "help" } });
  return ephemeral(
    respond,
    buildStatusMessage(await statusOf(ctx.deps, { userId: command.user_id, email: sub.email })),
  );
};
