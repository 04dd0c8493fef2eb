/**
 * Hostile input over the two leaver endpoints, against the real bot: whatever the body, headers,
 * path or filter, the answer is never a 5xx, and a refused request writes nothing (no row, no
 * DoorFlow call, no Slack call).
 */
import fc from "fast-check";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hrSignatureHeaders } from "../../src/http/hr-signature.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { effects, type Effects, settle, type RejectionWatch, watchUnhandledRejections } from "./support.js";

const SECRET = "hr-webhook-secret-for-hostile-01";
const TOKEN = "scim-token-for-hostile-tests-0001";
const RUNS = 120;

let s: TestStory;
let rejections: RejectionWatch;
let scimUserId = "";
beforeAll(async () => {
  rejections = watchUnhandledRejections();
  s = await startTestStory({ catchUp: false, env: { HR_WEBHOOK_SECRET: SECRET, SCIM_TOKEN: TOKEN } });
  // A user whose email no DoorFlow person has: a PATCH that deactivates it writes nothing to DoorFlow.
  const created = await send(
    "POST",
    "/scim/v2/Users",
    JSON.stringify({ userName: "ghost@nowhere.example" }),
    {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/scim+json",
    },
  );
  scimUserId = String((JSON.parse(created.text) as { id: string }).id);
  await settle(s);
});
afterAll(async () => {
  await s?.close();
  rejections.stop();
  expect(rejections.seen).toEqual([]);
});

async function send(method: string, path: string, body: string | undefined, headers: Record<string, string>) {
  const res = await request(`${s.gatehouse.http.url}${path}`, {
    method: method as "POST",
    headers,
    ...(body !== undefined && method !== "GET" ? { body } : {}),
  });
  return { status: res.statusCode, text: await res.body.text() };
}

/** Changes made since `before`, once the work a request may have started is over. */
async function changedSince(before: Effects): Promise<Effects> {
  await s.gatehouse.idle();
  const after = effects(s);
  return {
    dbChanges: after.dbChanges - before.dbChanges,
    slackCalls: after.slackCalls - before.slackCalls,
    doorflowCalls: s.doorflow.sandbox.calls.slice(before.doorflowCalls).filter((c) => c.method !== "GET")
      .length,
    logLines: 0,
  };
}
const NOTHING: Effects = { dbChanges: 0, slackCalls: 0, doorflowCalls: 0, logLines: 0 };

const nasty = fc.constantFrom(
  "",
  "\u0000",
  "<!channel>",
  "'; drop table leaver_events; --",
  "\u202e",
  "x".repeat(5000),
  "amelia.hart@harbourside.example",
  "../../etc/passwd",
  "%00",
  "{}",
  "null",
);
const text = fc.oneof(fc.string({ maxLength: 200 }), nasty);
/** What can travel in an HTTP header at all (a client refuses control characters before sending). */
const headerText = fc.oneof(
  fc.string({ unit: "grapheme-ascii", maxLength: 120 }),
  fc.constantFrom(
    "",
    "v1=",
    "v0=abc",
    "Bearer",
    "Bearer ",
    "Basic Z2F0ZTpob3VzZQ==",
    "9999999999999",
    "-1",
    "x".repeat(2000),
  ),
);
const hex64 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 });
const jsonish = fc.oneof(
  text,
  fc.json({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        id: fc.oneof(text, fc.integer(), fc.constant(null)),
        type: fc.oneof(
          text,
          fc.constantFrom("employee.terminated", "employee.termination_cancelled", "Employee.Terminated"),
        ),
        email: fc.oneof(text, fc.emailAddress()),
        last_day: fc.oneof(text, fc.constantFrom("2027-02-30", "2027-13-01", "1999-01-01")),
        name: fc.oneof(text, fc.integer()),
        schemas: fc.array(text, { maxLength: 3 }),
        Operations: fc.oneof(
          text,
          fc.array(
            fc.record({
              op: fc.oneof(text, fc.constantFrom("add", "Replace", "remove", "copy")),
              path: fc.oneof(
                text,
                fc.constantFrom(
                  "active",
                  "emails[type eq",
                  'emails[value eq "x"].type',
                  "name.givenName",
                  "id",
                  "meta",
                ),
              ),
              value: fc.jsonValue({ maxDepth: 2 }),
            }),
            { maxLength: 4 },
          ),
        ),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
);

describe("POST /webhooks/hr under hostile input", () => {
  it("refuses any unsigned or forged request with 401 and writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonish,
        fc.record(
          {
            "x-gatehouse-timestamp": fc.oneof(
              headerText,
              fc.integer().map(String),
              fc.constant(null).map(() => String(Math.floor(Date.now() / 1000))),
            ),
            "x-gatehouse-signature": fc.oneof(
              headerText,
              hex64.map((h) => `v1=${h}`),
            ),
            "content-type": fc.constantFrom("application/json", "text/plain", ""),
          },
          { requiredKeys: [] },
        ),
        async (body, headers) => {
          const before = effects(s);
          const answer = await send("POST", "/webhooks/hr", body, headers);
          expect(answer.status).toBe(401);
          expect(await changedSince(before)).toEqual(NOTHING);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("answers any signed body that is not an HR event with a 4xx naming the problem, writing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(jsonish, async (body) => {
        const before = effects(s);
        const answer = await send("POST", "/webhooks/hr", body, {
          "content-type": "application/json",
          ...hrSignatureHeaders(SECRET, body),
        });
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(answer.status).toBe(400);
          expect(typeof (JSON.parse(answer.text) as { error: unknown }).error).toBe("string");
          expect(await changedSince(before)).toEqual(NOTHING);
        } else {
          // A generated body that happens to be a valid event is recorded: that is the one write.
          expect([200, 202]).toContain(answer.status);
          await settle(s);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("/scim/v2 under hostile input", () => {
  const auth = () => ({ authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" });

  it("refuses anything without the token with 401, writing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
        fc.constantFrom("/scim/v2/Users", `/scim/v2/Users/x`, "/scim/v2/Schemas", "/scim/v2"),
        jsonish,
        fc.oneof(
          fc.constant(undefined),
          headerText.map((t) => `Bearer ${t}`),
          headerText,
        ),
        async (method, path, body, authorization) => {
          const before = effects(s);
          const headers: Record<string, string> = { "content-type": "application/scim+json" };
          if (authorization !== undefined && authorization !== `Bearer ${TOKEN}`)
            headers.authorization = authorization;
          const answer = await send(method, path, body, headers);
          expect(answer.status).toBe(401);
          expect(JSON.parse(answer.text)).toMatchObject({ status: "401" });
          expect(await changedSince(before)).toEqual(NOTHING);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("never answers a 5xx to any method, path, filter or body, and a refusal writes nothing", async () => {
    const path = fc.oneof(
      fc.constantFrom(
        "/scim/v2/Users",
        () => `/scim/v2/Users/${scimUserId}`,
        "/scim/v2/Users/%E0%A4%A",
        "/scim/v2/Groups",
      ),
      text.map((t) => `/scim/v2/Users/${encodeURIComponent(t)}`),
      fc
        .tuple(text, fc.oneof(fc.integer(), text), fc.oneof(fc.integer(), text))
        .map(
          ([filter, start, count]) =>
            `/scim/v2/Users?filter=${encodeURIComponent(filter)}&startIndex=${encodeURIComponent(String(start))}&count=${encodeURIComponent(String(count))}`,
        ),
      fc.constantFrom(
        "/scim/v2/Schemas/x",
        "/scim/v2/ResourceTypes/Nope",
        "/scim/v2/ServiceProviderConfig/1",
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
        path,
        jsonish,
        async (method, p, body) => {
          const target = typeof p === "function" ? p() : p;
          // Deleting the one real user would end the property's use of it; it is deleted in its own test.
          if (method === "DELETE" && target.endsWith(scimUserId)) return;
          const before = effects(s);
          const answer = await send(method, target, body, auth());
          expect(answer.status, `${method} ${target} ${body.slice(0, 200)}`).toBeLessThan(500);
          if (answer.status >= 400) {
            expect(JSON.parse(answer.text)).toMatchObject({
              schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
              status: String(answer.status),
            });
            expect(await changedSince(before)).toEqual(NOTHING);
          } else {
            await settle(s);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
