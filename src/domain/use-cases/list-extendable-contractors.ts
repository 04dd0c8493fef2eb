/**
 * What "Extend contract" offers: the active contractors the user may extend (the ones they asked
 * for; all of them for approvers and operators), and the one to preselect (from the reminder's
 * button, or `/contractor extend <email>`).
 */
import { findManagedByEmail, listActiveManaged } from "../../db/repositories/managed-people.js";
import type { Deps } from "../deps.js";
import { scheduledOffboardingOf } from "../extensions.js";
import type { ScheduledOffboardingNote } from "../ports.js";
import { todayIn } from "../requests.js";
import { personName } from "../model.js";

export interface ExtendableContractors {
  contractors: Array<{
    id: number;
    name: string;
    endDate: string;
    scheduledOffboarding: ScheduledOffboardingNote | null;
  }>;
  selectedId?: number;
  today: string;
}

export async function listExtendableContractors(
  deps: Pick<Deps, "db" | "policy" | "now" | "settings">,
  input: { userId: string; email?: string | null; managedPersonId?: number },
): Promise<ExtendableContractors> {
  // An approver is not asked whether they operate (a user group's members can take a Slack round trip).
  const seesAll =
    (await deps.policy.isApprover(input.userId)) || (await deps.policy.isOperator(input.userId));
  const contractors = listActiveManaged(deps.db)
    .filter((m) => m.kind === "contractor" && (seesAll || m.requesterId === input.userId))
    .map((m) => ({
      id: m.id,
      name: personName(m),
      endDate: m.endDate,
      scheduledOffboarding: scheduledOffboardingOf(deps, m),
    }));
  const byEmail = input.email
    ? findManagedByEmail(deps.db, input.email).find((m) => m.status === "active")
    : undefined;
  return { contractors, selectedId: input.managedPersonId ?? byEmail?.id, today: todayIn(deps) };
}
