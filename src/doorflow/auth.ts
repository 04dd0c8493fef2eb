/**
 * Where the client's bearer token comes from: a fixed token (sandbox accounts, tests) or OAuth
 * tokens from the database that refresh themselves.
 *
 * DoorFlow rotates the refresh token on every refresh and invalidates the old one, so two refreshes
 * racing each other would leave one of them holding a dead token: refreshing is single-flight, and
 * the new pair is saved (atomically, by the store) before any request uses it.
 */
import type { Dispatcher } from "undici";
import { type Logger, silentLogger } from "../lib/logger.js";
import { DoorFlowError } from "./errors.js";
import { requestTokens } from "./oauth.js";
import type { StoredTokens, TokenStore } from "./token-store.js";

export interface DoorFlowAuth {
  /** The `Authorization` header value, "Bearer …". */
  authorization(): Promise<string>;
  /**
   * Called once when DoorFlow answered 401 to `rejected`. true: a fresh token is ready, retry the
   * request once; false: nothing can be done, the 401 stands.
   */
  refreshAfterUnauthorized(rejected: string): Promise<boolean>;
}

export function staticTokenAuth(token: string): DoorFlowAuth {
  const header = `Bearer ${token}`;
  return {
    authorization: async () => header,
    refreshAfterUnauthorized: async () => false,
  };
}

export interface OAuthAuthOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  store: TokenStore;
  dispatcher?: Dispatcher;
  now?: () => Date;
  /** Refresh this long before the access token expires, so a request never leaves with a dying token. */
  refreshSkewMs?: number;
  logger?: Logger;
}

export function oauthAuth(opts: OAuthAuthOptions): DoorFlowAuth {
  const now = opts.now ?? (() => new Date());
  const skewMs = opts.refreshSkewMs ?? 60_000;
  const logger = opts.logger ?? silentLogger;
  let current: StoredTokens | null = null;
  let refreshing: Promise<StoredTokens> | null = null;

  const expiring = (t: StoredTokens) => t.expiresAt.getTime() - skewMs <= now().getTime();
  const bearer = (t: StoredTokens) => `Bearer ${t.accessToken}`;

  const loaded = (): StoredTokens => {
    current ??= opts.store.load();
    if (!current) throw notConnected();
    return current;
  };

  const refresh = (stale: StoredTokens): Promise<StoredTokens> => {
    refreshing ??= (async () => {
      // Another process (the CLI) may have rotated the pair since we loaded it; use its pair.
      const stored = opts.store.load() ?? stale;
      if (stored.refreshToken !== stale.refreshToken && !expiring(stored)) return stored;
      try {
        const fresh = await requestTokens({
          baseUrl: opts.baseUrl,
          dispatcher: opts.dispatcher,
          now,
          what: "the saved refresh token",
          previousRefreshToken: stored.refreshToken,
          form: {
            grant_type: "refresh_token",
            refresh_token: stored.refreshToken,
            client_id: opts.clientId,
            client_secret: opts.clientSecret,
          },
        });
        opts.store.save(fresh);
        logger.info("doorflow access token refreshed", { expiresAt: fresh.expiresAt.toISOString() });
        return fresh;
      } catch (error) {
        logger.warn("doorflow token refresh failed", { error });
        throw error;
      }
    })()
      .then((fresh) => {
        current = fresh;
        return fresh;
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  return {
    async authorization() {
      let tokens = loaded();
      if (refreshing) tokens = await refreshing;
      else if (expiring(tokens)) tokens = await refresh(tokens);
      return bearer(tokens);
    },

    async refreshAfterUnauthorized(rejected) {
      const tokens = loaded();
      // Someone else already replaced the token this request was sent with.
      if (bearer(tokens) !== rejected) return true;
      await (refreshing ?? refresh(tokens));
      return true;
    },
  };
}

function notConnected(): DoorFlowError {
  return new DoorFlowError({
    code: "doorflow_unauthorized",
    message:
      "Gatehouse is not connected to DoorFlow yet. Run `gatehouse doorflow connect` (or set DOORFLOW_ACCESS_TOKEN).",
    method: "POST",
    path: "/oauth/token",
  });
}
