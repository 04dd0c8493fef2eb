/**
 * Bearer tokens for /api/3: the fixed sandbox token, or an OAuth access token that is neither
 * expired (by the sandbox clock) nor revoked. Refreshing rotates the pair: the old refresh token
 * and the access token issued with it stop working at once, as in DoorFlow.
 */
import { errorResponse } from "./respond.js";
import { secretToken } from "./random.js";
import type { SandboxContext } from "./router.js";
import type { SandboxAccessToken, SandboxResponse } from "./types.js";

export type Bearer = { kind: "fixed" } | { kind: "oauth"; token: SandboxAccessToken };

function unauthorized(description: string): SandboxResponse {
  return errorResponse(401, "invalid_token", description, {
    "www-authenticate": `Bearer realm="DoorFlow", error="invalid_token", error_description="${description}"`,
  });
}

function bearerOf(headers: Record<string, string | undefined>): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return m?.[1];
}

export function authenticate(
  ctx: SandboxContext,
  headers: Record<string, string | undefined>,
): Bearer | SandboxResponse {
  const presented = bearerOf(headers);
  if (presented === undefined) return unauthorized("The access token is missing");
  if (ctx.settings.token !== null && presented === ctx.settings.token) return { kind: "fixed" };
  const token = ctx.state.tokens.accessTokens.get(presented);
  if (!token) return unauthorized("The access token is invalid");
  if (token.revoked) return unauthorized("The access token was revoked");
  if (token.expiresAt <= ctx.now) return unauthorized("The access token expired");
  return { kind: "oauth", token };
}

/**
 * Whether a token granted `granted` (space-separated) may call an operation needing `needed`. The
 * write scope covers its `.readonly` twin, as DoorFlow's docs say ("Scopes required:
 * account.person.readonly or account.person").
 */
export function scopeAllows(granted: string, needed: string): boolean {
  const scopes = new Set(granted.split(/\s+/).filter(Boolean));
  return (
    scopes.has(needed) || (needed.endsWith(".readonly") && scopes.has(needed.slice(0, -".readonly".length)))
  );
}

/**
 * RFC 6750 section 3.1: a valid token without the scope the call needs is answered 403
 * `insufficient_scope`, in DoorFlow's `{error, error_description}` shape.
 */
export function insufficientScope(needed: string): SandboxResponse {
  const description = `The access token does not grant the scope this call needs: ${needed}`;
  return errorResponse(403, "insufficient_scope", description, {
    "www-authenticate": `Bearer realm="DoorFlow", error="insufficient_scope", error_description="${description}", scope="${needed}"`,
  });
}

export interface IssuedTokens {
  access: SandboxAccessToken;
  refreshToken: string;
}

export function issueTokens(ctx: SandboxContext, clientId: string, scope: string): IssuedTokens {
  const { tokens } = ctx.state;
  const refreshToken = secretToken();
  const access: SandboxAccessToken = {
    token: secretToken(),
    clientId,
    scope,
    createdAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + ctx.settings.accessTokenTtlSeconds * 1000),
    refreshToken,
    revoked: false,
  };
  tokens.accessTokens.set(access.token, access);
  tokens.refreshTokens.set(refreshToken, {
    token: refreshToken,
    clientId,
    scope,
    createdAt: ctx.now,
    revokedAt: null,
  });
  return { access, refreshToken };
}

/** Revokes a refresh token and every access token issued with it. */
export function revokeRefreshToken(ctx: SandboxContext, refreshToken: string): void {
  const { tokens } = ctx.state;
  const stored = tokens.refreshTokens.get(refreshToken);
  if (stored && stored.revokedAt === null) stored.revokedAt = ctx.now;
  for (const access of tokens.accessTokens.values()) {
    if (access.refreshToken === refreshToken) access.revoked = true;
  }
}

export function tokenBody(ctx: SandboxContext, issued: IssuedTokens): Record<string, unknown> {
  return {
    access_token: issued.access.token,
    token_type: "Bearer",
    expires_in: ctx.settings.accessTokenTtlSeconds,
    refresh_token: issued.refreshToken,
    scope: issued.access.scope,
    created_at: Math.floor(issued.access.createdAt.getTime() / 1000),
  };
}
