/** Whether a Slack user approves, operates, or both: what `/contractor` help, list and status show. */
import type { Deps } from "../deps.js";

export interface Roles {
  isApprover: boolean;
  isOperator: boolean;
}

/** Both asked at once: either may take a Slack round trip (a user group's members). */
export async function rolesOf(deps: Pick<Deps, "policy">, userId: string): Promise<Roles> {
  const [isApprover, isOperator] = await Promise.all([
    deps.policy.isApprover(userId),
    deps.policy.isOperator(userId),
  ]);
  return { isApprover, isOperator };
}

/** Approvers and operators see every contractor; a requester sees the ones they asked for. */
export const seesAll = (roles: Roles): boolean => roles.isApprover || roles.isOperator;
