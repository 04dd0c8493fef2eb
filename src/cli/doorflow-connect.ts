/**
 * `gatehouse doorflow connect`: the one-time OAuth consent. Prints DoorFlow's authorize URL (with
 * PKCE), then takes the code from a localhost callback or from the operator pasting the redirect
 * URL (or the bare code), exchanges it and stores the token pair encrypted in the database.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { createDbTokenStore } from "../db/repositories/doorflow-tokens.js";
import { buildAuthorizeUrl, createPkcePair, exchangeAuthorizationCode } from "../doorflow/oauth.js";
import { GatehouseError } from "../lib/errors.js";
import { type CliContext, openDoorFlowSession } from "./context.js";

export const DEFAULT_REDIRECT_URI = "http://127.0.0.1:8787/callback";

interface Received {
  code: string;
  state?: string;
}

/** Accepts a pasted redirect URL (`…/callback?code=…&state=…`) or a bare code. */
export function parsePastedCode(text: string): Received | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (/^https?:\/\//.test(trimmed)) {
    const url = new URL(trimmed);
    const code = url.searchParams.get("code");
    if (!code) return null;
    return { code, state: url.searchParams.get("state") ?? undefined };
  }
  return { code: trimmed };
}

function waitForCallback(redirectUri: URL): { received: Promise<Received>; server: Server } {
  let resolveReceived: (r: Received) => void = () => {};
  let rejectReceived: (e: Error) => void = () => {};
  const received = new Promise<Received>((resolve, reject) => {
    resolveReceived = resolve;
    rejectReceived = reject;
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", redirectUri);
    if (url.pathname !== redirectUri.pathname) {
      res.writeHead(404).end();
      return;
    }
    const code = url.searchParams.get("code");
    const denied = url.searchParams.get("error");
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    if (code) {
      res.end("Gatehouse is connected to DoorFlow. You can close this window.");
      resolveReceived({ code, state: url.searchParams.get("state") ?? undefined });
    } else {
      res.end("DoorFlow did not grant access. Return to the terminal.");
      rejectReceived(
        new GatehouseError(
          "oauth_denied",
          `DoorFlow did not grant access: ${denied ?? "no code in the callback"}.`,
        ),
      );
    }
  });
  server.listen(Number(redirectUri.port || 80), redirectUri.hostname);
  return { received, server };
}

export async function doorflowConnect(
  { io, env }: CliContext,
  options: { redirectUri?: string; listen?: boolean } = {},
): Promise<number> {
  const session = openDoorFlowSession(env);
  const { doorflow } = session.settings;
  try {
    if (doorflow.auth.kind !== "oauth") {
      io.out("DOORFLOW_ACCESS_TOKEN is set, so Gatehouse uses that fixed token and needs no consent.");
      io.out("To use OAuth instead, unset it and set DOORFLOW_CLIENT_ID and DOORFLOW_CLIENT_SECRET.");
      return 1;
    }
    const redirectUri = new URL(options.redirectUri ?? DEFAULT_REDIRECT_URI);
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
    const local = /^(127\.0\.0\.1|localhost|\[::1\])$/.test(redirectUri.hostname) && options.listen !== false;
    const callback = local ? waitForCallback(redirectUri) : undefined;
    io.out(
      local
        ? `Waiting for DoorFlow to redirect to ${redirectUri.href} … (or paste the redirect URL or the code here)`
        : "Then paste the URL DoorFlow redirected to (or just the code):",
    );
    const pasted = io.readLine("code> ").then((line) => {
      const parsed = line === null ? null : parsePastedCode(line);
      if (!parsed)
        throw new GatehouseError(
          "oauth_no_code",
          "No code was given: run `gatehouse doorflow connect` again.",
        );
      return parsed;
    });
    let received: Received;
    try {
      received = await (callback ? Promise.race([callback.received, pasted]) : pasted);
    } finally {
      callback?.server.close();
    }
    if (received.state !== undefined && received.state !== state) {
      throw new GatehouseError(
        "oauth_state_mismatch",
        "The redirect does not belong to this attempt (state mismatch): run connect again.",
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
    io.out(
      `Connected to DoorFlow account "${account.name}". Tokens are stored encrypted in the database and refresh themselves.`,
    );
    return 0;
  } finally {
    await session.close();
  }
}
