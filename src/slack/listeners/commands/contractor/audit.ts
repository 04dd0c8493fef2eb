/** `/contractor audit <email>`: one person's audit trail, for operators only. */
import { readAuditHistory } from "../../../../domain/use-cases/read-audit-history.js";
import { buildAuditHistory } from "../../../views/audit-history.js";
import { ephemeral, type SubCommand } from "./sub-command.js";

export const contractorAudit: SubCommand<{ kind: "audit"; email: string | null }> = async (
  ctx,
  { sub, command, respond },
) => {
  const history = await readAuditHistory(ctx.deps, { userId: command.user_id, email: sub.email });
  switch (history.status) {
    case "forbidden":
      return ephemeral(respond, { text: "Only operators can read the audit trail." });
    case "no_email":
      return ephemeral(respond, { text: "Say whose history to show: `/contractor audit name@company.com`." });
    case "history":
      return ephemeral(respond, buildAuditHistory({ ...history, timeZone: ctx.deps.settings.timeZone }));
  }
};
