/** `/contractor` or `/contractor new`: "New contractor", for people who may ask for access. */
import { openRequestForm } from "../../../../domain/use-cases/open-request-form.js";
import { openListModal } from "../../../open-list-modal.js";
import { buildContractorModal } from "../../../views/contractor-modal.js";
import { ephemeral, NOT_A_REQUESTER, type SubCommand } from "./sub-command.js";

export const contractorNew: SubCommand<{ kind: "new" }> = async (ctx, { command, client, respond }) => {
  const form = await openRequestForm(ctx.deps, { userId: command.user_id, kind: "contractor" });
  if (form.status !== "contractor") return ephemeral(respond, { text: NOT_A_REQUESTER });
  const { today, maxDays, sites } = form;
  await openListModal(client, {
    triggerId: command.trigger_id,
    list: form.groups,
    build: (groups) => buildContractorModal({ groups, today, privateMetadata: "", maxDays, sites }),
    logger: ctx.deps.logger,
  });
};
