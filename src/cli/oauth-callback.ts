/**
 * The localhost end of `gatehouse doorflow connect`: a one-shot HTTP server at the redirect URI that
 * takes DoorFlow's `?code=…&state=…`, and answers the browser only once the code has been exchanged,
 * so the page never says "connected" for an attempt that then failed.
 */
import { createServer, type ServerResponse } from "node:http";
import { GatehouseError } from "../lib/errors.js";

/**
 * What DoorFlow sent back: a code, or a refusal (`error=access_denied`, …). `state` is undefined
 * only for a bare code the operator pasted, which has none to compare.
 */
export type Redirect =
  | { code: string; state: string | undefined }
  | { error: string; description: string | undefined; state: string };

export interface Callback {
  /** The first redirect that reached the callback path. */
  received: Promise<Redirect>;
  /** Tells the waiting browser how it ended, then stops listening. */
  finish(ok: boolean, text: string): Promise<void>;
}

/** Reads a redirect URL's query; `null` when it carries neither a code nor an error. */
export function redirectFromUrl(url: URL): Redirect | null {
  // A redirect without a state is not one of ours; "" never matches the state we sent.
  const state = url.searchParams.get("state") ?? "";
  const code = url.searchParams.get("code");
  if (code) return { code, state };
  const error = url.searchParams.get("error");
  if (error) return { error, description: url.searchParams.get("error_description") ?? undefined, state };
  return null;
}

/**
 * Listens on the redirect URI's host and port. Rejects (instead of crashing the process with an
 * unhandled 'error' event) when the port is taken, so the caller can fall back to pasting.
 */
export async function listenForRedirect(redirectUri: URL): Promise<Callback> {
  let waiting: ServerResponse | undefined;
  let finished = false;
  let deliver: (r: Redirect) => void = () => {};
  const received = new Promise<Redirect>((resolve) => {
    deliver = resolve;
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", redirectUri);
    const redirect = url.pathname === redirectUri.pathname ? redirectFromUrl(url) : null;
    if (!redirect || waiting || finished) {
      // A favicon, a reload, or a second tab: only the first redirect counts.
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not the DoorFlow redirect.");
      return;
    }
    waiting = res;
    deliver(redirect);
  });

  // URL keeps the brackets of an IPv6 literal ("[::1]"); listen() wants the bare address.
  const host = redirectUri.hostname.replace(/^\[(.*)\]$/, "$1");
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new GatehouseError(
          "oauth_callback_unavailable",
          `Cannot listen on ${redirectUri.host} for DoorFlow's redirect: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    server.listen(Number(redirectUri.port || 80), host, () => resolve());
  });

  return {
    received,
    finish: (ok, text) =>
      new Promise<void>((resolve) => {
        if (finished) {
          resolve();
          return;
        }
        finished = true;
        waiting
          ?.writeHead(ok ? 200 : 400, { "content-type": "text/plain; charset=utf-8", connection: "close" })
          .end(text);
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
