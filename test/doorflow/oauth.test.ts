import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { DoorFlowError } from "../../src/doorflow/errors.js";
import {
  buildAuthorizeUrl,
  createPkcePair,
  DOORFLOW_SCOPES,
  exchangeAuthorizationCode,
  pkceChallenge,
} from "../../src/doorflow/oauth.js";
import { createDoorFlowMock, type DoorFlowMock, ORIGIN, rejection } from "./support.js";

let mock: DoorFlowMock | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const NOW = new Date("2027-03-28T09:00:00Z");
const exchange = (m: DoorFlowMock) =>
  exchangeAuthorizationCode({
    baseUrl: ORIGIN,
    clientId: "cid_123",
    clientSecret: "csecret_456",
    code: "auth-code-xyz",
    redirectUri: "http://127.0.0.1:53682/callback",
    codeVerifier: "verifier-abc",
    dispatcher: m.agent,
    now: () => NOW,
  });

describe("PKCE", () => {
  it("matches the S256 example of RFC 7636, appendix B", () => {
    expect(pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("makes a fresh 43-character base64url verifier and its challenge each time", () => {
    const a = createPkcePair();
    const b = createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.method).toBe("S256");
    expect(a.challenge).toBe(createHash("sha256").update(a.verifier).digest("base64url"));
    expect(b.verifier).not.toBe(a.verifier);
  });
});

describe("authorize URL", () => {
  it("asks for a code with PKCE, the state and every scope the client needs", () => {
    const url = new URL(
      buildAuthorizeUrl({
        baseUrl: ORIGIN,
        clientId: "cid_123",
        redirectUri: "http://127.0.0.1:53682/callback",
        state: "st-1",
        codeChallenge: "chal",
      }),
    );
    expect(url.origin + url.pathname).toBe(`${ORIGIN}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "cid_123",
      redirect_uri: "http://127.0.0.1:53682/callback",
      scope: DOORFLOW_SCOPES.join(" "),
      state: "st-1",
      code_challenge: "chal",
      code_challenge_method: "S256",
    });
    expect(DOORFLOW_SCOPES).toEqual(expect.arrayContaining(["account.person", "account.sync"]));
  });

  it("takes a narrower scope list when given one", () => {
    const url = new URL(
      buildAuthorizeUrl({
        baseUrl: ORIGIN,
        clientId: "c",
        redirectUri: "http://localhost/cb",
        state: "s",
        codeChallenge: "x",
        scopes: ["account.person.readonly"],
      }),
    );
    expect(url.searchParams.get("scope")).toBe("account.person.readonly");
  });
});

describe("code exchange", () => {
  it("posts the code, verifier and client as a form and returns the pair with its expiry", async () => {
    mock = createDoorFlowMock();
    mock.route(() => ({
      body: {
        access_token: "at-1",
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token: "rt-1",
        scope: "account.person",
        created_at: 1_806_224_400,
      },
    }));
    const tokens = await exchange(mock);
    expect(tokens).toEqual({
      accessToken: "at-1",
      refreshToken: "rt-1",
      expiresAt: new Date(NOW.getTime() + 3_600_000),
      scope: "account.person",
    });
    const sent = mock.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/oauth/token");
    expect(sent.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({
      grant_type: "authorization_code",
      code: "auth-code-xyz",
      redirect_uri: "http://127.0.0.1:53682/callback",
      code_verifier: "verifier-abc",
      client_id: "cid_123",
      client_secret: "csecret_456",
    });
  });

  it("a refused code is doorflow_unauthorized that says to connect again", async () => {
    mock = createDoorFlowMock();
    mock.route(() => ({
      status: 400,
      body: { error: "invalid_grant", error_description: "The provided authorization grant is invalid." },
    }));
    const error = await rejection<DoorFlowError>(exchange(mock));
    expect(error.code).toBe("doorflow_unauthorized");
    expect(error.error).toBe("invalid_grant");
    expect(error.message).toContain("the authorization code");
    expect(error.message).toContain("gatehouse doorflow connect");
  });

  it("a refused client names the variables to check", async () => {
    mock = createDoorFlowMock();
    mock.route(() => ({
      status: 401,
      body: { error: "invalid_client", error_description: "Unknown client." },
    }));
    const error = await rejection<DoorFlowError>(exchange(mock));
    expect(error.code).toBe("doorflow_unauthorized");
    expect(error.message).toContain("DOORFLOW_CLIENT_ID");
    expect(error.message).not.toContain("csecret_456");
  });

  it("an answer without a refresh token cannot be kept: doorflow_bad_response", async () => {
    mock = createDoorFlowMock();
    mock.route(() => ({
      body: { access_token: "at", token_type: "Bearer", expires_in: 3600, created_at: 1 },
    }));
    const error = await rejection<DoorFlowError>(exchange(mock));
    expect(error.code).toBe("doorflow_bad_response");
    expect(error.message).toContain("no refresh token");
  });

  it("a token endpoint that is down stays a retryable server error", async () => {
    mock = createDoorFlowMock();
    mock.route(() => ({ status: 503, body: "" }));
    const error = await rejection<DoorFlowError>(exchange(mock));
    expect(error.code).toBe("doorflow_server");
    expect(error.retryable).toBe(true);
  });
});
