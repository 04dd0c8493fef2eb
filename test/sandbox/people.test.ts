import { describe, expect, it } from "vitest";
import { accountSchema, channelSchema, groupSchema, personSchema } from "../../src/doorflow/schemas.js";
import { startTestSandbox } from "./helpers.js";

const emails = (people: Array<{ email: string }>) => people.map((p) => p.email);

describe("people", () => {
  it("filters email by case-insensitive partial match, as DoorFlow does", async () => {
    const { api } = await startTestSandbox();
    const res = await api("GET", "/api/3/people?email=SAM.LEE");
    expect(res.status).toBe(200);
    expect(emails(res.json)).toEqual(["sam.lee@harbourside.example", "sam.leeson@harbourside.example"]);
    expect(personSchema.array().parse(res.json)).toHaveLength(2);
  });

  it("filters system_id exactly", async () => {
    const { api } = await startTestSandbox();
    expect((await api("GET", "/api/3/people?system_id=EMP-100")).json).toEqual([]);
    expect(emails((await api("GET", "/api/3/people?system_id=EMP-1003")).json)).toEqual([
      "sam.lee@harbourside.example",
    ]);
  });

  it("caps a page at 100 people however many are asked for", async () => {
    const { api } = await startTestSandbox();
    for (let i = 0; i < 110; i++) {
      const res = await api("POST", "/api/3/people", { body: { first_name: "Temp", last_name: `No ${i}` } });
      expect(res.status).toBe(201);
    }
    const first = await api("GET", "/api/3/people?per_page=500");
    expect(first.json).toHaveLength(100);
    expect(first.headers.get("per-page")).toBe("100");
    expect(first.headers.get("total")).toBe("130");
    const second = await api("GET", "/api/3/people?per_page=100&page=2");
    expect(second.json).toHaveLength(30);
    expect((await api("GET", "/api/3/people")).json).toHaveLength(50);
  });

  it("answers an update with 201 and keeps what the body leaves out", async () => {
    const { api } = await startTestSandbox();
    const res = await api("PUT", "/api/3/people/40203", {
      body: {
        enabled: false,
        valid_from: "2027-03-01T00:00:00+00:00",
        valid_to: "2027-03-31T23:59:59+01:00",
        group_ids: [5127],
      },
    });
    expect(res.status).toBe(201);
    expect(personSchema.parse(res.json)).toMatchObject({
      first_name: "Sam",
      email: "sam.lee@harbourside.example",
      enabled: false,
      valid_from: "2027-03-01T00:00:00.000Z",
      valid_to: "2027-03-31T22:59:59.000Z",
      groups: [5127],
      card_number: "40010003",
    });
  });

  it("answers valid_from and valid_to as date-times, reading a bare date as its midnight in the account zone", async () => {
    const { api } = await startTestSandbox({ timeZone: "Europe/London" });
    // London is on GMT on 1 March and on BST (UTC+1) from 28 March 2027.
    const res = await api("PUT", "/api/3/people/40203", {
      body: { valid_from: "2027-03-01", valid_to: "2027-03-31" },
    });
    expect(res.json).toMatchObject({
      valid_from: "2027-03-01T00:00:00.000Z",
      valid_to: "2027-03-30T23:00:00.000Z",
    });
  });

  it("refuses an email another live person has, in DoorFlow's 422 shape, and frees it on delete", async () => {
    const { api } = await startTestSandbox();
    const dup = await api("POST", "/api/3/people", {
      body: { first_name: "Sam", last_name: "Other", email: "Sam.Lee@Harbourside.example" },
    });
    expect(dup.status).toBe(422);
    expect(dup.json).toEqual({
      error: "Validation failed: Email has already been taken",
      errors: { email: ["has already been taken"] },
    });

    const deleted = await api("DELETE", "/api/3/people/40203");
    expect(deleted.json).toEqual({ result: "ok" });
    expect((await api("GET", "/api/3/people/40203")).status).toBe(404);
    const again = await api("POST", "/api/3/people", {
      body: { first_name: "Sam", last_name: "Other", email: "sam.lee@harbourside.example" },
    });
    expect(again.status).toBe(201);
  });

  it("checks the required and typed fields of a new person", async () => {
    const { api } = await startTestSandbox();
    const res = await api("POST", "/api/3/people", {
      body: {
        last_name: "",
        email: "not-an-email",
        system_id: "EMP-1001",
        valid_from: "2027-03-10",
        valid_to: "2027-03-01",
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual({
      first_name: ["can't be blank"],
      last_name: ["can't be blank"],
      email: ["is invalid"],
      system_id: ["has already been taken"],
      valid_to: ["must be on or after valid_from"],
    });
  });

  it("parses the account, groups and doors with the client's schemas", async () => {
    const { api } = await startTestSandbox({ timeZone: "America/New_York" });
    const account = accountSchema.parse((await api("GET", "/api/3/account")).json);
    expect(account.time_zone).toBe("Eastern Time (US & Canada)");
    const groups = groupSchema.array().parse((await api("GET", "/api/3/groups")).json);
    expect(groups.map((g) => g.name)).toEqual(
      [...groups.map((g) => g.name)].sort((a, b) => a.localeCompare(b)),
    );
    const doors = await api("GET", "/api/3/channels?per_page=5&page=3");
    expect(
      channelSchema
        .array()
        .parse(doors.json)
        .map((c) => c.id),
    ).toEqual([1350, 1351]);
    expect(doors.headers.get("total")).toBe("12");
  });
});

describe("the API surface", () => {
  it("refuses a missing or wrong bearer token with 401 invalid_token", async () => {
    const { api } = await startTestSandbox();
    for (const token of [null, "wrong"]) {
      const res = await api("GET", "/api/3/people", { token });
      expect(res.status).toBe(401);
      expect(res.json.error).toBe("invalid_token");
      expect(res.json.error_description).toMatch(/access token/);
    }
  });

  it("answers an unknown route with JSON 404, and every answer with a request id", async () => {
    const { api, sandbox } = await startTestSandbox();
    const res = await api("GET", "/api/3/doors");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: "not_found", error_description: "No route matches GET /api/3/doors" });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sandbox.calls.at(-1)).toMatchObject({
      method: "GET",
      path: "/api/3/doors",
      status: 404,
      requestId: id,
    });
    expect((await api("GET", "/api/3/people/%E0%A4%A")).status).toBe(404);
    const broken = await api("POST", "/api/3/people", { body: "{not json" });
    expect(broken.status).toBe(400);
    expect(broken.headers.get("content-type")).toMatch(/^application\/json/);
  });
});
