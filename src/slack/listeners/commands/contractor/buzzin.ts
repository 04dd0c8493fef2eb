/** `/contractor buzzin`: "New contractor" for a Buzz-in community straight away. */
import { openBuzzinForm } from "../../../../domain/use-cases/open-request-form.js";
import { buildBuzzinModal } from "../../../views/buzzin-modal.js";
import { ephemeral, NOT_A_REQUESTER, type SubCommand } from "./sub-command.js";

const NOT_CONFIGURED = "Buzz-in is not set up here, so `/contractor` asks for DoorFlow access only.";

export const contractorBuzzin: SubCommand<{ kind: "buzzin" }> = async (ctx, { command, client, respond }) => {
  const form = await openBuzzinForm(ctx.deps, { userId: command.user_id });
  if (form.status === "not_configured") return ephemeral(respond, { text: NOT_CONFIGURED });
  if (form.status === "forbidden") return ephemeral(respond, { text: NOT_A_REQUESTER });
  await client.views.open({ trigger_id: command.trigger_id, view: buildBuzzinModal(form.defaults) });
};
