/**
 * The account and what is configured in DoorFlow's web UI (credential types, groups, doors), plus
 * POST /api/3/sync, which DoorFlow limits to about one call per 30 s: a call inside the window
 * answers 429 with `retry_in` (seconds left) and a Retry-After header.
 */
import { json, ok, paginated } from "../respond.js";
import type { Route, RouteHandler } from "../router.js";
import { serializeAccount, serializeChannel, serializeCredentialType, serializeGroup } from "../serialize.js";

const SYNC_INTERVAL_MS = 30_000;

const account: RouteHandler = (ctx) => json(200, serializeAccount(ctx.state.account, ctx.now));

const credentialTypes: RouteHandler = (ctx, req) =>
  paginated(ctx.state.credentialTypes.map(serializeCredentialType), req.query, { defaultPerPage: 500 });

/** Ordered by name and not paginated, per the spec. */
const groups: RouteHandler = (ctx) => {
  const sorted = [...ctx.state.groups].sort((a, b) => a.name.localeCompare(b.name));
  return json(200, sorted.map(serializeGroup));
};

const channels: RouteHandler = (ctx, req) => {
  const siteId = req.query.get("site_id");
  const chosen = ctx.state.channels.filter((c) => siteId === null || String(c.siteId) === siteId);
  const wire = chosen.map((c) => serializeChannel(c, ctx.state.account.lastSyncAt));
  return paginated(wire, req.query, { defaultPerPage: 500, maxPerPage: 1000 });
};

const sync: RouteHandler = (ctx) => {
  const { account: acc } = ctx.state;
  const sinceLast = acc.lastSyncAt === null ? Infinity : ctx.now.getTime() - acc.lastSyncAt.getTime();
  if (sinceLast < SYNC_INTERVAL_MS) {
    const retryIn = Math.max(1, Math.ceil((SYNC_INTERVAL_MS - sinceLast) / 1000));
    return json(
      429,
      {
        error: "rate_limited",
        description: `Sync was requested too recently. Try again in ${retryIn} seconds.`,
        retry_in: retryIn,
      },
      { "retry-after": String(retryIn) },
    );
  }
  acc.lastSyncAt = ctx.now;
  acc.syncPending = false;
  return ok();
};

export const accountRoutes: Route[] = [
  { method: "GET", pattern: "/api/3/account", handler: account },
  {
    method: "GET",
    pattern: "/api/3/credential_types",
    handler: credentialTypes,
    scope: "account.credential_type.readonly",
  },
  { method: "GET", pattern: "/api/3/groups", handler: groups, scope: "account.group.readonly" },
  { method: "GET", pattern: "/api/3/channels", handler: channels, scope: "account.channel.readonly" },
  { method: "POST", pattern: "/api/3/sync", handler: sync, scope: "account.sync" },
];
