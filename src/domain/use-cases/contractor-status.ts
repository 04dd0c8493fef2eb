/** `/contractor status <email>`: the requests and access for one email, as far as the caller may see. */
import type { Deps } from "../deps.js";
import { statusFor } from "../queries.js";
import { rolesOf, seesAll } from "./roles.js";

export async function contractorStatus(
  deps: Pick<Deps, "db" | "policy">,
  input: { userId: string; email: string },
): Promise<ReturnType<typeof statusFor>> {
  const roles = await rolesOf(deps, input.userId);
  return statusFor(deps, { email: input.email, userId: input.userId, seesAll: seesAll(roles) });
}
