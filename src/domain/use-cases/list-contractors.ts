/** `/contractor list`: the active contractors the caller may see (all, for approvers and operators). */
import type { Deps } from "../deps.js";
import { listContractorsFor } from "../queries.js";
import { rolesOf, seesAll } from "./roles.js";

export async function listContractors(
  deps: Pick<Deps, "db" | "now" | "settings" | "policy">,
  input: { userId: string },
): Promise<ReturnType<typeof listContractorsFor>> {
  const roles = await rolesOf(deps, input.userId);
  return listContractorsFor(deps, { userId: input.userId, seesAll: seesAll(roles) });
}
