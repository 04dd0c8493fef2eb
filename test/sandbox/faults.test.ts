import { describe, expect, it } from "vitest";
import { startTestSandbox } from "./helpers.js";

const NEW_PERSON = { first_name: "Faye", last_name: "Ult", system_id: "gh-fault" };

describe("fault rules", () => {
  it("answer with a status a given number of times, then let DoorFlow answer again", async () => {
    const { api, sandbox } = await startTestSandbox();
    sandbox.faults.add({ method: "GET", path: "/api/3/account", status: 503, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api("GET", "/api/3/account")).status);
    expect(statuses).toEqual([503, 503, 200]);
    const first = sandbox.calls[0];
    expect(first).toMatchObject({ status: 503, faulted: true, dropped: false });
    expect(sandbox.calls[2]).toMatchObject({ status: 200, faulted: false });
    expect((await api("GET", "/api/3/account")).json.id).toBe("hx7k2p9q");
  });

  it("answer a status instead of DoorFlow by default: nothing is created", async () => {
    const { api, sandbox } = await startTestSandbox();
    sandbox.faults.add({ method: "POST", path: "/api/3/people", status: 500 });
    const res = await api("POST", "/api/3/people", { body: NEW_PERSON });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: "internal_server_error", error_description: "Injected fault: 500" });
    expect(sandbox.personBySystemId("gh-fault")).toBeUndefined();
  });

  it("can spoil the answer after DoorFlow did the work (processed)", async () => {
    const { api, sandbox } = await startTestSandbox();
    sandbox.faults.add({
      path: "/api/3/people",
      status: 504,
      processed: true,
      body: "<html>Gateway Timeout</html>",
    });
    const res = await api("POST", "/api/3/people", { body: NEW_PERSON });
    expect(res.status).toBe(504);
    expect(res.text).toBe("<html>Gateway Timeout</html>");
    expect(sandbox.personBySystemId("gh-fault")?.firstName).toBe("Faye");
  });

  it("drop the connection after the work by default, or before it when not processed", async () => {
    const { api, sandbox } = await startTestSandbox();
    sandbox.faults.add({ method: "POST", path: /^\/api\/3\/people$/, drop: true, times: 1 });
    await expect(api("POST", "/api/3/people", { body: NEW_PERSON })).rejects.toThrow();
    expect(sandbox.personBySystemId("gh-fault")).toBeDefined();
    expect(sandbox.calls.at(-1)).toMatchObject({
      path: "/api/3/people",
      status: 0,
      dropped: true,
      faulted: true,
    });

    sandbox.faults.add({ method: "POST", path: "/api/3/people", drop: true, processed: false, times: 1 });
    await expect(
      api("POST", "/api/3/people", { body: { ...NEW_PERSON, system_id: "gh-2" } }),
    ).rejects.toThrow();
    expect(sandbox.personBySystemId("gh-2")).toBeUndefined();
    expect((await api("POST", "/api/3/people", { body: { ...NEW_PERSON, system_id: "gh-2" } })).status).toBe(
      201,
    );
  });

  it("fire with their probability, drawn from the sandbox's random source", async () => {
    const draws = [0.7, 0.2, 0.5];
    const { api, sandbox } = await startTestSandbox({ random: () => draws.shift() ?? 1 });
    sandbox.faults.add({ path: "/api/3/groups", status: 502, probability: 0.5 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await api("GET", "/api/3/groups")).status);
    expect(statuses).toEqual([200, 502, 200]);
  });

  it("match by method and can be removed or cleared", async () => {
    const { api, sandbox } = await startTestSandbox();
    const remove = sandbox.faults.add({
      method: "DELETE",
      path: /^\/api\/3\/reservations\/\d+$/,
      status: 500,
    });
    sandbox.faults.add({ path: "/api/3/channels", status: 429, headers: { "retry-after": "7" } });
    expect((await api("DELETE", "/api/3/reservations/1")).status).toBe(500);
    expect((await api("GET", "/api/3/reservations")).status).toBe(200);
    remove();
    expect((await api("DELETE", "/api/3/reservations/1")).status).toBe(404);

    const limited = await api("GET", "/api/3/channels");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.json.error).toBe("rate_limited");
    sandbox.faults.clear();
    expect((await api("GET", "/api/3/channels")).status).toBe(200);
  });

  it("delay the answer by latencyMs and still deliver it", async () => {
    const { api, sandbox } = await startTestSandbox();
    sandbox.faults.add({ path: "/api/3/account", latencyMs: 20, times: 1 });
    const res = await api("GET", "/api/3/account");
    expect(res.status).toBe(200);
    expect(sandbox.calls.at(-1)).toMatchObject({ faulted: true, status: 200 });
  });
});
