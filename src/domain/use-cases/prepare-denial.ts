/**
 * Before Deny asks for a reason: whether the clicker may deny this request now, so a stranger never
 * sees the modal (a refused attempt is audited). `decideRequest` checks again on submission.
 */
import type { Deps } from "../deps.js";
import { type DecisionCheck, precheckDecision } from "../requests.js";
import { personName } from "../model.js";

export type DenialPrepared =
  { status: "open"; requestId: string; personName: string } | Exclude<DecisionCheck, { status: "open" }>;

export async function prepareDenial(
  deps: Deps,
  input: { requestId: string; userId: string },
): Promise<DenialPrepared> {
  const checked = await precheckDecision(deps, { ...input, outcome: "deny" });
  if (checked.status !== "open") return checked;
  return { status: "open", requestId: checked.request.id, personName: personName(checked.request) };
}
