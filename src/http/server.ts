/**
 * The one HTTP server Gatehouse listens on (`PORT`): `GET /healthz` always, `POST /slack/events`
 * in HTTP mode (Bolt's receiver), `POST /webhooks/buzzin` when Buzz-in is configured. Owning the
 * server (rather than letting Bolt start one) keeps health checks up in Socket Mode too and lets
 * shutdown stop taking requests before work drains.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../lib/logger.js";

type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** An exact path, or a prefix ending in `/*` (SCIM's `/scim/v2/*` answers its own sub-paths). */
  path: string;
  handler: RouteHandler;
  /** A declared body larger than this is answered 413 before the handler runs or a byte is read. */
  maxBodyBytes?: number;
}

function pathMatches(route: Route, path: string): boolean {
  if (!route.path.endsWith("/*")) return route.path === path;
  const base = route.path.slice(0, -2);
  return path === base || path.startsWith(`${base}/`);
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * What the server grants a connection before anyone is authenticated. Node's defaults (300 s for a
 * request, no connection cap, limits checked every 30 s) let a few hundred idle or slow sockets hold
 * memory and descriptors for minutes. Slack needs an answer within 3 s anyway, so a request still
 * arriving after 15 s is not Slack. The cap stays well above what Slack and the webhooks use at
 * once, so /healthz is still answered while a hundred connections are held; each body route bounds
 * its own size (Slack 256 KB: src/slack/app.ts; Buzz-in 64 KB).
 */
export const INTAKE_LIMITS = {
  /** The request line and headers must have arrived within this long. */
  headersTimeoutMs: 10_000,
  /** The whole request, body included, within this long; then 408 and the connection is closed. */
  requestTimeoutMs: 15_000,
  /** Connections beyond this are closed as soon as they are accepted. */
  maxConnections: 256,
  /** How often Node looks for requests past their time (its default is 30 s). */
  checkEveryMs: 1_000,
};

export type IntakeLimits = typeof INTAKE_LIMITS;

export function createHttpServer(
  routes: Route[],
  logger: Logger,
  limits: IntakeLimits = INTAKE_LIMITS,
): Server {
  const options = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkEveryMs,
  };
  const server = createServer(options, (req, res) => {
    // Answered before its body was all received (413, a refused token): Node would go on reading
    // the rest, megabytes an unauthenticated sender chooses, or hold the paused connection until
    // the request timeout. The answer is flushed, then the connection is closed.
    const socket = req.socket;
    res.once("finish", () => {
      if (!req.complete) socket.destroySoon();
    });
    // Shutting down: a request on a kept-alive connection is refused like a new connection would be.
    if (!server.listening) {
      res.setHeader("connection", "close");
      sendJson(res, 503, { error: "shutting_down" });
      return;
    }
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes.find((r) => pathMatches(r, path) && r.method === req.method);
    if (!route) {
      const known = routes.some((r) => pathMatches(r, path));
      sendJson(res, known ? 405 : 404, { error: known ? "method_not_allowed" : "not_found" });
      return;
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (route.maxBodyBytes !== undefined && declared > route.maxBodyBytes) {
      res.setHeader("connection", "close");
      sendJson(res, 413, { error: "payload_too_large", maxBytes: route.maxBodyBytes });
      return;
    }
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch((error: unknown) => {
        logger.error("http handler failed", { path, error: (error as Error)?.message });
        if (!res.headersSent) sendJson(res, 500, { error: "internal_error" });
        else res.end();
      });
  });
  server.maxConnections = limits.maxConnections;
  server.on("drop", (data?: { remoteAddress?: string }) =>
    logger.warn("refused a connection: too many open", {
      remote: data?.remoteAddress,
      max: limits.maxConnections,
    }),
  );
  return server;
}

export async function listen(server: Server, port: number, host?: string): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    url: `http://${host ?? "127.0.0.1"}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
