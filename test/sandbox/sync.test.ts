import { describe, expect, it } from "vitest";
import { accountSchema } from "../../src/doorflow/schemas.js";
import { startTestSandbox } from "./helpers.js";

describe("POST /api/3/sync", () => {
  it("allows one sync per 30 s of sandbox time, answering 429 with retry_in and Retry-After", async () => {
    const { api, sandbox } = await startTestSandbox();
    const first = await api("POST", "/api/3/sync");
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ result: "ok" });

    sandbox.clock.advance(12_000);
    const limited = await api("POST", "/api/3/sync");
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: "rate_limited", retry_in: 18 });
    expect(limited.json.description).toMatch(/18 seconds/);
    expect(limited.headers.get("retry-after")).toBe("18");

    sandbox.clock.advance(17_500);
    expect((await api("POST", "/api/3/sync")).json.retry_in).toBe(1);
    sandbox.clock.advance(500);
    expect((await api("POST", "/api/3/sync")).status).toBe(200);
  });

  it("shows pending changes and the last sync on the account", async () => {
    const { api, sandbox } = await startTestSandbox();
    const account = async () => accountSchema.parse((await api("GET", "/api/3/account")).json).sync;
    expect(await account()).toEqual({ status: "complete", last_sync: null, description: null });

    await api("PUT", "/api/3/people/40201", { body: { enabled: false } });
    expect((await account()).status).toBe("pending");

    await api("POST", "/api/3/sync");
    expect(await account()).toMatchObject({ status: "syncing", last_sync: "2027-03-01T09:00:00.000Z" });
    sandbox.clock.advance(10_000);
    expect((await account()).status).toBe("complete");
  });
});
