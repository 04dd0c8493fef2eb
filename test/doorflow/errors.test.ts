import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { DoorFlowError } from "../../src/doorflow/errors.js";
import { parseRetryAfter } from "../../src/lib/http/failures.js";
import { redact } from "../../src/lib/logger.js";
import { closeHarnesses, createHarness, type Harness, person, rejection, TOKEN } from "./support.js";

let h: Harness;
afterEach(closeHarnesses);

/** One attempt only: these tests are about how a single answer is read. */
function oneShot(): Harness {
  h = createHarness({ retry: { maxAttempts: 1 } });
  return h;
}

describe("status classes", () => {
  it.each([
    [400, "doorflow_http", false],
    [401, "doorflow_unauthorized", false],
    [403, "doorflow_forbidden", false],
    [404, "doorflow_not_found", false],
    [409, "doorflow_conflict", false],
    [418, "doorflow_http", false],
    [422, "doorflow_validation", false],
    [429, "doorflow_rate_limited", true],
    [500, "doorflow_server", true],
    [502, "doorflow_server", true],
    [503, "doorflow_server", true],
  ] as const)("%i becomes %s (retryable: %s)", async (status, code, retryable) => {
    oneShot().mock.route(() => ({ status, body: { error: "some_error", error_description: "Something." } }));
    const error = await rejection<DoorFlowError>(h.client.getPerson(7));
    expect(error).toBeInstanceOf(DoorFlowError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.permanent).toBe(!retryable);
    expect(error.method).toBe("GET");
    expect(error.path).toBe("/api/3/people/7");
    // Only a server failure leaves doubt about whether DoorFlow acted.
    expect(error.mayHaveApplied).toBe(status >= 500);
  });

  it("accepts any 2xx as success (DoorFlow answers 201 to a person update)", async () => {
    oneShot().mock.route(() => ({ status: 201, body: person(7, { first_name: "Grace" }) }));
    const updated = await h.client.updatePerson(7, { first_name: "Grace" });
    expect(updated.first_name).toBe("Grace");
  });
});

describe("what an error carries", () => {
  it("keeps DoorFlow's error, description and request id, and says them in the message", async () => {
    oneShot().mock.route(() => ({
      status: 403,
      body: { error: "forbidden", error_description: "You are not authorized to access this resource" },
      headers: { "x-request-id": "req-4711" },
    }));
    const error = await rejection<DoorFlowError>(h.client.listGroups());
    expect(error.error).toBe("forbidden");
    expect(error.description).toBe("You are not authorized to access this resource");
    expect(error.requestId).toBe("req-4711");
    expect(error.message).toContain("403, request id req-4711");
    expect(error.message).toContain("You are not authorized to access this resource");
    expect(error.message).toMatch(/scopes/);
  });

  it("turns 422 field errors into lists per field, a lone string included, and names them in the message", async () => {
    oneShot().mock.route(() => ({
      status: 422,
      body: {
        error: "Validation failed",
        errors: {
          value: ["value is already in use on your account", "must be between 4 and 7 digits in length"],
          limit_reached: "You have reached your HID Mobile licence limit.",
        },
      },
    }));
    const error = await rejection<DoorFlowError>(
      h.client.createCredential(7, { credentialTypeId: 2, value: "12" }),
    );
    expect(error.code).toBe("doorflow_validation");
    expect(error.fieldErrors).toEqual({
      value: ["value is already in use on your account", "must be between 4 and 7 digits in length"],
      limit_reached: ["You have reached your HID Mobile licence limit."],
    });
    expect(error.message).toContain("value is already in use on your account");
    expect(error.message).toContain("limit_reached You have reached your HID Mobile licence limit.");
  });

  it("reads retry_in from a 429 body", async () => {
    oneShot().mock.route(() => ({
      status: 429,
      body: { error: "rate_limited", description: "Sync rate limit exceeded.", retry_in: 42 },
    }));
    const error = await rejection<DoorFlowError>(h.client.getAccount());
    expect(error.retryInSeconds).toBe(42);
    expect(error.description).toBe("Sync rate limit exceeded.");
    expect(error.message).toContain("wait 42 s");
  });

  it("falls back to the Retry-After header when the body has no retry_in", async () => {
    oneShot().mock.route(() => ({
      status: 429,
      body: "Too Many Requests",
      headers: { "retry-after": "17" },
    }));
    const error = await rejection<DoorFlowError>(h.client.getAccount());
    expect(error.retryInSeconds).toBe(17);
    expect(error.description).toBeUndefined();
  });

  it("reads Retry-After as delta seconds or as an HTTP date", () => {
    const now = Date.parse("2027-03-28T09:00:00Z");
    expect(parseRetryAfter("5", now)).toBe(5);
    expect(parseRetryAfter(["2.5"], now)).toBe(2.5);
    expect(parseRetryAfter("Sun, 28 Mar 2027 09:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("Sun, 28 Mar 2027 08:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("keeps the body of a 409: the credential that already exists", async () => {
    const existing = { id: "c-9", credential_type_id: 2, person_id: 7, label: "Card", value: "555001" };
    oneShot().mock.route(() => ({ status: 409, body: existing }));
    const error = await rejection<DoorFlowError>(
      h.client.createCredential(7, { credentialTypeId: 2, value: "555002" }),
    );
    expect(error.code).toBe("doorflow_conflict");
    expect(error.body).toEqual(existing);
  });

  it("maps an HTML 502 from a proxy to a server error without inventing a description", async () => {
    oneShot().mock.route(() => ({
      status: 502,
      body: "<html><body>Bad Gateway</body></html>",
      headers: { "content-type": "text/html" },
    }));
    const error = await rejection<DoorFlowError>(h.client.getPerson(1));
    expect(error.code).toBe("doorflow_server");
    expect(error.description).toBeUndefined();
    expect(error.body).toBeUndefined();
    expect(error.message).toMatch(/temporary/);
  });
});

describe("answers that are not what the spec promises", () => {
  it("a 2xx that is not JSON becomes doorflow_bad_response, and is not retried", async () => {
    h = createHarness();
    h.mock.route(() => ({
      status: 200,
      body: "<html>maintenance</html>",
      headers: { "x-request-id": "r-1" },
    }));
    const error = await rejection<DoorFlowError>(h.client.getPerson(1));
    expect(error.code).toBe("doorflow_bad_response");
    expect(error.message).toContain("not JSON");
    expect(error.requestId).toBe("r-1");
    expect(h.mock.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("a 2xx in the wrong shape names the offending field", async () => {
    h = createHarness();
    h.mock.route(() => ({ status: 200, body: { ...person(1), enabled: "yes" } }));
    const error = await rejection<DoorFlowError>(h.client.getPerson(1));
    expect(error.code).toBe("doorflow_bad_response");
    expect(error.message).toContain("enabled");
    expect(error.retryable).toBe(false);
    expect(h.mock.requests).toHaveLength(1);
  });

  it("keeps fields DoorFlow adds (dynamic credential slugs) instead of rejecting them", async () => {
    oneShot().mock.route(() => ({ body: { ...person(1), card_number: "555001", pin: "4711" } }));
    const got = await h.client.getPerson(1);
    expect(got).toMatchObject({ id: 1, card_number: "555001" });
  });
});

describe("the token stays out of errors", () => {
  const leaks = (error: unknown) =>
    [String((error as Error).message), inspect(error, { depth: 5 }), JSON.stringify(redact(error))].filter(
      (s) => s.includes(TOKEN),
    );

  it("is sent as a bearer header but never echoed by a 401, even when DoorFlow quotes it", async () => {
    oneShot().mock.route((req) => ({
      status: 401,
      body: {
        error: "invalid_token",
        error_description: `The access token ${req.headers.authorization} is invalid`,
      },
    }));
    const error = await rejection<DoorFlowError>(h.client.getAccount());
    expect(h.mock.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(error.code).toBe("doorflow_unauthorized");
    expect(error.message).toContain("gatehouse doorflow connect");
    expect(error.message).toContain("[redacted]");
    expect(leaks(error)).toEqual([]);
  });

  it.each([
    [500, { error: "internal_server_error" }, "doorflow_server"],
    [422, { error: "invalid", errors: { base: ["no"] } }, "doorflow_validation"],
    [200, "not json", "doorflow_bad_response"],
  ] as const)("is absent from the error of a %i", async (status, body, code) => {
    oneShot().mock.route(() => ({ status, body }));
    const error = await rejection<DoorFlowError>(h.client.getAccount());
    expect(error.code).toBe(code);
    expect(leaks(error)).toEqual([]);
  });
});
