/** `/contractor help`: what the caller may do, for the help text to list. */
import type { Deps } from "../deps.js";
import { type Roles, rolesOf } from "./roles.js";

export function contractorHelp(deps: Pick<Deps, "policy">, input: { userId: string }): Promise<Roles> {
  return rolesOf(deps, input.userId);
}
