/**
 * The transport-neutral request every route sees, and the route table that maps method and path
 * to a handler. Handlers are synchronous `(ctx, req) => SandboxResponse`, so the same sandbox
 * serves node:http (server.ts) and undici's MockAgent (test/mocks/doorflow.ts).
 */
import { badRequest } from "./respond.js";
import type { SandboxRequest, SandboxResponse, SandboxState } from "./types.js";

export interface SandboxSettings {
  /** The fixed bearer token, or null for OAuth tokens only. */
  token: string | null;
  accessTokenTtlSeconds: number;
  /** When unset, any client id and secret are accepted (a sandbox has no app registry). */
  oauthClient?: { clientId: string; clientSecret: string };
}

export interface SandboxContext {
  state: SandboxState;
  random: () => number;
  settings: SandboxSettings;
  /** One "now" per request, so a handler never sees the clock move halfway. */
  now: Date;
}

export interface RouteRequest {
  method: string;
  /** Without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** Parsed JSON or form body; `undefined` when there is none. */
  body: unknown;
  params: Record<string, string>;
}

export type RouteHandler = (ctx: SandboxContext, req: RouteRequest) => SandboxResponse;

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** `/api/3/people/:id` */
  pattern: string;
  handler: RouteHandler;
  /** The OAuth scope the spec's `security` names for the operation; none: any valid token. */
  scope?: string;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern.replace(/:([a-z_]+)/g, (_, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
      return { ...route, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = safeDecode(m[i + 1] ?? "")));
      return { route, params };
    }
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function splitPath(pathWithQuery: string): { path: string; query: URLSearchParams; rawQuery: string } {
  const at = pathWithQuery.indexOf("?");
  if (at === -1) return { path: pathWithQuery, query: new URLSearchParams(), rawQuery: "" };
  const rawQuery = pathWithQuery.slice(at + 1);
  return { path: pathWithQuery.slice(0, at), query: new URLSearchParams(rawQuery), rawQuery };
}

/** JSON or form body (OAuth's token endpoint takes a form); a broken body is a 400. */
export function parseBody(req: SandboxRequest): { body: unknown } | { error: SandboxResponse } {
  const raw = req.body;
  if (raw === undefined || raw.trim() === "") return { body: undefined };
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/x-www-form-urlencoded")) {
    return { body: Object.fromEntries(new URLSearchParams(raw)) };
  }
  try {
    return { body: JSON.parse(raw) as unknown };
  } catch {
    return { error: badRequest("The request body is not valid JSON") };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A numeric path id; anything else matches no record, as in DoorFlow. */
export function numericId(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
