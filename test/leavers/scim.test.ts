/**
 * SCIM 2.0 end to end as Okta and Entra ID drive it: the real bot over HTTP, the DoorFlow sandbox,
 * the Slack stand-in. Users are created with the emails of seeded DoorFlow people.
 */
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import { leaverEvents } from "../../src/db/schema.js";
import { CHANNELS } from "../../tools/sandbox/story.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const TOKEN = "scim-token-for-tests-0123456789";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

let s: TestStory;
beforeAll(async () => {
  s = await startTestStory({ catchUp: false, env: { SCIM_TOKEN: TOKEN } });
});
afterAll(async () => {
  await s.close();
});

interface Answer {
  status: number;
  type: string;
  json: Record<string, unknown>;
  location?: string;
}

async function scim(method: string, path: string, body?: unknown, token = TOKEN): Promise<Answer> {
  const res = await request(`${s.gatehouse.http.url}/scim/v2${path}`, {
    method: method as "GET",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/scim+json" } : {}),
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.body.text();
  await s.gatehouse.idle();
  return {
    status: res.statusCode,
    type: String(res.headers["content-type"] ?? ""),
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    ...(typeof res.headers.location === "string" ? { location: res.headers.location } : {}),
  };
}

const person = (local: string) => {
  const p = s.doorflow.sandbox.state.people.find((x) => x.email === `${local}@harbourside.example`);
  if (!p) throw new Error(`no sandbox person ${local}`);
  return p;
};
const capital = (w = "") => w.charAt(0).toUpperCase() + w.slice(1);
const newUser = (local: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName: `${local}@harbourside.example`,
  externalId: `00u${local.replace(/\W/g, "")}`,
  name: { givenName: capital(local.split(".")[0]), familyName: capital(local.split(".")[1]) },
  emails: [{ value: `${local}@harbourside.example`, type: "work", primary: true }],
  active: true,
  ...extra,
});
const offboardings = (personId: number) =>
  listAuditFor(s.gatehouse.db, { doorflowPersonId: personId }).filter(
    (a) => a.action === "offboard.completed",
  );
const securityPosts = () =>
  s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.security);
const writes = () => s.doorflow.sandbox.calls.filter((c) => c.method !== "GET");

describe("SCIM /Users", () => {
  it("creates a user without touching DoorFlow, finds it by userName, externalId and email, and refuses a second userName", async () => {
    await s.gatehouse.idle();
    const before = writes().length;
    const created = await scim("POST", "/Users", newUser("tomasz.nowak"));
    expect(created.status).toBe(201);
    expect(created.type).toBe("application/scim+json; charset=utf-8");
    const id = String(created.json.id);
    expect(created.location).toBe(`/scim/v2/Users/${id}`);
    expect(created.json).toMatchObject({
      schemas: [USER],
      userName: "tomasz.nowak@harbourside.example",
      active: true,
      meta: { resourceType: "User", location: `/scim/v2/Users/${id}` },
    });
    expect(writes()).toHaveLength(before);

    for (const filter of [
      'userName eq "Tomasz.Nowak@harbourside.example"',
      'externalId eq "00utomasznowak"',
      'emails.value eq "tomasz.nowak@harbourside.example"',
      'emails[type eq "work"].value eq "tomasz.nowak@harbourside.example"',
    ]) {
      const found = await scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
      expect(found.status, filter).toBe(200);
      expect(found.json).toMatchObject({ schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
      expect((found.json.Resources as Array<{ id: string }>)[0]?.id).toBe(id);
    }
    const none = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "nobody@x.example"')}`);
    expect(none.json).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });

    const again = await scim("POST", "/Users", newUser("tomasz.nowak", { externalId: "other" }));
    expect(again).toMatchObject({
      status: 409,
      json: { schemas: [ERROR], status: "409", scimType: "uniqueness" },
    });
    expect((await scim("GET", `/Users/${id}`)).json.id).toBe(id);
  });

  it("offboards once on Okta's PATCH {active:false}, and a repeat changes nothing", async () => {
    const noah = person("noah.fraser");
    const created = await scim("POST", "/Users", newUser("noah.fraser"));
    const id = String(created.json.id);
    const patch = { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] };
    const answer = await scim("PATCH", `/Users/${id}`, patch);
    expect(answer.status).toBe(200);
    expect(answer.json.active).toBe(false);
    expect(noah.enabled).toBe(false);
    expect(offboardings(noah.id)).toHaveLength(1);
    expect(offboardings(noah.id)[0]?.actor).toBe("scim");
    expect(JSON.stringify(securityPosts().at(-1)?.args)).toContain(
      "Identity provider (SCIM): Noah Fraser offboarded",
    );

    const posts = securityPosts().length;
    expect((await scim("PATCH", `/Users/${id}`, patch)).status).toBe(200);
    expect(offboardings(noah.id)).toHaveLength(1);
    expect(securityPosts()).toHaveLength(posts);
  });

  it('offboards once on Entra ID\'s PATCH {op: Replace, path: active, value: "False"}, then DELETE adds nothing', async () => {
    const mei = person("mei.chen");
    const id = String((await scim("POST", "/Users", newUser("mei.chen"))).json.id);
    const entra = {
      schemas: [PATCH],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    };
    const answer = await scim("PATCH", `/Users/${id}`, entra);
    expect(answer.status).toBe(200);
    expect(answer.json.active).toBe(false);
    expect(mei.enabled).toBe(false);
    expect(offboardings(mei.id)).toHaveLength(1);
    expect((await scim("DELETE", `/Users/${id}`)).status).toBe(204);
    expect(offboardings(mei.id)).toHaveLength(1);
    expect((await scim("GET", `/Users/${id}`)).status).toBe(404);
  });

  it("offboards once on PUT with active false and on DELETE of an active user", async () => {
    const daniel = person("daniel.evans");
    const created = await scim("POST", "/Users", newUser("daniel.evans"));
    const put = await scim(
      "PUT",
      `/Users/${String(created.json.id)}`,
      newUser("daniel.evans", { active: false }),
    );
    expect(put.status).toBe(200);
    expect(daniel.enabled).toBe(false);
    expect(offboardings(daniel.id)).toHaveLength(1);

    const aisha = person("aisha.begum");
    const other = String((await scim("POST", "/Users", newUser("aisha.begum"))).json.id);
    expect((await scim("DELETE", `/Users/${other}`)).status).toBe(204);
    expect(aisha.enabled).toBe(false);
    expect((await scim("DELETE", `/Users/${other}`)).status).toBe(404);
    expect(offboardings(aisha.id)).toHaveLength(1);
    expect(offboardings(aisha.id)[0]?.actor).toBe("scim");
  });

  it("never gives door access back when a user turns active again, and tells the security channel", async () => {
    const sofia = person("sofia.rossi");
    const id = String((await scim("POST", "/Users", newUser("sofia.rossi"))).json.id);
    const set = (value: boolean) => ({
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "active", value }],
    });
    await scim("PATCH", `/Users/${id}`, set(false));
    expect(sofia.enabled).toBe(false);
    const back = await scim("PATCH", `/Users/${id}`, set(true));
    expect(back.json.active).toBe(true);
    expect(sofia.enabled).toBe(false);
    expect(JSON.stringify(securityPosts().at(-1)?.args)).toContain("is active again");
    expect(JSON.stringify(securityPosts().at(-1)?.args)).toContain("does not give door access back");
    // A second deactivation is a new leaver event (already disabled in DoorFlow: verified again).
    await scim("PATCH", `/Users/${id}`, set(false));
    const events = s.gatehouse.db
      .select()
      .from(leaverEvents)
      .all()
      .filter((e) => e.externalId === id);
    expect(events.map((e) => e.key)).toEqual([`scim:${id}:1`, `scim:${id}:2`]);
  });

  it("answers unsupported filters and operations with 400 invalidFilter / invalidSyntax, never 500", async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ["GET", `/Users?filter=${encodeURIComponent('userName sw "a"')}`, undefined, "invalidFilter"],
      [
        "GET",
        `/Users?filter=${encodeURIComponent('userName eq "a" or externalId eq "b"')}`,
        undefined,
        "invalidFilter",
      ],
      ["GET", `/Users?filter=${encodeURIComponent('title eq "x"')}`, undefined, "invalidFilter"],
      ["GET", `/Users?filter=${encodeURIComponent("userName eq")}`, undefined, "invalidFilter"],
      ["GET", `/Users?filter=${encodeURIComponent("((")}`, undefined, "invalidFilter"],
      ["POST", "/Users", "{nope", "invalidSyntax"],
      ["POST", "/Users", [], "invalidSyntax"],
      ["POST", "/Users", { schemas: [USER] }, "invalidValue"],
    ];
    for (const [method, path, body, scimType] of cases) {
      const answer = await scim(method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(400);
      expect(answer.json).toMatchObject({ schemas: [ERROR], status: "400", scimType });
    }
    const id = String((await scim("POST", "/Users", newUser("george.walsh"))).json.id);
    for (const patch of [
      { schemas: [PATCH], Operations: [{ op: "frobnicate", path: "active", value: false }] },
      { schemas: ["wrong"], Operations: [{ op: "replace", value: { active: false } }] },
      { schemas: [PATCH], Operations: [{ op: "replace", path: "emails[type eq", value: "x" }] },
      { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: "maybe" }] },
      { schemas: [PATCH], Operations: "all of them" },
    ]) {
      const answer = await scim("PATCH", `/Users/${id}`, patch);
      expect(answer.status, JSON.stringify(patch)).toBe(400);
      expect(answer.json.schemas).toEqual([ERROR]);
    }
    expect(person("george.walsh").enabled).toBe(true);
  });

  it("refuses a missing or wrong token with 401 in SCIM's error format", async () => {
    for (const token of ["", "wrong-token-wrong-token-0000"]) {
      const answer = await scim("GET", "/Users", undefined, token);
      expect(answer).toMatchObject({ status: 401, json: { schemas: [ERROR], status: "401" } });
    }
  });
});

describe("SCIM conformance walk", () => {
  it("serves the discovery documents and pages users with ListResponse fields", async () => {
    const spc = await scim("GET", "/ServiceProviderConfig");
    expect(spc.status).toBe(200);
    expect(spc.type).toContain("application/scim+json");
    expect(spc.json).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      changePassword: { supported: false },
    });
    expect((spc.json.authenticationSchemes as unknown[]).length).toBeGreaterThan(0);

    const types = await scim("GET", "/ResourceTypes");
    expect(types.json).toMatchObject({ schemas: [LIST], totalResults: 1 });
    expect((types.json.Resources as unknown[])[0]).toMatchObject({
      id: "User",
      endpoint: "/Users",
      schema: USER,
      schemaExtensions: [
        { schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", required: false },
      ],
    });
    expect((await scim("GET", "/ResourceTypes/User")).json).toMatchObject({ id: "User" });

    const schemas = await scim("GET", "/Schemas");
    const ids = (schemas.json.Resources as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toContain(USER);
    const user = await scim("GET", `/Schemas/${encodeURIComponent(USER)}`);
    expect(user.json.id).toBe(USER);
    expect((user.json.attributes as Array<{ name: string }>).map((a) => a.name)).toEqual(
      expect.arrayContaining(["userName", "name", "emails", "active"]),
    );

    const all = await scim("GET", "/Users");
    const total = Number(all.json.totalResults);
    expect(total).toBeGreaterThan(3);
    const page = await scim("GET", "/Users?startIndex=2&count=2");
    expect(page.json).toMatchObject({ schemas: [LIST], totalResults: total, startIndex: 2, itemsPerPage: 2 });
    expect((page.json.Resources as Array<{ id: string }>).map((r) => r.id)).toEqual(
      (all.json.Resources as Array<{ id: string }>).slice(1, 3).map((r) => r.id),
    );
    expect((await scim("GET", "/Users?count=0")).json).toMatchObject({
      totalResults: total,
      itemsPerPage: 0,
    });
    expect((await scim("GET", "/Users?startIndex=0&count=1")).json).toMatchObject({ startIndex: 1 });

    expect((await scim("GET", "/Users/no-such-id")).json).toMatchObject({ schemas: [ERROR], status: "404" });
    expect((await scim("GET", "/Groups")).status).toBe(404);
  });
});
