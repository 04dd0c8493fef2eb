import { describe, expect, it } from "vitest";
import { createAccessPolicy } from "../../src/domain/policy.js";

function directory(groups: Record<string, string[]>) {
  const calls: string[] = [];
  let fail = false;
  return {
    calls,
    failNext: () => {
      fail = true;
    },
    usergroupMembers: async (id: string) => {
      calls.push(id);
      if (fail) {
        fail = false;
        throw new Error("slack down");
      }
      return groups[id] ?? [];
    },
  };
}

describe("access policy", () => {
  it("approvers are the union of user ids and user group members; operators default to approvers", async () => {
    const dir = directory({ S1: ["U2", "U3"] });
    const policy = createAccessPolicy(
      { approvers: { userIds: ["U1"], usergroupId: "S1" }, operators: null, requesters: null },
      dir,
    );
    expect(await policy.isApprover("U1")).toBe(true);
    expect(await policy.isApprover("U3")).toBe(true);
    expect(await policy.isApprover("U9")).toBe(false);
    expect(await policy.isOperator("U2")).toBe(true);
    expect(await policy.mayRequest("U9")).toBe(true);
    expect(await policy.otherApprovers("U1")).toEqual(["U2", "U3"]);
  });

  it("caches group members briefly, and does not cache a failed lookup", async () => {
    let t = 0;
    const dir = directory({ S1: ["U2"] });
    const policy = createAccessPolicy(
      { approvers: { userIds: [], usergroupId: "S1" }, operators: null, requesters: { userIds: ["U5"] } },
      dir,
      { now: () => t, cacheMs: 60_000 },
    );
    await policy.isApprover("U2");
    await policy.isApprover("U2");
    expect(dir.calls).toHaveLength(1);
    t = 61_000;
    dir.failNext();
    await expect(policy.isApprover("U2")).rejects.toThrow("slack down");
    expect(await policy.isApprover("U2")).toBe(true);
    expect(dir.calls).toHaveLength(3);
    expect(await policy.mayRequest("U6")).toBe(false);
  });
});
