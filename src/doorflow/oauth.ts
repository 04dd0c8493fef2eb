/**
 * OAuth 2.0 with PKCE against DoorFlow (/oauth/authorize, /oauth/token), used by
 * `gatehouse doorflow connect` for the one-time consent and by auth.ts to refresh.
 */
import { createHash, randomBytes } from "node:crypto";
import { type Dispatcher, request } from "undici";
import { headerValue } from "../lib/http/failures.js";
import { DoorFlowError, errorFromBadBody, errorFromResponse, errorFromTransport } from "./errors.js";
import { tokenResponseSchema } from "./schemas.js";
import type { StoredTokens } from "./token-store.js";

/**
 * The scopes the calls in client.ts need, as listed per operation in DoorFlow's spec
 * (GET /api/3/account needs none beyond a valid token).
 */
export const DOORFLOW_SCOPES: readonly string[] = Object.freeze([
  "account.person.readonly",
  "account.person",
  "account.credential_type.readonly",
  "account.channel.readonly",
  "account.group.readonly",
  "account.reservation.readonly",
  "account.reservation",
  "account.group_reservation.readonly",
  "account.group_reservation",
  "account.sync",
]);

const TOKEN_PATH = "/oauth/token";

function base64url(buf: Buffer): string {
  return buf.toString("base64url");
}

/** A PKCE verifier (43 characters from 32 random bytes) and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string; method: "S256" } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: pkceChallenge(verifier), method: "S256" };
}

/** BASE64URL(SHA256(verifier)), as DoorFlow checks it at /oauth/token. */
export function pkceChallenge(verifier: string): string {
  return base64url(createHash("sha256").update(verifier, "ascii").digest());
}

export function buildAuthorizeUrl(o: {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes?: readonly string[];
}): string {
  const url = new URL("/oauth/authorize", o.baseUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    scope: (o.scopes ?? DOORFLOW_SCOPES).join(" "),
    state: o.state,
    code_challenge: o.codeChallenge,
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

export async function exchangeAuthorizationCode(o: {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
  dispatcher?: Dispatcher;
  now?: () => Date;
}): Promise<StoredTokens> {
  return requestTokens({
    baseUrl: o.baseUrl,
    dispatcher: o.dispatcher,
    now: o.now,
    what: "the authorization code",
    form: {
      grant_type: "authorization_code",
      code: o.code,
      redirect_uri: o.redirectUri,
      code_verifier: o.codeVerifier,
      client_id: o.clientId,
      client_secret: o.clientSecret,
    },
  });
}

export interface TokenRequest {
  baseUrl: string;
  form: Record<string, string>;
  /** "the authorization code" or "the saved refresh token", for messages. */
  what: string;
  dispatcher?: Dispatcher;
  now?: () => Date;
  /** Kept when DoorFlow does not rotate the refresh token. */
  previousRefreshToken?: string;
  timeoutMs?: number;
}

/** POST /oauth/token. A refused grant or client becomes doorflow_unauthorized naming the fix. */
export async function requestTokens(o: TokenRequest): Promise<StoredTokens> {
  const now = o.now ?? (() => new Date());
  const ctx = { method: "POST", path: TOKEN_PATH, doing: "exchange", what: o.what };
  let status: number;
  let text: string;
  let headers: Record<string, string | string[] | undefined>;
  try {
    const res = await request(new URL(TOKEN_PATH, o.baseUrl), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(o.form).toString(),
      dispatcher: o.dispatcher,
      headersTimeout: o.timeoutMs ?? 15_000,
      bodyTimeout: o.timeoutMs ?? 15_000,
    });
    status = res.statusCode;
    headers = res.headers;
    text = await res.body.text();
  } catch (cause) {
    throw errorFromTransport(ctx, cause, o.baseUrl);
  }

  if (status < 200 || status > 299) throw tokenError(ctx, status, text, headers);
  const requestId = headerValue(headers["x-request-id"]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw errorFromBadBody(ctx, status, "the body is not JSON", requestId, cause);
  }
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) throw errorFromBadBody(ctx, status, "no access token in the answer", requestId);
  const refreshToken = parsed.data.refresh_token ?? o.previousRefreshToken;
  if (!refreshToken) throw errorFromBadBody(ctx, status, "no refresh token in the answer", requestId);
  return {
    accessToken: parsed.data.access_token,
    refreshToken,
    expiresAt: new Date(now().getTime() + parsed.data.expires_in * 1000),
    scope: parsed.data.scope ?? null,
  };
}

const RECONNECT = "Run `gatehouse doorflow connect` to connect Gatehouse to DoorFlow again.";

function tokenError(
  ctx: { method: string; path: string; doing: string; what: string },
  status: number,
  text: string,
  headers: Record<string, string | string[] | undefined>,
): DoorFlowError {
  const mapped = errorFromResponse(ctx, status, text, headers);
  if (status !== 400 && status !== 401) return mapped;
  const why = mapped.description ?? mapped.error ?? "refused";
  const message =
    mapped.error === "invalid_client" || status === 401
      ? `DoorFlow refused Gatehouse's OAuth client (${mapped.error ?? status}: ${why}). Check DOORFLOW_CLIENT_ID and DOORFLOW_CLIENT_SECRET, then ${RECONNECT.charAt(0).toLowerCase()}${RECONNECT.slice(1)}`
      : `DoorFlow refused ${ctx.what} (${mapped.error ?? status}: ${why}). ${RECONNECT}`;
  return new DoorFlowError({
    code: "doorflow_unauthorized",
    message,
    method: ctx.method,
    path: ctx.path,
    status,
    error: mapped.error,
    description: mapped.description,
    requestId: mapped.requestId,
    body: mapped.body,
  });
}
