import { afterEach, describe, expect, it } from "vitest";
import { createDbTokenStore } from "../../src/db/repositories/doorflow-tokens.js";
import { oauthAuth, staticTokenAuth } from "../../src/doorflow/auth.js";
import type { DoorFlowError } from "../../src/doorflow/errors.js";
import type { TokenStore } from "../../src/doorflow/token-store.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import {
  closeHarnesses,
  createDoorFlowMock,
  createHarness,
  type DoorFlowMock,
  gate,
  type Harness,
  ORIGIN,
  person,
  rejection,
  until,
} from "./support.js";

const SECRET = "client-secret-for-tests";
const HOUR = 3_600_000;
const NOW = new Date("2027-03-28T09:00:00Z");
let t: TestDatabase | undefined;
afterEach(async () => {
  await closeHarnesses();
  t?.close();
  t = undefined;
});

interface Setup extends Harness {
  store: TokenStore;
  /** The same table read through a second connection, as another process would. */
  otherStore: () => TokenStore;
  tokenHits: () => number;
  clock: { now: Date };
}

/** A client on OAuth tokens kept in a real SQLite database; the access token expires at `expiresAt`. */
function setup(expiresAt: Date): Setup {
  const db = (t = createTestDatabase());
  const store = createDbTokenStore(db.db, { baseUrl: ORIGIN, secret: SECRET });
  store.save({ accessToken: "access-1", refreshToken: "refresh-1", expiresAt, scope: "account.person" });
  const clock = { now: NOW };
  const mock: DoorFlowMock = createDoorFlowMock();
  const auth = oauthAuth({
    baseUrl: ORIGIN,
    clientId: "cid",
    clientSecret: SECRET,
    store,
    dispatcher: mock.agent,
    now: () => clock.now,
  });
  const h = createHarness({ mock, auth });
  return {
    ...h,
    store,
    otherStore: () => createDbTokenStore(db.openAnother(), { baseUrl: ORIGIN, secret: SECRET }),
    tokenHits: () => mock.count("POST", "/oauth/token"),
    clock,
  };
}

function rotated(n: string, expiresIn = 3600) {
  return () => ({
    body: {
      access_token: `access-${n}`,
      token_type: "Bearer",
      expires_in: expiresIn,
      refresh_token: `refresh-${n}`,
      scope: "account.person",
      created_at: 1_806_224_400,
    },
  });
}

describe("refreshing an expired access token", () => {
  it("ten concurrent calls cause exactly one refresh, and all go out with the new token", async () => {
    const s = setup(new Date(NOW.getTime() - 1_000));
    const slowRefresh = gate();
    s.mock.route((req) => {
      if (req.path === "/oauth/token") return { ...rotated("2")(), hold: slowRefresh.promise };
      return req.headers.authorization === "Bearer access-2"
        ? { body: person(1) }
        : { status: 401, body: {} };
    });

    const calls = Array.from({ length: 10 }, () => s.client.getPerson(1));
    await until(() => s.tokenHits() === 1);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    slowRefresh.open();
    await Promise.all(calls);

    expect(s.tokenHits()).toBe(1);
    const gets = s.mock.requests.filter((r) => r.method === "GET");
    expect(gets).toHaveLength(10);
    expect(new Set(gets.map((r) => r.headers.authorization))).toEqual(new Set(["Bearer access-2"]));
    const form = new URLSearchParams(s.mock.requests[0]!.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: "refresh_token",
      refresh_token: "refresh-1",
      client_id: "cid",
      client_secret: SECRET,
    });
  });

  it("saves the rotated pair in the database, encrypted, where another connection reads it", async () => {
    const s = setup(new Date(NOW.getTime() - 1_000));
    s.mock.route((req) => (req.path === "/oauth/token" ? rotated("2", 3600)() : { body: person(1) }));
    await s.client.getPerson(1);
    expect(s.otherStore().load()).toEqual({
      accessToken: "access-2",
      refreshToken: "refresh-2",
      expiresAt: new Date(NOW.getTime() + HOUR),
      scope: "account.person",
    });
    const raw = JSON.stringify(t!.db.$client.prepare("select * from doorflow_tokens").all());
    expect(raw).not.toContain("access-2");
    expect(raw).not.toContain("refresh-2");
  });

  it("keeps the old refresh token when DoorFlow does not send a new one", async () => {
    const s = setup(new Date(NOW.getTime() - 1_000));
    s.mock.route((req) =>
      req.path === "/oauth/token"
        ? { body: { access_token: "access-2", token_type: "Bearer", expires_in: 3600, created_at: 1 } }
        : { body: person(1) },
    );
    await s.client.getPerson(1);
    expect(s.otherStore().load()).toMatchObject({ accessToken: "access-2", refreshToken: "refresh-1" });
  });

  it("refreshes a minute early, so no request leaves with a dying token", async () => {
    const s = setup(new Date(NOW.getTime() + 30_000));
    s.mock.route((req) => (req.path === "/oauth/token" ? rotated("2")() : { body: person(1) }));
    await s.client.getPerson(1);
    expect(s.tokenHits()).toBe(1);
    expect(s.mock.requests.at(-1)?.headers.authorization).toBe("Bearer access-2");
  });

  it("uses a pair another process saved instead of refreshing with a refresh token it replaced", async () => {
    const s = setup(new Date(NOW.getTime() + HOUR));
    s.mock.route((req) =>
      req.path === "/oauth/token" ? { status: 400, body: { error: "invalid_grant" } } : { body: person(1) },
    );
    await s.client.getPerson(1);
    // `gatehouse doorflow connect` in another process stores a new pair; later our token nears expiry.
    s.otherStore().save({
      accessToken: "access-cli",
      refreshToken: "refresh-cli",
      expiresAt: new Date(NOW.getTime() + 3 * HOUR),
    });
    s.clock.now = new Date(NOW.getTime() + HOUR);
    await s.client.getPerson(1);
    expect(s.tokenHits()).toBe(0);
    expect(s.mock.requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer access-1",
      "Bearer access-cli",
    ]);
  });
});

describe("a 401 on a call", () => {
  it("triggers one refresh and one retry of the call", async () => {
    const s = setup(new Date(NOW.getTime() + HOUR));
    s.mock.route((req) => {
      if (req.path === "/oauth/token") return rotated("2")();
      return req.headers.authorization === "Bearer access-2"
        ? { body: person(3) }
        : { status: 401, body: {} };
    });
    await expect(s.client.getPerson(3)).resolves.toMatchObject({ id: 3 });
    expect(
      s.mock.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? ""}`.trim()),
    ).toEqual([
      "GET /api/3/people/3 Bearer access-1",
      "POST /oauth/token",
      "GET /api/3/people/3 Bearer access-2",
    ]);
    expect(s.sleeps).toEqual([]);
  });

  it("ten calls rejected at once share one refresh", async () => {
    const s = setup(new Date(NOW.getTime() + HOUR));
    s.mock.route((req) => {
      if (req.path === "/oauth/token") return rotated("2")();
      return req.headers.authorization === "Bearer access-2"
        ? { body: person(3) }
        : { status: 401, body: {} };
    });
    await Promise.all(Array.from({ length: 10 }, () => s.client.getPerson(3)));
    expect(s.tokenHits()).toBe(1);
  });

  it("stands when the fresh token is refused too: no second refresh, no loop", async () => {
    const s = setup(new Date(NOW.getTime() + HOUR));
    s.mock.route((req) =>
      req.path === "/oauth/token" ? rotated("2")() : { status: 401, body: { error: "invalid_token" } },
    );
    const error = await rejection<DoorFlowError>(s.client.getPerson(3));
    expect(error.code).toBe("doorflow_unauthorized");
    expect(s.tokenHits()).toBe(1);
    expect(s.mock.count("GET", "/api/3/people/3")).toBe(2);
  });

  it("with a fixed token there is nothing to refresh: the 401 is returned at once", async () => {
    const h = createHarness({ auth: staticTokenAuth("fixed") });
    h.mock.route(() => ({ status: 401, body: { error: "invalid_token" } }));
    const error = await rejection<DoorFlowError>(h.client.getAccount());
    expect(error.code).toBe("doorflow_unauthorized");
    expect(error.message).toContain("DOORFLOW_ACCESS_TOKEN");
    expect(h.mock.requests).toHaveLength(1);
  });
});

describe("when refreshing is impossible", () => {
  it("invalid_grant becomes doorflow_unauthorized telling the operator to run `gatehouse doorflow connect`", async () => {
    const s = setup(new Date(NOW.getTime() - 1_000));
    s.mock.route((req) =>
      req.path === "/oauth/token"
        ? {
            status: 400,
            body: { error: "invalid_grant", error_description: "The refresh token is revoked." },
          }
        : { body: person(1) },
    );
    const error = await rejection<DoorFlowError>(s.client.getPerson(1));
    expect(error.code).toBe("doorflow_unauthorized");
    expect(error.error).toBe("invalid_grant");
    expect(error.message).toContain("`gatehouse doorflow connect`");
    expect(error.message).toContain("The refresh token is revoked.");
    expect(s.mock.count("GET", "/api/3/people/1")).toBe(0);
    expect(s.tokenHits()).toBe(1);
    // Nothing half-written: the old pair is still there for a human to replace.
    expect(s.otherStore().load()).toMatchObject({ accessToken: "access-1", refreshToken: "refresh-1" });
  });

  it("with no tokens stored, says Gatehouse is not connected and sends nothing", async () => {
    t = createTestDatabase();
    const mock = createDoorFlowMock();
    mock.route(() => ({ body: {} }));
    const auth = oauthAuth({
      baseUrl: ORIGIN,
      clientId: "cid",
      clientSecret: SECRET,
      store: createDbTokenStore(t.db, { baseUrl: ORIGIN, secret: SECRET }),
      dispatcher: mock.agent,
    });
    const h = createHarness({ mock, auth });
    const error = await rejection<DoorFlowError>(h.client.getAccount());
    expect(error.code).toBe("doorflow_unauthorized");
    expect(error.message).toContain("not connected");
    expect(error.message).toContain("gatehouse doorflow connect");
    expect(mock.requests).toHaveLength(0);
  });
});
