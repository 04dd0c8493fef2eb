/**
 * The Buzz-in sandbox's rules, through its transport-neutral `handle` (no socket needed), held to
 * ../shared/buzzin/reference.md: who may call, what is unique where, FeathersJS errors, the permit's
 * life (DRAFT 10 → submitted → ACCEPTED 1 → REVOKED / ARCHIVED / EXPIRED), webhooks, and faults.
 */
import { describe, expect, it } from "vitest";
import { contractorBody, permitBody } from "../../src/buzzin/client.js";
import { BuzzinSandbox } from "../../tools/sandbox/buzzin/sandbox.js";
import type { BuzzinSandboxOptions } from "../../tools/sandbox/buzzin/types.js";
import { contractorInput, NOW, permitInput } from "./support.js";

const KEYS = { "key-hills": "6840270a99ca91002185fcd6", "key-lagoons": "6840270a99ca91002185fcd7" };

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
  const draft = (key = "key-hills", overrides = {}) => {
    const c = contractor(key).body._id as string;
    sb.approveContractor(c);
    const input = permitInput(c, overrides);
    const created = call("POST", "/permits", permitBody(input), key);
    return { contractorId: c, permitId: created.body._id as string, input, created };
  };
  const submit = (permitId: string, body: Record<string, unknown> = {}, key = "key-hills") =>
    call("PATCH", `/passes/${permitId}`, { action: "submit", ...body }, key);
  return { sb, call, contractor, draft, submit };
}

describe("Buzz-in sandbox", () => {
  it("asks for the API key on the API but not on its own controls, in FeathersJS's error shape", () => {
    const { call, contractor } = sandbox();
    expect(call("GET", "/permits/abc", undefined, null)).toMatchObject({
      status: 401,
      body: { name: "NotAuthenticated", message: "Not authenticated", code: 401 },
    });
    expect(call("GET", "/permits/abc", undefined, "nope").body.message).toBe("Invalid API key");
    expect(call("GET", "/permits/66f0a1b2c3d4e5f6000000aa").body).toEqual({
      name: "NotFound",
      message: "Record Not Found",
      code: 404,
    });
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
      body: { name: "Conflict", code: 409, errors: { email: "already exists" } },
    });
    expect(Object.keys(again("key-hills", { phone: first.phone }).body.errors)).toEqual(["phone"]);
    expect(Object.keys(again("key-hills", { salesforceId: first.salesforceId }).body.errors)).toEqual([
      "integrations.damac.salesforceId",
    ]);
    expect(again("key-lagoons", { phone: first.phone, salesforceId: first.salesforceId }).status).toBe(201);
  });

  it("keeps each community's records to its own key", () => {
    const { call, draft } = sandbox();
    const { contractorId, permitId } = draft("key-hills");
    expect(call("GET", `/permits/${permitId}`, undefined, "key-lagoons").status).toBe(404);
    expect(
      call("PATCH", `/communityContractors/${contractorId}`, { action: "revoke" }, "key-lagoons").status,
    ).toBe(404);
  });

  it("creates a DRAFT (10) with the documented 201, resolving external ids", () => {
    const { draft } = sandbox();
    const { created, contractorId, input } = draft();
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      status: 10,
      communityContractorId: contractorId,
      propertyId: "66e0000000000000000000a1",
      flatId: "66e0000000000000000000b2",
      validFrom: "2027-03-02T06:00:00.000Z",
      validTill: "2027-03-31T18:00:00.000Z",
      integrations: {
        damac: {
          salesforceId: input.salesforcePermitId,
          noc: { document: { publicUrl: "https://files.example.com/noc-12345.pdf" }, nocNumber: "NOC-12345" },
        },
      },
    });
  });

  it("checks permit bodies: references, window, approval, uniqueness of salesforcePermitId", () => {
    const { call, contractor, draft, sb } = sandbox();
    const pending = contractor().body._id as string;
    const post = (o = {}, contractorId = pending) =>
      call("POST", "/permits", permitBody(permitInput(contractorId, o)));
    expect(post()).toMatchObject({ status: 400, body: { message: "Contractor is not approved" } });
    sb.approveContractor(pending);
    expect(post({ property: "DAMAC-TWR-99" })).toMatchObject({
      status: 404,
      body: { message: "Record Not Found" },
    });
    expect(post({ unit: "66e0000000000000000000ff" }).status).toBe(404);
    expect(post({}, "66f0a1b2c3d4e5f6000000ee").status).toBe(404);
    expect(post({ validTill: new Date("2027-02-28T00:00:00Z") }).body.errors).toEqual({
      validTill: "must be in the future",
    });
    expect(
      post({ validFrom: new Date("2027-03-20T00:00:00Z"), validTill: new Date("2027-03-10T00:00:00Z") }).body
        .message,
    ).toBe("validTill must not be before validFrom");
    const { input } = draft();
    expect(call("POST", "/permits", permitBody({ ...input, contractor: { id: pending } }))).toMatchObject({
      status: 409,
      body: { name: "Conflict", message: "A permit with this salesforcePermitId already exists" },
    });
    const missing = call("POST", "/permits", { salesforcePermitId: "x" });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.errors)).toEqual(
      expect.arrayContaining(["communityContractorId", "propertyId", "flatId", "validFrom", "validTill"]),
    );
  });

  it("submits only a DRAFT with the gate details, accepts, reissues, revokes; each answers {}", () => {
    const { sb, call, submit } = sandbox();
    const c = call("POST", "/communityContractors", contractorBody(contractorInput())).body._id as string;
    sb.approveContractor(c);
    const { representativeName, representativeContact, employees, ...body } = permitBody(permitInput(c));
    expect([representativeName, representativeContact, employees]).not.toContain(undefined);
    const permitId = call("POST", "/permits", body).body._id as string;
    // Create took the times; the representative and employees are still missing.
    expect(submit(permitId).body.errors).toEqual({
      representativeName: "is required",
      representativeContact: "is required",
      employees: "at least one employee is required",
    });
    expect(
      submit(permitId, {
        representativeName: "Yusuf",
        representativeContact: "+971501234567",
        employees: [{ name: "Ali", phone: "+971501112233" }],
      }),
    ).toMatchObject({ status: 200, body: {} });
    expect(submit(permitId).body.message).toBe("Only a DRAFT permit can be submitted (it is PENDING)");
    expect(call("PATCH", `/passes/${permitId}`, { action: "reissuePass" }).body.message).toMatch(
      /must be ACCEPTED/,
    );
    sb.acceptPermit(permitId);
    expect(call("GET", `/permits/${permitId}`).body).toMatchObject({ status: 1, statusName: "ACCEPTED" });
    expect(call("GET", `/permits/${permitId}`).body).not.toHaveProperty("accessCode");
    expect(call("PATCH", `/passes/${permitId}`, { action: "reissuePass" }).body).toEqual({});
    expect(call("PATCH", `/passes/${permitId}`, { action: "revoke", reason: "done" }).body).toEqual({});
    expect(call("GET", `/permits/${permitId}`).body).toMatchObject({ statusName: "REVOKED" });
    expect(call("PATCH", `/passes/${permitId}`, { action: "suspend" }).status).toBe(400);
    expect(sb.deliveries.map((d) => d.event)).toEqual([
      "communityContractors.approved",
      "passes.permits.issued",
      "passes.permits.issued",
    ]);
  });

  it("accepts on submit when told to, and shows the code on read when told to", () => {
    const { sb, call, draft, submit } = sandbox({ autoAccept: true, permitReadShowsAccessCode: true });
    const { permitId } = draft();
    submit(permitId);
    const read = call("GET", `/permits/${permitId}`).body;
    expect(read.statusName).toBe("ACCEPTED");
    const issued = JSON.parse(sb.deliveries.at(-1)?.body ?? "{}");
    expect(issued).toMatchObject({ event: "passes.permits.issued", data: { accessCode: read.accessCode } });
    expect(issued.createdAt).toBe(NOW.toISOString());
  });

  it("moves the window of a DRAFT and of an accepted permit; only the latter fires updated", () => {
    const { sb, call, draft, submit } = sandbox();
    const { permitId } = draft();
    const later = { validTill: "2027-04-30T18:00:00.000Z" };
    expect(call("PATCH", `/permits/${permitId}`, later).body.validTill).toBe(later.validTill);
    submit(permitId);
    sb.acceptPermit(permitId);
    call("PATCH", `/permits/${permitId}`, { validTill: "2027-05-31T18:00:00.000Z" });
    expect(call("PATCH", `/permits/${permitId}`, { validTill: "2027-02-01T00:00:00.000Z" }).status).toBe(400);
    const noc = {
      type: "url",
      url: "https://x.example/noc2.pdf",
      nocNumber: "NOC-2",
      issueDate: "2027-03-01",
      expiryDate: "2027-09-01",
    };
    expect(
      call("PATCH", `/permits/${permitId}`, { action: "replaceNoc", noc }).body.integrations.damac,
    ).toMatchObject({
      noc: { nocNumber: "NOC-2" },
      nocHistory: [{ nocNumber: "NOC-12345" }],
    });
    const updated = sb.deliveries.filter((d) => d.event === "passes.permits.updated");
    expect(updated).toHaveLength(1);
    expect(JSON.parse(updated[0]?.body ?? "{}").data.validTill).toBe("2027-05-31T18:00:00.000Z");
  });

  it("archives a revoked contractor's permits (each says updated), then says removed", () => {
    const { sb, call, draft, submit } = sandbox();
    const { contractorId, permitId } = draft();
    submit(permitId);
    sb.acceptPermit(permitId);
    expect(call("PATCH", `/communityContractors/${contractorId}`, { action: "suspend" }).status).toBe(400);
    expect(call("PATCH", `/communityContractors/${contractorId}`, { action: "revoke" }).status).toBe(200);
    expect(call("GET", `/permits/${permitId}`).body.statusName).toBe("ARCHIVED");
    expect(call("PATCH", `/communityContractors/${contractorId}`, { action: "revoke" }).status).toBe(404);
    expect(sb.deliveries.map((d) => d.event).slice(-2)).toEqual([
      "passes.permits.updated",
      "communityContractors.removed",
    ]);
  });

  it("injects faults into calls, for a number of times, before or after the model acts", () => {
    const { sb, call, contractor } = sandbox();
    sb.faults.add({ method: "POST", path: "/communityContractors", status: 503, times: 1, latencyMs: 40 });
    const faulted = contractor();
    expect(faulted).toMatchObject({ status: 503, body: { name: "Unavailable", code: 503 } });
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

  it("loses or repeats webhook deliveries when told to, and records what it did", async () => {
    const { sb, draft } = sandbox();
    sb.webhookFaults.lose = 1;
    draft();
    expect(sb.deliveries[0]?.attempts).toEqual([
      expect.objectContaining({ status: 0, error: "lost (fault injected)" }),
    ]);
    sb.webhookFaults.lose = 0;
    sb.webhookFaults.repeat = 1;
    draft();
    await sb.settled();
    // No receiver configured: both attempts of the repeated delivery are recorded as unsent.
    expect(sb.deliveries[1]?.attempts).toHaveLength(2);
  });

  it("records deliveries without sending them when no webhook URL is set, and forgets them on reset", async () => {
    const { sb, draft } = sandbox();
    draft();
    await sb.settled();
    expect(sb.deliveries).toHaveLength(1);
    expect(sb.deliveries[0]?.attempts).toEqual([
      expect.objectContaining({ status: 0, error: "no receiver configured" }),
    ]);
    sb.reset();
    expect([sb.deliveries.length, sb.state.contractors.length, sb.calls.length]).toEqual([0, 0, 0]);
  });
});
