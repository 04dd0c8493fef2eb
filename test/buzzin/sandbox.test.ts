/**
 * The Buzz-in sandbox's rules, through its transport-neutral `handle` (no socket needed): who may
 * call, what is unique where, the permit's life, and fault injection.
 */
import { describe, expect, it } from "vitest";
import { contractorBody, permitBody } from "../../src/buzzin/client.js";
import { BuzzinSandbox } from "../../src/sandbox/buzzin/sandbox.js";
import type { BuzzinSandboxOptions } from "../../src/sandbox/buzzin/types.js";
import { contractorInput, NOW } from "./support.js";

const KEYS = { "key-hills": "community-hills", "key-lagoons": "community-lagoons" };

function sandbox(options: BuzzinSandboxOptions = {}) {
  const sb = new BuzzinSandbox({ now: NOW, communities: KEYS, ...options });
  const call = (method: string, path: string, body?: unknown, key: string | null = "key-hills") => {
    const res = sb.handle({
      method,
      path,
      headers: { "content-type": "application/json", ...(key === null ? {} : { "x-api-key": key }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: JSON.parse(res.body), res };
  };
  const contractor = (key = "key-hills", overrides = {}) =>
    call("POST", "/communityContractors", contractorBody(contractorInput(overrides)), key);
  const approvedPermit = (key = "key-hills") => {
    const c = contractor(key).body._id as string;
    sb.approveContractor(c);
    const body = permitBody({
      kind: "noc",
      contractorId: c,
      property: "Golf Town",
      unit: "GT-3",
      startDate: "2027-03-01",
      endDate: "2027-03-10",
    });
    return { contractorId: c, permitId: call("POST", "/permits", body, key).body._id as string };
  };
  return { sb, call, contractor, approvedPermit };
}

describe("Buzz-in sandbox", () => {
  it("asks for the API key on the API but not on its own controls", async () => {
    const { call, contractor } = sandbox();
    expect(call("GET", "/permits/abc", undefined, null)).toMatchObject({
      status: 401,
      body: { message: "API key missing" },
    });
    expect(call("GET", "/permits/abc", undefined, "nope").body.message).toBe("Invalid API key");
    const id = contractor().body._id;
    expect(call("POST", `/__sandbox/communityContractors/${id}/approve`, undefined, null).body.approved).toBe(
      true,
    );
  });

  it("keeps email unique everywhere, phone and Salesforce id unique within a community", () => {
    const { call, contractor } = sandbox();
    const first = contractorInput();
    call("POST", "/communityContractors", contractorBody(first));
    const again = (key: string, o: object) => contractor(key, o);

    expect(again("key-lagoons", { email: first.email })).toMatchObject({
      status: 409,
      body: { fields: ["email"] },
    });
    expect(again("key-hills", { phone: first.phone }).body.fields).toEqual(["phone"]);
    expect(again("key-hills", { salesforceId: first.salesforceId }).body.fields).toEqual(["salesforceId"]);
    expect(again("key-lagoons", { phone: first.phone, salesforceId: first.salesforceId }).status).toBe(201);
  });

  it("keeps each community's records to its own key", () => {
    const { call, approvedPermit } = sandbox();
    const { contractorId, permitId } = approvedPermit("key-hills");
    expect(call("GET", `/permits/${permitId}`, undefined, "key-lagoons").status).toBe(404);
    expect(
      call("PATCH", `/communityContractors/${contractorId}`, { action: "revoke" }, "key-lagoons").status,
    ).toBe(404);
  });

  it("moves a permit draft → submitted → accepted, and only forward", () => {
    const { sb, call, approvedPermit } = sandbox();
    const { permitId } = approvedPermit();
    expect(call("PATCH", `/permits/${permitId}/pass`, { action: "revoke" }).status).toBe(409);
    expect(() => sb.acceptPermit(permitId)).toThrow(/is draft, not submitted/);
    expect(call("PATCH", `/permits/${permitId}`, { status: "submitted" }).body.status).toBe("submitted");
    expect(call("PATCH", `/permits/${permitId}`, { status: "submitted" }).body.status).toBe("submitted");
    expect(call("PATCH", `/permits/${permitId}`, { status: "accepted" })).toMatchObject({
      status: 400,
      body: { message: ["status must be submitted"] },
    });
    sb.acceptPermit(permitId);
    sb.firePassEvent(permitId, "expired");
    expect(call("PATCH", `/permits/${permitId}`, { endDate: "2027-04-01" })).toMatchObject({
      status: 409,
      body: { message: `Permit ${permitId} is expired` },
    });
    expect(sb.deliveries.map((d) => d.event)).toEqual([
      "communityContractors.approved",
      "passes.permits.issued",
      "passes.permits.expired",
    ]);
  });

  it("accepts on submit when told to, issuing the pass at once", () => {
    const { sb, call, approvedPermit } = sandbox({ autoAccept: true });
    const { permitId } = approvedPermit();
    const accepted = call("PATCH", `/permits/${permitId}`, { status: "submitted" }).body;
    expect(accepted.status).toBe("accepted");
    const issued = JSON.parse(sb.deliveries.at(-1)!.body);
    expect(issued).toMatchObject({
      event: "passes.permits.issued",
      data: { accessCode: accepted.pass.accessCode },
    });
    expect(issued.createdAt).toBe(NOW.toISOString());
  });

  it("stops a revoked contractor's permits: passes revoked, no accept, no reissue", () => {
    const { sb, call, approvedPermit } = sandbox();
    const { contractorId, permitId } = approvedPermit();
    call("PATCH", `/permits/${permitId}`, { status: "submitted" });
    sb.acceptPermit(permitId);
    const second = call("POST", "/permits", {
      ...permitBody({
        kind: "fitOut",
        contractorId,
        property: "P",
        unit: "U",
        startDate: "2027-03-02",
        endDate: "2027-03-03",
      }),
    }).body._id;
    call("PATCH", `/permits/${second}`, { status: "submitted" });

    expect(call("PATCH", `/communityContractors/${contractorId}`, { action: "suspend" }).status).toBe(400);
    call("PATCH", `/communityContractors/${contractorId}`, { action: "revoke" });
    expect(call("GET", `/permits/${permitId}`).body.pass.status).toBe("revoked");
    expect(call("PATCH", `/permits/${permitId}/pass`, { action: "reissue" }).status).toBe(409);
    expect(() => sb.acceptPermit(second)).toThrow(/revoked/);
  });

  it("checks permit bodies: kind, dates in order and not past, an approved contractor", () => {
    const { call, contractor } = sandbox();
    const pending = contractor().body._id;
    const base = { kind: "noc" as const, contractorId: pending, property: "P", unit: "U" };
    const post = (dates: { startDate: string; endDate: string }, extra = {}) =>
      call("POST", "/permits", { ...permitBody({ ...base, ...dates }), ...extra });
    expect(post({ startDate: "2027-03-05", endDate: "2027-03-04" }).body.message).toEqual([
      "endDate must not be before startDate",
    ]);
    expect(post({ startDate: "2027-02-01", endDate: "2027-02-28" }).status).toBe(409);
    expect(
      post({ startDate: "2027-03-01", endDate: "2027-03-31" }, { type: "demolition" }).body.message,
    ).toEqual(["type must be one of noc, fitOut"]);
    expect(post({ startDate: "2027-03-01", endDate: "2027-03-31" }).body.message).toBe(
      `Contractor ${pending} is pending approval`,
    );
  });

  it("injects faults for a number of times, before or after the model acts", () => {
    const { sb, call, contractor } = sandbox();
    sb.faults.add({ method: "POST", path: "/communityContractors", status: 503, times: 1, latencyMs: 40 });
    const faulted = contractor();
    expect(faulted.status).toBe(503);
    expect(faulted.res.latencyMs).toBe(40);
    expect(sb.state.contractors).toHaveLength(0);
    sb.faults.add({ method: "POST", path: "/communityContractors", status: 500, processed: true, times: 1 });
    expect(contractor().status).toBe(500);
    expect(sb.state.contractors).toHaveLength(1);
    expect(contractor().status).toBe(201);
    expect(sb.calls.map((c) => [c.status, c.faulted])).toEqual([
      [503, true],
      [500, true],
      [201, false],
    ]);
    expect(call("GET", "/nowhere").status).toBe(404);
  });

  it("records deliveries without sending them when no webhook URL is set, and forgets them on reset", async () => {
    const { sb, approvedPermit } = sandbox();
    approvedPermit();
    await sb.settled();
    expect(sb.deliveries).toHaveLength(1);
    expect(sb.deliveries[0]?.attempts).toEqual([]);
    sb.reset();
    expect([sb.deliveries.length, sb.state.contractors.length, sb.calls.length]).toEqual([0, 0, 0]);
  });
});
