/**
 * The one HTTP server Gatehouse listens on (`PORT`): `GET /healthz` always, `POST /slack/events`
 * in HTTP mode (Bolt's receiver), `POST /webhooks/buzzin` when Buzz-in is configured. Owning the
 * server (rather than letting Bolt start one) keeps health checks up in Socket Mode too and lets
 * shutdown stop taking requests before work drains.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../lib/logger.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** An exact path, or a prefix ending in `/*` (SCIM's `/scim/v2/*` answers its own sub-paths). */
  path: string;
  handler: RouteHandler;
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

export function createHttpServer(routes: Route[], logger: Logger): Server {
  const server = createServer((req, res) => {
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
    Promise.resolve()
      .then(() => route.handler(req, res))
      .catch((error: unknown) => {
        logger.error("http handler failed", { path, error: (error as Error)?.message });
        if (!res.headersSent) sendJson(res, 500, { error: "internal_error" });
        else res.end();
      });
  });
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
