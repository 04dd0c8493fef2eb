/** `/contractor list`: the active contractors the caller may see. */
import { listContractors } from "../../../../domain/use-cases/list-contractors.js";
import { buildContractorList } from "../../../views/contractor-list.js";
import { ephemeral, type SubCommand } from "./sub-command.js";

export const contractorList: SubCommand<{ kind: "list" }> = async (ctx, { command, respond }) =>
  ephemeral(respond, buildContractorList(await listContractors(ctx.deps, { userId: command.user_id })));
