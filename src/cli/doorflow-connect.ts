/**
 * `gatehouse doorflow connect`: the one-time OAuth consent. Prints DoorFlow's authorize URL (with
 * PKCE), then takes the code from a localhost callback or from the operator pasting the redirect
 * URL (or the bare code), exchanges it and stores the token pair encrypted in the database.
 */
import { randomBytes } from "node:crypto";
import { createDbTokenStore } from "../db/repositories/doorflow-tokens.js";
import { buildAuthorizeUrl, createPkcePair, exchangeAuthorizationCode } from "../doorflow/oauth.js";
import { errorMessage, GatehouseError } from "../lib/errors.js";
import type { CliContext, CliIo } from "./context.js";
import { openDoorFlowSession } from "./context.js";
import { type Callback, listenForRedirect, type Redirect, redirectFromUrl } from "./oauth-callback.js";

export const DEFAULT_REDIRECT_URI = "http://127.0.0.1:8787/callback";

/**
 * Accepts a pasted redirect URL (`…/callback?code=…&state=…`) or a bare code. A bare code carries
 * no state (the operator copied only the code); a URL always should, since we sent one.
 */
function parsePastedCode(text: string): Redirect | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return redirectFromUrl(new URL(trimmed));
    } catch {
      return null;
    }
  }
  return /^[\w.~+/=-]+$/.test(trimmed) ? { code: trimmed, state: undefined } : null;
}

const isLoopback = (url: URL) => /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname);

/**
 * The first answer from the browser or the terminal. End of input on the terminal (stdin closed or
 * not a terminal) is not an answer while the browser can still come back.
 */
async function firstRedirect(io: CliIo, callback: Callback | undefined): Promise<Redirect> {
  const stopReading = new AbortController();
  const pasted = (async (): Promise<Redirect | null> => {
    for (;;) {
      const line = await io.readLine("code> ", stopReading.signal);
      if (line === null) return null;
      const parsed = parsePastedCode(line);
      if (parsed) return parsed;
      if (line.trim() !== "") io.err("That is neither the redirect URL nor a code; paste it again.");
    }
  })();
  // Whichever loses must not surface later as an unhandled rejection.
  pasted.catch(() => {});
  const fromTerminal = pasted.then((r) => r ?? (callback ? new Promise<Redirect>(() => {}) : null));
  try {
    const first = await (callback ? Promise.race([callback.received, fromTerminal]) : fromTerminal);
    if (!first)
      throw new GatehouseError("oauth_no_code", "No code was given: run `gatehouse doorflow connect` again.");
    return first;
  } finally {
    stopReading.abort();
  }
}

export async function doorflowConnect(
  { io, env }: CliContext,
  options: { redirectUri?: string; listen?: boolean } = {},
): Promise<number> {
  const session = openDoorFlowSession({ io, env });
  const { doorflow } = session.settings;
  let callback: Callback | undefined;
  try {
    if (doorflow.auth.kind !== "oauth") {
      io.err("DOORFLOW_ACCESS_TOKEN is set, so Gatehouse uses that fixed token and needs no consent.");
      io.err("To use OAuth instead, unset it and set DOORFLOW_CLIENT_ID and DOORFLOW_CLIENT_SECRET.");
      return 1;
    }
    const redirectUri = new URL(options.redirectUri ?? DEFAULT_REDIRECT_URI);
    if (isLoopback(redirectUri) && options.listen !== false) {
      try {
        callback = await listenForRedirect(redirectUri);
      } catch (error) {
        io.err(`${errorMessage(error)}. Paste the redirect URL instead.`);
      }
    }
    const pkce = createPkcePair();
    const state = randomBytes(16).toString("base64url");
    const url = buildAuthorizeUrl({
      baseUrl: doorflow.baseUrl,
      clientId: doorflow.auth.clientId,
      redirectUri: redirectUri.toString(),
      state,
      codeChallenge: pkce.challenge,
    });
    io.out(
      "Open this URL in a browser signed in to DoorFlow as an account administrator and approve Gatehouse:",
    );
    io.out(`  ${url}`);
    io.out(
      callback
        ? `Waiting for DoorFlow to redirect to ${redirectUri.href} … (or paste the redirect URL or the code here)`
        : "Then paste the URL DoorFlow redirected to (or just the code):",
    );

    const received = await firstRedirect(io, callback);
    if (received.state !== undefined && received.state !== state) {
      throw new GatehouseError(
        "oauth_state_mismatch",
        "The redirect does not belong to this attempt (state mismatch): run `gatehouse doorflow connect` again and use the URL it prints.",
      );
    }
    if ("error" in received) {
      throw new GatehouseError(
        "oauth_denied",
        `DoorFlow did not grant access (${received.error}${received.description ? `: ${received.description}` : ""}). Approve Gatehouse as an account administrator, then run \`gatehouse doorflow connect\` again.`,
      );
    }
    const tokens = await exchangeAuthorizationCode({
      baseUrl: doorflow.baseUrl,
      clientId: doorflow.auth.clientId,
      clientSecret: doorflow.auth.clientSecret,
      code: received.code,
      redirectUri: redirectUri.toString(),
      codeVerifier: pkce.verifier,
    });
    createDbTokenStore(session.db, { baseUrl: doorflow.baseUrl, secret: doorflow.auth.clientSecret }).save(
      tokens,
    );
    const account = await session.client.getAccount();
    await callback?.finish(true, "Gatehouse is connected to DoorFlow. You can close this window.");
    io.out(
      `Connected to DoorFlow account "${account.name}". Tokens are stored encrypted in the database and refresh themselves.`,
    );
    return 0;
  } catch (error) {
    await callback?.finish(false, `Gatehouse is not connected: ${errorMessage(error)}`);
    throw error;
  } finally {
    await session.close();
  }
}
