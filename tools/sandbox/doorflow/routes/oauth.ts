/**
 * OAuth 2.0 with PKCE, as DoorFlow (Doorkeeper) does it. /oauth/authorize approves at once (a
 * sandbox has nobody to click "Authorize") and redirects with a code that lasts 10 minutes and
 * works once; /oauth/token exchanges it (checking the S256 verifier) or a refresh token, which
 * rotates. A bad client id or redirect URI gets an HTML page, other problems a redirect.
 */
import { pkceChallenge, secretToken } from "../random.js";
import { errorResponse, json } from "../respond.js";
import { isRecord, type Route, type RouteHandler, type SandboxContext } from "../router.js";
import { authenticate, issueTokens, revokeRefreshToken, tokenBody } from "../tokens.js";
import type { SandboxResponse } from "../types.js";

const CODE_TTL_MS = 10 * 60_000;
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function htmlError(title: string, description: string): SandboxResponse {
  const body = `<!doctype html><title>${title}</title><h1>${title}</h1><p>${description}</p>`;
  return { status: 400, headers: { "content-type": "text/html; charset=utf-8" }, body };
}

function redirect(to: URL): SandboxResponse {
  return {
    status: 302,
    headers: { location: to.toString(), "content-type": "text/html; charset=utf-8" },
    body: "",
  };
}

function clientMatches(ctx: SandboxContext, clientId: string, secret?: string): boolean {
  const registered = ctx.settings.oauthClient;
  if (!registered) return clientId !== "";
  return clientId === registered.clientId && (secret === undefined || secret === registered.clientSecret);
}

const authorize: RouteHandler = (ctx, req) => {
  const q = req.query;
  const clientId = q.get("client_id") ?? "";
  if (!clientMatches(ctx, clientId))
    return htmlError("invalid_client", "Client authentication failed: unknown client.");
  let target: URL;
  try {
    target = new URL(q.get("redirect_uri") ?? "");
  } catch {
    return htmlError("invalid_redirect_uri", "The redirect URI included is not valid.");
  }
  const state = q.get("state");
  const refuse = (error: string, description: string) => {
    target.searchParams.set("error", error);
    target.searchParams.set("error_description", description);
    if (state !== null) target.searchParams.set("state", state);
    return redirect(target);
  };
  if (q.get("response_type") !== "code") {
    return refuse(
      "unsupported_response_type",
      "The authorization server does not support this response type.",
    );
  }
  const scope = q.get("scope")?.trim() ?? "";
  if (scope === "") return refuse("invalid_request", "Missing required parameter: scope.");
  const challenge = q.get("code_challenge");
  if (challenge !== null && q.get("code_challenge_method") !== "S256") {
    return refuse("invalid_request", "code_challenge_method must be S256.");
  }

  const code = secretToken(24);
  ctx.state.tokens.codes.set(code, {
    code,
    clientId,
    redirectUri: target.toString(),
    scope,
    codeChallenge: challenge,
    expiresAt: new Date(ctx.now.getTime() + CODE_TTL_MS),
    used: false,
  });
  target.searchParams.set("code", code);
  if (state !== null) target.searchParams.set("state", state);
  return redirect(target);
};

/** Client credentials from HTTP Basic or from the form, as Doorkeeper accepts both. */
function clientCredentials(
  req: { headers: Record<string, string | undefined> },
  form: Record<string, unknown>,
) {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const at = decoded.indexOf(":");
    if (at > 0) return { clientId: decoded.slice(0, at), secret: decoded.slice(at + 1) };
  }
  const clientId = typeof form.client_id === "string" ? form.client_id : "";
  const secret = typeof form.client_secret === "string" ? form.client_secret : undefined;
  return { clientId, secret };
}

function sameUri(registered: string, given: string): boolean {
  try {
    return new URL(given).toString() === registered;
  } catch {
    return false;
  }
}

const invalidGrant = () =>
  errorResponse(
    400,
    "invalid_grant",
    "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
  );

const token: RouteHandler = (ctx, req) => {
  const form = isRecord(req.body) ? req.body : {};
  const { clientId, secret } = clientCredentials(req, form);
  if (!clientMatches(ctx, clientId, ctx.settings.oauthClient ? (secret ?? "") : secret)) {
    return errorResponse(
      401,
      "invalid_client",
      "Client authentication failed due to unknown client or no client authentication.",
    );
  }
  const param = (name: string) => (typeof form[name] === "string" ? form[name] : "");
  const grant = param("grant_type");
  if (grant === "") return errorResponse(400, "invalid_request", "Missing required parameter: grant_type.");

  if (grant === "authorization_code") {
    if (param("code") === "")
      return errorResponse(400, "invalid_request", "Missing required parameter: code.");
    const code = ctx.state.tokens.codes.get(param("code"));
    if (!code || code.used || code.expiresAt <= ctx.now || code.clientId !== clientId) return invalidGrant();
    if (!sameUri(code.redirectUri, param("redirect_uri"))) return invalidGrant();
    if (code.codeChallenge !== null) {
      if (param("code_verifier") === "") {
        return errorResponse(400, "invalid_request", "Missing required parameter: code_verifier.");
      }
      if (pkceChallenge(param("code_verifier")) !== code.codeChallenge) return invalidGrant();
    }
    code.used = true;
    return json(200, tokenBody(ctx, issueTokens(ctx, clientId, code.scope)), NO_STORE);
  }

  if (grant === "refresh_token") {
    if (param("refresh_token") === "")
      return errorResponse(400, "invalid_request", "Missing required parameter: refresh_token.");
    const stored = ctx.state.tokens.refreshTokens.get(param("refresh_token"));
    if (!stored || stored.revokedAt !== null || stored.clientId !== clientId) return invalidGrant();
    revokeRefreshToken(ctx, stored.token);
    return json(200, tokenBody(ctx, issueTokens(ctx, clientId, stored.scope)), NO_STORE);
  }

  return errorResponse(
    400,
    "unsupported_grant_type",
    "The authorization grant type is not supported by the authorization server.",
  );
};

/** Always 200 for an unknown token (the spec's guard against token scanning). */
const revoke: RouteHandler = (ctx, req) => {
  const form = isRecord(req.body) ? req.body : {};
  const basic = /^Basic\s+\S+$/i.test(req.headers.authorization ?? "");
  const { clientId, secret } = clientCredentials(req, {});
  if (!basic || !clientMatches(ctx, clientId, secret ?? "")) {
    return errorResponse(403, "unauthorized_client", "You are not authorized to revoke this token");
  }
  const value = typeof form.token === "string" ? form.token : "";
  const { tokens } = ctx.state;
  const owner = tokens.refreshTokens.get(value)?.clientId ?? tokens.accessTokens.get(value)?.clientId;
  if (owner !== undefined && owner !== clientId) {
    return errorResponse(403, "unauthorized_client", "You are not authorized to revoke this token");
  }
  if (tokens.refreshTokens.has(value)) revokeRefreshToken(ctx, value);
  const access = tokens.accessTokens.get(value);
  if (access) access.revoked = true;
  return json(200, {});
};

const tokenInfo: RouteHandler = (ctx, req) => {
  const bearer = authenticate(ctx, req.headers);
  if ("status" in bearer) return bearer;
  if (bearer.kind === "fixed")
    return errorResponse(401, "invalid_token", "The sandbox's fixed token is not an OAuth token");
  const { token: t } = bearer;
  return json(200, {
    resource_owner_id: ctx.state.account.user.id,
    account_id: ctx.state.account.id,
    scope: t.scope.split(/\s+/).filter(Boolean),
    expires_in: Math.max(0, Math.floor((t.expiresAt.getTime() - ctx.now.getTime()) / 1000)),
    application: { uid: t.clientId },
    created_at: Math.floor(t.createdAt.getTime() / 1000),
  });
};

export const oauthRoutes: Route[] = [
  { method: "GET", pattern: "/oauth/authorize", handler: authorize },
  { method: "POST", pattern: "/oauth/token", handler: token },
  { method: "POST", pattern: "/oauth/revoke", handler: revoke },
  { method: "GET", pattern: "/oauth/token/info", handler: tokenInfo },
];
