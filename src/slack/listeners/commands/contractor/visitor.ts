/** `/contractor visitor`: "New visitor", for people who may ask for access. */
import { openRequestForm } from "../../../../domain/use-cases/open-request-form.js";
import { openListModal } from "../../../open-list-modal.js";
import { buildVisitorModal } from "../../../views/visitor-modal.js";
import { ephemeral, NOT_A_REQUESTER, type SubCommand } from "./sub-command.js";

export const contractorVisitor: SubCommand<{ kind: "visitor" }> = async (
  ctx,
  { command, client, respond },
) => {
  const form = await openRequestForm(ctx.deps, { userId: command.user_id, kind: "visitor" });
  if (form.status !== "visitor") return ephemeral(respond, { text: NOT_A_REQUESTER });
  await openListModal(client, {
    triggerId: command.trigger_id,
    list: form.doors,
    build: (doors) => buildVisitorModal({ doors, today: form.today, privateMetadata: "" }),
    logger: ctx.deps.logger,
  });
};
