/**
 * "Retry" on a failed offboarding's alert, for operators only. The run claims the offboarding with
 * a lease like the daily job, so a retry during a job run does nothing twice.
 */
import type { Deps } from "../deps.js";
import { type DueRunSummary, runDueOffboardings } from "../due-offboardings.js";
import { describeFailure } from "../failures.js";

export type RetryOffboardingResult =
  | { status: "forbidden" }
  | { status: "invalid" }
  | { status: "ran"; summary: DueRunSummary }
  | { status: "failed"; error: string };

export async function retryOffboarding(
  deps: Deps,
  input: { actor: string; offboardingId: number },
): Promise<RetryOffboardingResult> {
  if (!(await deps.policy.isOperator(input.actor))) return { status: "forbidden" };
  const id = input.offboardingId;
  if (!Number.isSafeInteger(id)) return { status: "invalid" };
  try {
    return { status: "ran", summary: await runDueOffboardings(deps, { only: id }) };
  } catch (error) {
    deps.logger.error("retrying an offboarding failed", { offboardingId: id, error: describeFailure(error) });
    return { status: "failed", error: describeFailure(error) };
  }
}
