import { describe, expect, it } from "vitest";
import { DoorFlowSandbox } from "../../tools/sandbox/doorflow/sandbox.js";
import { MONDAY_1_MARCH_2027 } from "./helpers.js";

const auth = { authorization: "Bearer sandbox", "content-type": "application/json" };

describe("DoorFlowSandbox", () => {
  it("handles a request synchronously, without any transport", () => {
    const sandbox = new DoorFlowSandbox({ now: MONDAY_1_MARCH_2027, seed: false });
    const res = sandbox.handle({
      method: "POST",
      path: "/api/3/people",
      headers: auth,
      body: JSON.stringify({ first_name: "Ada", last_name: "Lovelace", system_id: "gh-ada" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(sandbox.personBySystemId("gh-ada")?.createdAt).toEqual(MONDAY_1_MARCH_2027);
    expect(sandbox.calls).toHaveLength(1);
  });

  it("names credential types by slug and refuses an unknown one", () => {
    const sandbox = new DoorFlowSandbox();
    expect(sandbox.credentialTypeId("pin")).toBe(8318);
    expect(() => sandbox.credentialTypeId("iris_scan")).toThrow(/iris_scan/);
  });

  it("resets to a fresh account without faults or calls, keeping the clock", () => {
    const sandbox = new DoorFlowSandbox({ now: MONDAY_1_MARCH_2027 });
    sandbox.faults.add({ path: "/api/3/account", status: 500 });
    sandbox.handle({
      method: "PUT",
      path: "/api/3/people/40201",
      headers: auth,
      body: '{"first_name":"Changed"}',
    });
    sandbox.clock.advance(60_000);
    sandbox.reset();
    expect(sandbox.calls).toEqual([]);
    expect(sandbox.state.people.find((p) => p.id === 40201)?.firstName).toBe("Amelia");
    expect(sandbox.handle({ method: "GET", path: "/api/3/account", headers: auth }).status).toBe(200);
    expect(sandbox.clock.now().toISOString()).toBe("2027-03-01T09:01:00.000Z");
  });

  it("refuses an unknown time zone at construction", () => {
    expect(() => new DoorFlowSandbox({ timeZone: "Mars/Olympus_Mons" })).toThrow(/Mars/);
  });
});
