/** "Schedule…" on the `/offboard` preview: operators only; the picker starts from today in the account's zone. */
import type { Deps } from "../deps.js";
import { todayIn } from "../requests.js";

export type OffboardSchedulePrepared = { status: "forbidden" } | { status: "open"; today: string };

export async function prepareOffboardSchedule(
  deps: Pick<Deps, "policy" | "now" | "settings">,
  input: { actor: string },
): Promise<OffboardSchedulePrepared> {
  if (!(await deps.policy.isOperator(input.actor))) return { status: "forbidden" };
  return { status: "open", today: todayIn(deps) };
}
