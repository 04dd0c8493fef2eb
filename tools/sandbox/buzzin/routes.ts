/**
 * The Buzz-in sandbox's routes: the documented API (behind the API key, scoped to the key's
 * community) and the sandbox-only `/__sandbox/*` controls that stand in for the community admin's
 * dashboard and for what happens at the gate. Handlers are synchronous; webhooks they fire go out
 * afterwards.
 */
import { isRecord } from "../doorflow/router.js";
import { json } from "../doorflow/respond.js";
import { type Read, readContractor, readPassAction, readPermit, readPermitPatch } from "./input.js";
import {
  acceptPermit,
  approveContractor,
  createContractor,
  createPermit,
  findContractor,
  findPermit,
  type ModelContext,
  PASS_EVENTS,
  type PassEventKind,
  passAction,
  passEvent,
  readPermit as permitAnswer,
  rejectPermit,
  revokeContractor,
  submitFromDashboard,
  updatePermit,
} from "./model.js";
import { badRequest, notFound } from "./serialize.js";
import type { SandboxContractor, SandboxPermit, SandboxResponse, WebhookDelivery } from "./types.js";

export interface RouteContext extends ModelContext {
  /** The community of the API key (API routes), or every community (sandbox controls). */
  communityId: string | undefined;
  deliveries: readonly WebhookDelivery[];
  redeliver: (id: string) => WebhookDelivery | undefined;
}

interface RouteRequest {
  body: unknown;
  params: Record<string, string>;
}

type Handler = (ctx: RouteContext, req: RouteRequest) => SandboxResponse;

interface Route {
  method: "GET" | "POST" | "PATCH";
  pattern: string;
  /** Sandbox controls need no API key. */
  control?: boolean;
  handler: Handler;
}

function invalid(read: Read<unknown>): SandboxResponse {
  if (read.ok) throw new Error("not invalid");
  const fields = Object.keys(read.errors);
  return badRequest(`Validation failed: ${fields.slice(0, 5).join(", ")}`, read.errors);
}

function withContractor(
  handler: (ctx: RouteContext, c: SandboxContractor, req: RouteRequest) => SandboxResponse,
) {
  return (ctx: RouteContext, req: RouteRequest): SandboxResponse => {
    const id = req.params.id ?? "";
    const contractor =
      ctx.communityId === undefined
        ? ctx.state.contractors.find((c) => c.id === id && !c.removedAt)
        : findContractor(ctx.state, ctx.communityId, id);
    return contractor ? handler(ctx, contractor, req) : notFound();
  };
}

function withPermit(handler: (ctx: RouteContext, p: SandboxPermit, req: RouteRequest) => SandboxResponse) {
  return (ctx: RouteContext, req: RouteRequest): SandboxResponse => {
    const id = req.params.id ?? "";
    const permit =
      ctx.communityId === undefined
        ? ctx.state.permits.find((p) => p.id === id)
        : findPermit(ctx.state, ctx.communityId, id);
    return permit ? handler(ctx, permit, req) : notFound();
  };
}

const field = (body: unknown, name: string): unknown => (isRecord(body) ? body[name] : undefined);

const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: "/communityContractors",
    handler: (ctx, req) => {
      const read = readContractor(req.body);
      return read.ok ? createContractor(ctx, ctx.communityId ?? "", read.value) : invalid(read);
    },
  },
  {
    method: "PATCH",
    pattern: "/communityContractors/:id",
    handler: withContractor((ctx, contractor, req) => {
      const action = field(req.body, "action");
      if (action === "revoke") return revokeContractor(ctx, contractor);
      if (action === "approve") return approveContractor(ctx, contractor);
      return badRequest("action must be one of revoke, approve", {
        action: "must be one of revoke, approve",
      });
    }),
  },
  {
    method: "POST",
    pattern: "/permits",
    handler: (ctx, req) => {
      const read = readPermit(req.body);
      return read.ok ? createPermit(ctx, ctx.communityId ?? "", read.value) : invalid(read);
    },
  },
  { method: "GET", pattern: "/permits/:id", handler: withPermit((ctx, p) => permitAnswer(ctx, p)) },
  {
    method: "PATCH",
    pattern: "/permits/:id",
    handler: withPermit((ctx, permit, req) => {
      const read = readPermitPatch(req.body);
      return read.ok ? updatePermit(ctx, permit, read.value) : invalid(read);
    }),
  },
  {
    method: "PATCH",
    pattern: "/passes/:id",
    handler: withPermit((ctx, permit, req) => {
      const read = readPassAction(req.body);
      return read.ok ? passAction(ctx, permit, read.value) : invalid(read);
    }),
  },
  ...controlRoutes(),
];

function controlRoutes(): Route[] {
  const control = (method: Route["method"], pattern: string, handler: Handler): Route => ({
    method,
    pattern: `/__sandbox${pattern}`,
    control: true,
    handler,
  });
  return [
    control("POST", "/communityContractors/:id/approve", withContractor(approveContractor)),
    control("POST", "/communityContractors/:id/remove", withContractor(revokeContractor)),
    control("POST", "/permits/:id/submit", withPermit(submitFromDashboard)),
    control("POST", "/permits/:id/accept", withPermit(acceptPermit)),
    control("POST", "/permits/:id/reject", withPermit(rejectPermit)),
    control(
      "POST",
      "/permits/:id/reissue",
      withPermit((ctx, permit) => passAction(ctx, permit, { action: "reissuePass" })),
    ),
    control(
      "POST",
      "/permits/:id/events/:kind",
      withPermit((ctx, permit, req) => {
        const kind = req.params.kind as PassEventKind;
        if (!PASS_EVENTS.includes(kind)) return badRequest(`kind must be one of ${PASS_EVENTS.join(", ")}`);
        const gate = field(req.body, "gate");
        return passEvent(ctx, permit, kind, typeof gate === "string" ? gate : undefined);
      }),
    ),
    control("GET", "/deliveries", (ctx) =>
      json(
        200,
        ctx.deliveries.map((d) => ({ id: d.id, event: d.event, attempts: d.attempts })),
      ),
    ),
    control("POST", "/deliveries/:id/redeliver", (ctx, req) => {
      const delivery = ctx.redeliver(req.params.id ?? "");
      return delivery ? json(202, { id: delivery.id, event: delivery.event }) : notFound();
    }),
  ];
}

interface Compiled extends Route {
  regex: RegExp;
  names: string[];
}

const COMPILED: Compiled[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.pattern.replace(/:([a-z_]+)/gi, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { ...route, regex: new RegExp(`^${source}/?$`), names };
});

export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of COMPILED) {
    if (route.method !== method.toUpperCase()) continue;
    const m = route.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? "")));
    return { route, params };
  }
  return undefined;
}
