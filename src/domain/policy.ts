/**
 * Who may do what. Approvers are the union of the configured user ids and the members of the
 * configured user group (members cached briefly, so a removal takes effect within a minute);
 * operators default to the approvers; requesters default to everyone.
 */
import type { Directory } from "./ports.js";

interface Audience {
  userIds: string[];
  usergroupId?: string;
}

export interface PolicyConfig {
  approvers: Audience;
  operators: Audience | null;
  requesters: Audience | null;
}

export interface AccessPolicy {
  isApprover(userId: string): Promise<boolean>;
  isOperator(userId: string): Promise<boolean>;
  mayRequest(userId: string): Promise<boolean>;
  /** The approvers other than `userId`, for "someone else must approve" (user ids only when known). */
  otherApprovers(userId: string): Promise<string[]>;
}

export function createAccessPolicy(
  config: PolicyConfig,
  directory: Directory,
  options: { now?: () => number; cacheMs?: number } = {},
): AccessPolicy {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 60_000;
  const cache = new Map<string, { members: Promise<string[]>; at: number }>();

  const membersOf = (groupId: string): Promise<string[]> => {
    const hit = cache.get(groupId);
    if (hit && now() - hit.at < cacheMs) return hit.members;
    const members = directory.usergroupMembers(groupId);
    cache.set(groupId, { members, at: now() });
    // A failed lookup must not be cached: the next click asks Slack again.
    members.catch(() => cache.delete(groupId));
    return members;
  };

  const everyone = async (audience: Audience): Promise<string[]> => {
    const members = audience.usergroupId ? await membersOf(audience.usergroupId) : [];
    return [...new Set([...audience.userIds, ...members])];
  };

  const isIn = async (audience: Audience, userId: string): Promise<boolean> =>
    audience.userIds.includes(userId) || (await everyone(audience)).includes(userId);

  return {
    isApprover: (userId) => isIn(config.approvers, userId),
    isOperator: (userId) => isIn(config.operators ?? config.approvers, userId),
    mayRequest: async (userId) => (config.requesters ? isIn(config.requesters, userId) : true),
    otherApprovers: async (userId) => (await everyone(config.approvers)).filter((id) => id !== userId),
  };
}
