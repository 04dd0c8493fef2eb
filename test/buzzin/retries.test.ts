/**
 * What the client sends again, and what it must not: rate limits and Buzz-in's own failures are
 * retried within a bounded budget; a contractor POST that Buzz-in may already have carried out is
 * not (a second one would meet the first's email); a permit POST is, because its
 * `salesforcePermitId` turns a repeat into a 409 that says the permit exists.
 */
import { describe, expect, it } from "vitest";
import { BuzzinClient } from "../../src/buzzin/client.js";
import {
  contractorInput,
  failure,
  permitInput,
  permitWithPass,
  sandboxPermit,
  startTestbed,
} from "./support.js";

const calls = (bed: Awaited<ReturnType<typeof startTestbed>>, method: string, path: string | RegExp) =>
  bed.sandbox.calls.filter(
    (c) => c.method === method && (typeof path === "string" ? c.path === path : path.test(c.path)),
  );

describe("BuzzinClient retries", () => {
  it("retries a read through 503s with growing, jittered delays", async () => {
    const bed = await startTestbed({}, { random: () => 0.5 });
    const { permit } = await permitWithPass(bed);
    bed.sandbox.faults.add({ method: "GET", path: `/permits/${permit._id}`, status: 503, times: 2 });
    const read = await bed.client.getPermit(permit._id);
    expect(read._id).toBe(permit._id);
    expect(
      calls(bed, "GET", `/permits/${permit._id}`)
        .map((c) => c.status)
        .slice(-3),
    ).toEqual([503, 503, 200]);
    // Half of 250 ms, then half of 500 ms: the shared DoorFlow backoff.
    expect(bed.sleeps).toEqual([125, 250]);
  });

  it("waits at least as long as a 429's Retry-After, and then creates the contractor once", async () => {
    const bed = await startTestbed({}, { random: () => 0 });
    bed.sandbox.faults.add({
      method: "POST",
      path: "/communityContractors",
      status: 429,
      headers: { "retry-after": "3" },
      times: 1,
    });
    const contractor = await bed.client.createContractor(contractorInput());
    expect(bed.sleeps).toEqual([3000]);
    expect(calls(bed, "POST", "/communityContractors").map((c) => c.status)).toEqual([429, 201]);
    expect(bed.sandbox.state.contractors.map((c) => c.id)).toEqual([contractor._id]);
  });

  it("does not send a contractor again after a 5xx that Buzz-in may have acted on", async () => {
    const bed = await startTestbed();
    // Buzz-in stores the contractor, then its gateway fails the answer.
    bed.sandbox.faults.add({
      method: "POST",
      path: "/communityContractors",
      status: 502,
      processed: true,
      times: 1,
    });
    const error = await failure(bed.client.createContractor(contractorInput()));
    expect(error).toMatchObject({
      code: "buzzin_server",
      status: 502,
      retryable: true,
      mayHaveApplied: true,
    });
    expect(calls(bed, "POST", "/communityContractors")).toHaveLength(1);
    expect(bed.sandbox.state.contractors).toHaveLength(1);
    expect(bed.sleeps).toEqual([]);
  });

  it("sends a permit again after a lost answer, and finds the one Buzz-in made (never a second)", async () => {
    const bed = await startTestbed({ conflictNamesExisting: true });
    const contractor = await bed.client.createContractor(contractorInput());
    bed.sandbox.approveContractor(contractor._id);
    // Buzz-in creates the permit, then the connection drops before the answer.
    bed.sandbox.faults.add({ method: "POST", path: "/permits", drop: true, times: 1 });
    const found = await bed.client.createPermit(permitInput(contractor._id));
    expect(bed.sandbox.state.permits).toHaveLength(1);
    expect(found).toEqual({ status: "exists", permitId: bed.sandbox.state.permits[0]?.id });
    expect(calls(bed, "POST", "/permits").map((c) => c.status)).toEqual([0, 409]);
  });

  it("does not reissue a pass twice, but repeats a revoke and reads the permit when refused", async () => {
    const bed = await startTestbed();
    const { permit } = await permitWithPass(bed);
    const pass = `/passes/${permit._id}`;
    const submitted = calls(bed, "PATCH", pass).length;
    bed.sandbox.faults.add({ method: "PATCH", path: pass, status: 500, processed: true, times: 1 });
    await failure(bed.client.reissuePass(permit._id));
    expect(sandboxPermit(bed, permit._id).formerCodes).toHaveLength(1);
    expect(calls(bed, "PATCH", pass)).toHaveLength(submitted + 1);

    // The revoke is carried out but answered 500; the repeat is refused ("already REVOKED").
    bed.sandbox.faults.add({ method: "PATCH", path: pass, status: 500, processed: true, times: 1 });
    await bed.client.revokePass(permit._id, "test");
    expect(sandboxPermit(bed, permit._id).status).toBe("REVOKED");
    expect(
      calls(bed, "PATCH", pass)
        .map((c) => c.status)
        .slice(submitted),
    ).toEqual([500, 500, 400]);
  });

  it("repeats a submit whose answer was lost, and knows it took from the permit's status", async () => {
    const bed = await startTestbed();
    const contractor = await bed.client.createContractor(contractorInput());
    bed.sandbox.approveContractor(contractor._id);
    const input = permitInput(contractor._id);
    const created = await bed.client.createPermit(input);
    if (created.status !== "created") throw new Error("expected a new permit");
    bed.sandbox.faults.add({ method: "PATCH", path: `/passes/${created.permit._id}`, drop: true, times: 1 });
    expect(await bed.client.submitPermit(created.permit._id, input.details)).toBe("already_submitted");
    expect(calls(bed, "PATCH", `/passes/${created.permit._id}`).map((c) => c.status)).toEqual([0, 400]);
    expect(sandboxPermit(bed, created.permit._id).status).toBe("PENDING");
  });

  it("gives up after maxAttempts, and when the next wait would pass maxElapsedMs", async () => {
    const bed = await startTestbed({}, { retry: { maxAttempts: 3 }, random: () => 0.99 });
    bed.sandbox.faults.add({ method: "GET", path: /^\/permits\//, status: 500 });
    const error = await failure(bed.client.getPermit("66f0a1b2c3d4e5f600000009"));
    expect(error).toMatchObject({ code: "buzzin_server", status: 500 });
    expect(error.message).toContain("Buzz-in failed to read permit 66f0a1b2c3d4e5f600000009 (500");
    expect(calls(bed, "GET", /^\/permits\//)).toHaveLength(3);

    const patient = bed.clientWith({ retry: { maxAttempts: 10, maxElapsedMs: 1_000 }, random: () => 0.99 });
    bed.sleeps.length = 0;
    await failure(patient.getPermit("66f0a1b2c3d4e5f600000009"));
    // 247 + 495 ms slept; the next wait (990 ms) would pass the 1 s budget.
    expect(bed.sleeps).toEqual([247, 495]);
  });

  it("retries a connection that was refused (nothing was sent), then says where it tried", async () => {
    const bed = await startTestbed();
    const closedPort = new URL(bed.url);
    await bed.close();
    const sleeps: number[] = [];
    const client = new BuzzinClient({
      baseUrl: closedPort.origin,
      apiKey: "k",
      retry: { maxAttempts: 2 },
      sleep: async (ms) => void sleeps.push(ms),
    });
    const error = await failure(client.createContractor(contractorInput()));
    await client.close();
    expect(error).toMatchObject({ code: "buzzin_network", mayHaveApplied: false });
    expect(error.message).toContain(`Could not reach Buzz-in at ${closedPort.origin}`);
    expect(sleeps).toHaveLength(1);
  });

  it("reads an answer tolerantly, but does not retry one without the id it needs", async () => {
    const bed = await startTestbed();
    bed.sandbox.faults.add({
      method: "GET",
      path: /^\/permits\//,
      status: 200,
      body: { _id: "x", status: "approved", validTill: "not a date", extra: { nested: true } },
      times: 1,
    });
    const odd = await bed.client.getPermit("x");
    expect(odd).toMatchObject({ _id: "x", status: "approved", extra: { nested: true } });
    expect(odd.validTill).toBeUndefined();

    bed.sandbox.faults.add({ method: "GET", path: /^\/permits\//, status: 200, body: { status: 1 } });
    const error = await failure(bed.client.getPermit("x"));
    expect(error.code).toBe("buzzin_bad_response");
    expect(error.message).toMatch(/_id: Invalid input/);
    expect(calls(bed, "GET", /^\/permits\//)).toHaveLength(2);
  });
});
