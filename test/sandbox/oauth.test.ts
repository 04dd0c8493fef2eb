import { describe, expect, it } from "vitest";
import { oauthAuth, staticTokenAuth } from "../../src/doorflow/auth.js";
import { DoorFlowClient } from "../../src/doorflow/client.js";
import type { DoorFlowError } from "../../src/doorflow/errors.js";
import {
  buildAuthorizeUrl,
  createPkcePair,
  exchangeAuthorizationCode,
  requestTokens,
} from "../../src/doorflow/oauth.js";
import type { StoredTokens, TokenStore } from "../../src/doorflow/token-store.js";
import { startTestSandbox } from "./helpers.js";

const CLIENT = { clientId: "gatehouse-test", clientSecret: "s3cret" };
const REDIRECT = "http://127.0.0.1:8787/callback";

async function setup() {
  const t = await startTestSandbox({ oauthClient: CLIENT, token: null, accessTokenTtlSeconds: 3600 });
  const authorize = async (challenge: string, scopes?: readonly string[]) => {
    const url = buildAuthorizeUrl({
      baseUrl: t.url,
      clientId: CLIENT.clientId,
      redirectUri: REDIRECT,
      state: "st-1",
      codeChallenge: challenge,
      scopes,
    });
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("st-1");
    return location.searchParams.get("code") ?? "";
  };
  const exchange = (code: string, codeVerifier: string) =>
    exchangeAuthorizationCode({
      baseUrl: t.url,
      ...CLIENT,
      code,
      redirectUri: REDIRECT,
      codeVerifier,
      now: () => t.sandbox.clock.now(),
    });
  const refresh = (refreshToken: string) =>
    requestTokens({
      baseUrl: t.url,
      what: "the saved refresh token",
      form: {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      },
    });
  const accountWith = (token: string) => t.api("GET", "/api/3/account", { token });
  return { ...t, authorize, exchange, refresh, accountWith };
}

const sandboxPeople = (answer: { status: number; json: unknown }) => {
  expect(answer.status).toBe(200);
  return answer.json;
};

async function refusal(promise: Promise<unknown>): Promise<DoorFlowError> {
  return (await promise.then(
    () => expect.fail("expected DoorFlow to refuse"),
    (error: unknown) => error,
  )) as DoorFlowError;
}

describe("OAuth", () => {
  it("exchanges a code with the right PKCE verifier, once", async () => {
    const { authorize, exchange, accountWith } = await setup();
    const pkce = createPkcePair();
    const code = await authorize(pkce.challenge);
    const tokens = await exchange(code, pkce.verifier);
    expect(tokens.expiresAt.toISOString()).toBe("2027-03-01T10:00:00.000Z");
    expect((await accountWith(tokens.accessToken)).status).toBe(200);

    const reused = await refusal(exchange(code, pkce.verifier));
    expect(reused).toMatchObject({ code: "doorflow_unauthorized", status: 400, error: "invalid_grant" });
  });

  it("refuses a code presented with the wrong verifier", async () => {
    const { authorize, exchange } = await setup();
    const code = await authorize(createPkcePair().challenge);
    const refused = await refusal(exchange(code, createPkcePair().verifier));
    expect(refused).toMatchObject({ status: 400, error: "invalid_grant" });
  });

  it("rotates the refresh token: the old pair stops working, the new one works", async () => {
    const { authorize, exchange, refresh, accountWith } = await setup();
    const pkce = createPkcePair();
    const first = await exchange(await authorize(pkce.challenge), pkce.verifier);
    const second = await refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);

    const replayed = await refusal(refresh(first.refreshToken));
    expect(replayed).toMatchObject({ status: 400, error: "invalid_grant" });
    expect((await accountWith(first.accessToken)).json.error_description).toBe(
      "The access token was revoked",
    );
    expect((await accountWith(second.accessToken)).status).toBe(200);
  });

  it("expires access tokens by the sandbox clock, and the client's OAuth auth refreshes them", async () => {
    const { url, sandbox, authorize, exchange, accountWith } = await setup();
    const pkce = createPkcePair();
    let saved: StoredTokens = await exchange(await authorize(pkce.challenge), pkce.verifier);
    const store: TokenStore = { load: () => saved, save: (t) => (saved = t) };

    sandbox.clock.advance(3600_000);
    const expired = await accountWith(saved.accessToken);
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ error: "invalid_token", error_description: "The access token expired" });

    const auth = oauthAuth({ baseUrl: url, ...CLIENT, store, now: () => sandbox.clock.now() });
    const client = new DoorFlowClient({ baseUrl: url, auth, retry: { maxAttempts: 1 } });
    try {
      expect((await client.getAccount()).name).toBe("Harbourside Works Ltd");
    } finally {
      await client.close();
    }
    expect(sandbox.calls.map((c) => `${c.method} ${c.path} ${c.status}`).slice(-2)).toEqual([
      "POST /oauth/token 200",
      "GET /api/3/account 200",
    ]);
  });

  it("enforces each operation's scope: 403 insufficient_scope for a token without it", async () => {
    const { url, authorize, exchange, api } = await setup();
    const pkce = createPkcePair();
    const code = await authorize(pkce.challenge, ["account.person.readonly", "account.group_reservation"]);
    const { accessToken } = await exchange(code, pkce.verifier);
    const as = (method: string, path: string, body?: unknown) =>
      api(method, path, { token: accessToken, body });

    expect((await as("GET", "/api/3/account")).status).toBe(200);
    expect((await as("GET", "/api/3/people/40201")).status).toBe(200);
    // The write scope covers its read-only twin.
    expect((await as("GET", "/api/3/group_reservations")).status).toBe(200);
    const refused = await as("POST", "/api/3/people", { first_name: "No", last_name: "Scope" });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({
      error: "insufficient_scope",
      error_description: "The access token does not grant the scope this call needs: account.person",
    });
    expect(refused.headers.get("www-authenticate")).toContain('scope="account.person"');
    for (const [method, path] of [
      ["GET", "/api/3/credential_types"],
      ["GET", "/api/3/groups"],
      ["GET", "/api/3/channels"],
      ["GET", "/api/3/reservations"],
      ["DELETE", "/api/3/reservations/1"],
      ["PUT", "/api/3/people/40201/credentials/x"],
      ["POST", "/api/3/sync"],
    ] as const) {
      expect(`${method} ${path} ${(await as(method, path)).status}`).toBe(`${method} ${path} 403`);
    }
    expect(sandboxPeople(await as("GET", "/api/3/people?email=nobody"))).toEqual([]);

    const client = new DoorFlowClient({
      baseUrl: url,
      auth: staticTokenAuth(accessToken),
      retry: { maxAttempts: 1 },
    });
    try {
      const error = await refusal(client.listGroups());
      expect(error).toMatchObject({ code: "doorflow_forbidden", status: 403 });
    } finally {
      await client.close();
    }
  });

  it("refuses an unknown client and the fixed token when it is switched off", async () => {
    const { url, api } = await setup();
    const wrongSecret = await refusal(
      requestTokens({
        baseUrl: url,
        what: "the code",
        form: {
          grant_type: "authorization_code",
          code: "x",
          client_id: CLIENT.clientId,
          client_secret: "nope",
        },
      }),
    );
    expect(wrongSecret).toMatchObject({ status: 401, error: "invalid_client" });
    expect((await api("GET", "/api/3/account", { token: "sandbox" })).status).toBe(401);

    const badClient = await fetch(`${url}/oauth/authorize?client_id=someone&redirect_uri=${REDIRECT}`, {
      redirect: "manual",
    });
    expect(badClient.status).toBe(400);
    expect(badClient.headers.get("content-type")).toMatch(/^text\/html/);
  });
});
