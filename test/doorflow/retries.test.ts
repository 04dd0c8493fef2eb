import { afterEach, describe, expect, it } from "vitest";
import type { DoorFlowError } from "../../src/doorflow/errors.js";
import { backoffCeilingMs, DEFAULT_RETRY, retryDelayMs } from "../../src/lib/http/retry.js";
import { closeHarnesses, createHarness, person, rejection } from "./support.js";

afterEach(closeHarnesses);

const socketError = (code: string) => Object.assign(new Error(`socket failed (${code})`), { code });

describe("rate limits", () => {
  it("waits what a 429 asks in retry_in, then succeeds", async () => {
    const h = createHarness({ random: () => 0 });
    h.mock.route((_req, seen) =>
      seen.length === 1
        ? { status: 429, body: { error: "rate_limited", description: "Slow down.", retry_in: 2 } }
        : { body: person(1) },
    );
    await expect(h.client.getPerson(1)).resolves.toMatchObject({ id: 1 });
    expect(h.sleeps).toEqual([2_000]);
    expect(h.mock.requests).toHaveLength(2);
  });

  it("waits what Retry-After asks when the body says nothing", async () => {
    const h = createHarness({ random: () => 0 });
    h.mock.route((_req, seen) =>
      seen.length === 1 ? { status: 429, body: "", headers: { "retry-after": "3" } } : { body: person(1) },
    );
    await h.client.getPerson(1);
    expect(h.sleeps).toEqual([3_000]);
  });

  it("never waits less than the server asks, even when the jittered backoff is longer", () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 1_000 };
    expect(retryDelayMs(policy, 3, () => 0.99, 1)).toBe(3_960);
    expect(retryDelayMs(policy, 1, () => 0.99, 5)).toBe(5_000);
  });

  it("gives up instead of waiting past maxElapsedMs when DoorFlow asks for a long pause", async () => {
    const h = createHarness({ retry: { maxElapsedMs: 30_000 } });
    h.mock.route(() => ({ status: 429, body: { error: "rate_limited", retry_in: 60 } }));
    const error = await rejection<DoorFlowError>(h.client.getAccount());
    expect(error.code).toBe("doorflow_rate_limited");
    expect(error.retryInSeconds).toBe(60);
    expect(h.mock.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("a POST refused with 429 is sent again: DoorFlow did not act on it", async () => {
    const h = createHarness({ random: () => 0 });
    h.mock.route((_req, seen) =>
      seen.length === 1 ? { status: 429, body: { retry_in: 1 } } : { status: 201, body: person(5) },
    );
    await expect(h.client.createPerson({ first_name: "Ada", last_name: "Lovelace" })).resolves.toMatchObject({
      id: 5,
    });
    expect(h.mock.count("POST", "/api/3/people")).toBe(2);
  });
});

describe("server and network failures", () => {
  it("retries a 5xx with exponential backoff and jitter, up to maxAttempts", async () => {
    const h = createHarness({ random: () => 0.5, retry: { maxAttempts: 5, baseDelayMs: 100 } });
    h.mock.route(() => ({ status: 503, body: { error: "unavailable" } }));
    const error = await rejection<DoorFlowError>(h.client.getPerson(1));
    expect(error.code).toBe("doorflow_server");
    expect(h.mock.requests).toHaveLength(5);
    // Half of each ceiling: 100, 200, 400, 800.
    expect(h.sleeps).toEqual([50, 100, 200, 400]);
  });

  it("draws each delay uniformly below a ceiling that doubles and is capped at maxDelayMs", () => {
    const policy = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 3_000, maxElapsedMs: 60_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffCeilingMs(policy, n))).toEqual([
      1_000, 2_000, 3_000, 3_000, 3_000,
    ]);
    expect(retryDelayMs(policy, 2, () => 0)).toBe(0);
    expect(retryDelayMs(policy, 2, () => 0.999)).toBe(1_998);
    const draws = [0.1, 0.7, 0.3];
    const delays = draws.map((r) => retryDelayMs(policy, 3, () => r));
    expect(delays).toEqual([300, 2_100, 900]);
  });

  it("stops when the next wait would pass maxElapsedMs, before maxAttempts", async () => {
    const h = createHarness({
      random: () => 0.999,
      retry: { maxAttempts: 10, baseDelayMs: 1_000, maxElapsedMs: 2_500 },
    });
    h.mock.route(() => ({ status: 500, body: {} }));
    await rejection(h.client.getPerson(1));
    // 999 ms fits; 999 + 1998 does not.
    expect(h.sleeps).toEqual([999]);
    expect(h.mock.requests).toHaveLength(2);
  });

  it("retries a dropped connection on a GET and succeeds", async () => {
    const h = createHarness();
    h.mock.pool
      .intercept({ path: "/api/3/people/1", method: "GET" })
      .replyWithError(socketError("ECONNRESET"))
      .times(2);
    h.mock.route(() => ({ body: person(1) }));
    await expect(h.client.getPerson(1)).resolves.toMatchObject({ id: 1 });
    expect(h.sleeps).toHaveLength(2);
  });

  it("honours Retry-After on a 503 (maintenance) as on a 429", async () => {
    const h = createHarness({ random: () => 0 });
    h.mock.route((_req, seen) =>
      seen.length === 1 ? { status: 503, body: "", headers: { "retry-after": "4" } } : { body: person(1) },
    );
    await h.client.getPerson(1);
    expect(h.sleeps).toEqual([4_000]);
  });

  it.each([400, 403, 404, 422])("does not retry a %i", async (status) => {
    const h = createHarness();
    h.mock.route(() => ({ status, body: { error: "nope" } }));
    await rejection(h.client.getPerson(1));
    expect(h.mock.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });
});

describe("creating a person without duplicates", () => {
  const input = { first_name: "Ada", last_name: "Lovelace", email: "ada@example.com", system_id: "gh-req-1" };

  it("after a 5xx, finds the person the lost attempt created by system_id instead of posting again", async () => {
    const h = createHarness();
    const created = person(41, { system_id: "gh-req-1", email: "ada@example.com" });
    h.mock.route((req) => {
      if (req.method === "POST") return { status: 500, body: { error: "internal_server_error" } };
      // DoorFlow did create the person before failing.
      return { body: req.query.get("system_id") === "gh-req-1" ? [created] : [] };
    });
    await expect(h.client.createPerson(input)).resolves.toEqual(created);
    expect(h.mock.count("POST", "/api/3/people")).toBe(1);
    const lookup = h.mock.requests.find((r) => r.method === "GET");
    expect(lookup?.query.get("system_id")).toBe("gh-req-1");
    expect(JSON.parse(h.mock.requests[0]!.body!)).toMatchObject({
      system_id: "gh-req-1",
      email: "ada@example.com",
    });
  });

  it("posts again when the lookup shows the lost attempt created nothing", async () => {
    const h = createHarness();
    let posts = 0;
    h.mock.route((req) => {
      if (req.method === "GET") return { body: [] };
      posts++;
      return posts === 1
        ? { status: 502, body: "" }
        : { status: 201, body: person(42, { system_id: "gh-req-1" }) };
    });
    await expect(h.client.createPerson(input)).resolves.toMatchObject({ id: 42 });
    expect(h.mock.requests.map((r) => r.method)).toEqual(["POST", "GET", "POST"]);
  });

  it("without a system_id, a 5xx'd POST is not repeated: it may have created the person", async () => {
    const h = createHarness();
    h.mock.route(() => ({ status: 500, body: { error: "internal_server_error" } }));
    const error = await rejection<DoorFlowError>(
      h.client.createPerson({ first_name: "Ada", last_name: "L" }),
    );
    expect(error.code).toBe("doorflow_server");
    expect(error.mayHaveApplied).toBe(true);
    expect(h.mock.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("without a system_id, a connection dropped after sending is not repeated either", async () => {
    const h = createHarness();
    h.mock.pool
      .intercept({ path: "/api/3/people", method: "POST" })
      .replyWithError(socketError("UND_ERR_SOCKET"));
    h.mock.route(() => ({ status: 201, body: person(1) }));
    const error = await rejection<DoorFlowError>(
      h.client.createPerson({ first_name: "Ada", last_name: "L" }),
    );
    expect(error.code).toBe("doorflow_network");
    expect(h.sleeps).toEqual([]);
  });
});

describe("calls whose repeat is harmless", () => {
  it("a DELETE that answers 404 after a retried failure is done: the lost attempt deleted it", async () => {
    const h = createHarness();
    h.mock.route((_req, seen) => (seen.length === 1 ? { status: 503, body: {} } : { status: 404, body: {} }));
    await expect(h.client.deleteGroupReservation(9)).resolves.toBeUndefined();
    expect(h.mock.count("DELETE", "/api/3/group_reservations/9")).toBe(2);
  });

  it("a DELETE that answers 404 at once is an error: the id was wrong", async () => {
    const h = createHarness();
    h.mock.route(() => ({ status: 404, body: { error: "not_found" } }));
    const error = await rejection<DoorFlowError>(h.client.deleteReservation(9));
    expect(error.code).toBe("doorflow_not_found");
  });

  it("a credential 409 carrying the same value is success: the credential is the one we asked for", async () => {
    const h = createHarness();
    const existing = { id: 77, credential_type_id: 3, person_id: 41, label: "Card", value: "555001" };
    h.mock.route(() => ({ status: 409, body: existing }));
    await expect(h.client.createCredential(41, { credentialTypeId: 3, value: "555001" })).resolves.toEqual({
      ...existing,
      id: "77",
    });
  });

  it("a credential 409 with another value is a conflict the caller must resolve", async () => {
    const h = createHarness();
    h.mock.route(() => ({
      status: 409,
      body: { id: "c1", credential_type_id: 3, person_id: 41, label: "Card", value: "999999" },
    }));
    const error = await rejection<DoorFlowError>(
      h.client.createCredential(41, { credentialTypeId: 3, value: "1" }),
    );
    expect(error.code).toBe("doorflow_conflict");
  });

  it("a generated PIN whose first attempt was lost is the PIN DoorFlow then reports as existing", async () => {
    const h = createHarness();
    const pin = { id: "c2", credential_type_id: 4, person_id: 41, label: "PIN", value: "804213" };
    h.mock.route((_req, seen) =>
      seen.length === 1 ? { status: 504, body: "" } : { status: 409, body: pin },
    );
    await expect(
      h.client.createCredential(41, { credentialTypeId: 4, value: "******" }),
    ).resolves.toMatchObject({
      value: "804213",
    });
  });

  it("a mobile invitation whose first answer was lost is the invitation DoorFlow then reports as existing", async () => {
    const h = createHarness();
    // A mobile credential has a status and no value (spec: Credential.value "not present for mobile").
    const invited = {
      id: "c3",
      credential_type_id: 8324,
      person_id: 41,
      label: "HID Mobile Access",
      status: "invited",
    };
    h.mock.route((_req, seen) =>
      seen.length === 1 ? { status: 504, body: "" } : { status: 409, body: invited },
    );
    await expect(
      h.client.createCredential(41, { credentialTypeId: 8324, value: null }),
    ).resolves.toMatchObject({ id: "c3", status: "invited" });
  });

  it("a mobile credential being revoked is not taken for the invitation a lost attempt made", async () => {
    const h = createHarness();
    const revoking = {
      id: "c4",
      credential_type_id: 8324,
      person_id: 41,
      label: "HID Mobile Access",
      status: "revoking",
    };
    h.mock.route((_req, seen) =>
      seen.length === 1 ? { status: 504, body: "" } : { status: 409, body: revoking },
    );
    const error = await rejection<DoorFlowError>(
      h.client.createCredential(41, { credentialTypeId: 8324, value: null }),
    );
    expect(error.code).toBe("doorflow_conflict");
  });

  it("a sync refused with 429 is a value telling when to try, not an error, and is not retried", async () => {
    const h = createHarness();
    h.mock.route(() => ({
      status: 429,
      body: { error: "rate_limited", description: "Sync rate limit exceeded.", retry_in: 27 },
    }));
    await expect(h.client.requestSync()).resolves.toEqual({ status: "rate_limited", retryInSeconds: 27 });
    expect(h.mock.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("a sync 429 without retry_in falls back to Retry-After, then to DoorFlow's documented 30 s", async () => {
    const h = createHarness();
    h.mock.route((_req, seen) =>
      seen.length === 1
        ? { status: 429, body: { error: "rate_limited" }, headers: { "retry-after": "12" } }
        : { status: 429, body: { error: "rate_limited" } },
    );
    await expect(h.client.requestSync()).resolves.toEqual({ status: "rate_limited", retryInSeconds: 12 });
    await expect(h.client.requestSync()).resolves.toEqual({ status: "rate_limited", retryInSeconds: 30 });
  });

  it("a sync that goes through is reported as requested", async () => {
    const h = createHarness();
    h.mock.route(() => ({ body: { result: "ok" } }));
    await expect(h.client.requestSync()).resolves.toEqual({ status: "requested" });
    expect(h.mock.count("POST", "/api/3/sync")).toBe(1);
  });
});
