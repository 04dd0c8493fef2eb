/**
 * A local stand-in for Slack's Web API: a node:http server on loopback that answers
 * `POST <url><method>` (form-encoded or JSON, bearer token) like slack.com/api does, records every
 * call, and can be told to fail (429 with Retry-After, 5xx, or `{ok: false, error}`). Point the
 * Bolt app's WebClient at `url` (SLACK_API_URL). It also serves the response URLs the driver puts
 * into payloads, under `/response/<id>`, recorded as calls with method "response_url".
 */
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
  createServer,
} from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type Args, type MethodHandler, decodeNested, fail } from "./args.js";
import { handleResponseUrl, messageMethods } from "./methods-messages.js";
import { viewAndUserMethods } from "./methods-views.js";
import type { Json } from "./shapes.js";
import type { FaultRule, ResponseTarget, SlackCall, StandInView, StoredMessage } from "./types.js";
import { Workspace, type WorkspaceOptions } from "./workspace.js";

export type { SlackCall } from "./types.js";

export interface SlackStandInOptions extends WorkspaceOptions {
  port?: number;
  host?: string;
  /** Delay before every answer, to exercise timeouts and Slack's 3-second acknowledgement budget. */
  latencyMs?: number;
  /** A further delay for these methods only (e.g. a slow `usergroups.users.list`). */
  methodLatencyMs?: Record<string, number>;
  /** When given, only these tokens are accepted (others get `invalid_auth`); otherwise any token is. */
  tokens?: string[];
  now?: () => Date;
}

export interface SlackStandIn {
  /** Ends with `/api/`: use it as SLACK_API_URL / WebClient `slackApiUrl`. */
  url: string;
  origin: string;
  teamId: string;
  botUserId: string;
  botId: string;
  appId: string;
  workspace: Workspace;
  calls: SlackCall[];
  views: Map<string, StandInView>;
  faults: { add(rule: FaultRule): () => void; clear(): void };
  /**
   * Called as each request arrives, before it is answered (the crash suite kills the bot there);
   * returns the function that stops listening.
   */
  onCall(listener: (method: string) => void): () => void;
  /** The first recorded call (past or future) to `method` whose args satisfy `predicate`. */
  waitFor(method: string, predicate?: (args: Args) => boolean, timeoutMs?: number): Promise<SlackCall>;
  callsTo(method: string): SlackCall[];
  /** Messages not deleted, oldest first, optionally in one conversation; ephemeral ones included. */
  messages(channel?: string): StoredMessage[];
  /** A response URL on this stand-in that acts on `target` (used by the driver). */
  responseUrl(target: ResponseTarget): string;
  /** Remember who a trigger id belongs to, so views opened with it know their user. */
  registerTrigger(triggerId: string, userId: string): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

interface Waiter {
  match: (call: SlackCall) => boolean;
  resolve: (call: SlackCall) => void;
  reject: (error: Error) => void;
}

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const now = options.now ?? (() => new Date());
  const ws = new Workspace(options, now);
  const handlers: Record<string, MethodHandler> = { ...messageMethods(ws), ...viewAndUserMethods(ws) };
  const calls: SlackCall[] = [];
  const rules: { rule: FaultRule; remaining: number }[] = [];
  const waiters = new Set<Waiter>();
  const arrivals = new Set<(method: string) => void>();
  let responseCounter = 0;

  const record = (call: SlackCall) => {
    calls.push(call);
    for (const w of [...waiters]) {
      if (w.match(call)) {
        waiters.delete(w);
        w.resolve(call);
      }
    }
  };

  const takeFault = (method: string): FaultRule | undefined => {
    const index = rules.findIndex((r) => r.rule.method === method || r.rule.method === "*");
    const entry = rules[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) rules.splice(index, 1);
    return entry.rule;
  };

  const answer = (method: string, args: Args, token: string | undefined, path: string) => {
    const fault = takeFault(method);
    if (fault) return faultAnswer(fault);
    if (method === "response_url") return { ...handleResponseUrl(ws, path.split("/").pop() ?? "", args) };
    if (token === undefined) return { status: 200, body: fail("not_authed") };
    if (options.tokens && !options.tokens.includes(token)) return { status: 200, body: fail("invalid_auth") };
    const handler = handlers[method];
    if (!handler) return { status: 200, body: fail("unknown_method", { req_method: method }) };
    return { status: 200, body: handler(args) };
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(error instanceof Error ? error.message : "internal error");
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const raw = await readBody(req);
    const isApi = url.pathname.startsWith("/api/");
    const arriving = isApi ? decodeURIComponent(url.pathname.slice("/api/".length)) : "response_url";
    for (const listener of [...arrivals]) listener(arriving);
    const latency = (options.latencyMs ?? 0) + (options.methodLatencyMs?.[arriving] ?? 0);
    if (latency > 0) await sleep(latency);
    if (!isApi && !url.pathname.startsWith("/response/")) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    const method = isApi ? decodeURIComponent(url.pathname.slice("/api/".length)) : "response_url";
    const parsed = parseArgs(raw, req.headers["content-type"], url.searchParams);
    const header = req.headers.authorization;
    const bearer = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
    const { token: bodyToken, ...args } = parsed.args;
    const token = bearer ?? (typeof bodyToken === "string" ? bodyToken : undefined);
    const result = parsed.error
      ? { status: 200, body: fail(parsed.error) as Json | string }
      : answer(method, args, token, url.pathname);
    const at = now();
    record({ method, args, at, token, path: url.pathname, status: result.status, response: result.body });
    const headers: Record<string, string> = { ...("headers" in result ? result.headers : {}) };
    if (typeof result.body === "string") {
      res.writeHead(result.status, { ...headers, "content-type": "text/plain; charset=utf-8" });
      res.end(result.body);
    } else {
      res.writeHead(result.status, { ...headers, "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(result.body));
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;

  return {
    url: `${origin}/api/`,
    origin,
    teamId: ws.teamId,
    botUserId: ws.botUserId,
    botId: ws.botId,
    appId: ws.appId,
    workspace: ws,
    calls,
    views: ws.views,
    faults: {
      add(rule) {
        const entry = { rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
        rules.push(entry);
        return () => {
          const i = rules.indexOf(entry);
          if (i >= 0) rules.splice(i, 1);
        };
      },
      clear() {
        rules.length = 0;
      },
    },
    onCall(listener) {
      arrivals.add(listener);
      return () => arrivals.delete(listener);
    },
    waitFor(method, predicate, timeoutMs = 2_000) {
      const match = (c: SlackCall) => c.method === method && (predicate?.(c.args) ?? true);
      const seen = calls.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<SlackCall>((resolve, reject) => {
        const waiter: Waiter = {
          match,
          resolve: (call) => {
            clearTimeout(timer);
            resolve(call);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seenMethods = calls.map((c) => c.method).join(", ") || "none";
          reject(new Error(`no ${method} call within ${timeoutMs} ms (calls so far: ${seenMethods})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    messages: (channel) =>
      ws.messages.filter((m) => !m.deleted && (channel === undefined || m.channel === channel)),
    responseUrl(target) {
      responseCounter += 1;
      const id = `${ws.teamId}${String(responseCounter).padStart(8, "0")}`;
      ws.responseTargets.set(id, target);
      return `${origin}/response/${id}`;
    },
    registerTrigger(triggerId, userId) {
      ws.triggers.set(triggerId, userId);
    },
    close: async () => {
      for (const w of waiters) w.reject(new Error("Slack stand-in closed"));
      waiters.clear();
      await closeServer(server);
    },
  };
}

function faultAnswer(fault: FaultRule): {
  status: number;
  body: Json | string;
  headers?: Record<string, string>;
} {
  if (fault.status === 429) {
    return {
      status: 429,
      body: fail("ratelimited"),
      headers: { "retry-after": String(fault.retryAfterSeconds ?? 1) },
    };
  }
  if (fault.status !== undefined && fault.status !== 200) {
    return { status: fault.status, body: STATUS_CODES[fault.status] ?? "error" };
  }
  return { status: 200, body: fail(fault.error ?? "fatal_error") };
}

function parseArgs(
  raw: string,
  contentType: string | undefined,
  query: URLSearchParams,
): { args: Args; error?: string } {
  const args: Args = Object.fromEntries(query);
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (raw.length === 0) return { args: decodeNested(args) };
  if (type === "application/json") {
    try {
      const body = JSON.parse(raw) as unknown;
      if (body === null || typeof body !== "object" || Array.isArray(body))
        return { args, error: "invalid_json" };
      return { args: { ...args, ...(body as Args) } };
    } catch {
      return { args, error: "invalid_json" };
    }
  }
  if (type === "application/x-www-form-urlencoded" || type === "") {
    return { args: decodeNested({ ...args, ...Object.fromEntries(new URLSearchParams(raw)) }) };
  }
  // Multipart uploads (files.*) are not modelled.
  return { args, error: "invalid_form_data" };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets from fetch/undici would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}
