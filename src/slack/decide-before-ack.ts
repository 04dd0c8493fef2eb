/**
 * An access decision is committed (one local SQLite transaction, its Slack messages queued in the
 * outbox) before Slack is told the click was received, so a process killed right after the
 * acknowledgement still has it and the restart provisions it; a click the process dies on before
 * acknowledging is shown to the approver as failed, and they click again. Only authorising the
 * clicker can take a Slack round trip (approvers in a user group, members cached for a minute):
 * should that outlast the budget, the click is acknowledged and decided right after, as before. The
 * result is wrapped (a promise inside a resolved one would be waited for) for the work after the
 * acknowledgement.
 */
import { type DecisionResult, decideRequest } from "../domain/requests.js";
import { settledWithin } from "../lib/deadline.js";
import type { SlackContext } from "./context.js";

/** What the acknowledgement may wait for the decision; Bolt gives up on an unacknowledged request at 2.9 s. */
const DECIDE_BEFORE_ACK_MS = 2_000;

export async function decideBeforeAck(
  ctx: SlackContext,
  input: Parameters<typeof decideRequest>[1],
): Promise<{ result: Promise<DecisionResult> }> {
  const deciding = ctx.work.run(() => decideRequest(ctx.deps, input));
  await settledWithin(deciding, DECIDE_BEFORE_ACK_MS);
  return { result: deciding };
}
