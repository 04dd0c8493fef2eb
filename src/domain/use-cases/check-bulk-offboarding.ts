/** "Bulk offboarding" submitted: operators only, asked before the acknowledgement so a refusal shows on the form. */
import type { Deps } from "../deps.js";

export async function mayRunBulkOffboarding(
  deps: Pick<Deps, "policy">,
  input: { actor: string },
): Promise<boolean> {
  return deps.policy.isOperator(input.actor);
}
