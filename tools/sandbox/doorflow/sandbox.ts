/**
 * An in-memory DoorFlow account behind DoorFlow's API v3 and OAuth endpoints. `handle` is
 * synchronous and transport-neutral: server.ts puts it behind node:http, test/mocks/doorflow.ts
 * behind undici's MockAgent. Time comes from `clock`, randomness from a seeded generator, so a test
 * moves a group reservation from pending to active by advancing the clock, and runs repeat.
 */
import { randomUUID } from "node:crypto";
import { isValidTimeZone } from "../../../src/lib/time.js";
import { SandboxClock } from "./clock.js";
import { applyFault, FaultRegistry, isProcessed } from "./faults.js";
import {
  canOpen,
  createState,
  credentialTypeBySlug,
  findPersonBySystemId,
  mobileSeatsInUse,
  settleMobileRevocations,
} from "./model.js";
import { seededRandom } from "./random.js";
import { errorResponse } from "./respond.js";
import {
  parseBody,
  type RouteRequest,
  Router,
  type SandboxContext,
  type SandboxSettings,
  splitPath,
} from "./router.js";
import { accountRoutes } from "./routes/account.js";
import { credentialRoutes } from "./routes/credentials.js";
import { groupReservationRoutes } from "./routes/group-reservations.js";
import { oauthRoutes } from "./routes/oauth.js";
import { peopleRoutes } from "./routes/people.js";
import { reservationRoutes } from "./routes/reservations.js";
import { authenticate, insufficientScope, scopeAllows } from "./tokens.js";
import type {
  DoorFlowSandboxOptions,
  FaultRule,
  SandboxCall,
  SandboxPerson,
  SandboxRequest,
  SandboxResponse,
  SandboxState,
} from "./types.js";

export const DEFAULT_SANDBOX_TOKEN = "sandbox";
export const DEFAULT_SANDBOX_TIME_ZONE = "Europe/London";

const router = new Router([
  ...accountRoutes,
  ...peopleRoutes,
  ...credentialRoutes,
  ...reservationRoutes,
  ...groupReservationRoutes,
  ...oauthRoutes,
]);

export class DoorFlowSandbox {
  readonly clock: SandboxClock;
  readonly calls: SandboxCall[] = [];
  readonly timeZone: string;
  readonly token: string | null;
  state: SandboxState;
  readonly faults: { add(rule: FaultRule): () => void; clear(): void };
  /** Whether `calls` keep request and response bodies (`record` option). */
  recording: boolean;

  private readonly registry = new FaultRegistry();
  private readonly random: () => number;
  private readonly settings: SandboxSettings;
  private readonly seed: boolean;
  private readonly mobileLicences: number | undefined;
  private readonly account: DoorFlowSandboxOptions["account"];

  constructor(options: DoorFlowSandboxOptions = {}) {
    this.account = options.account;
    this.timeZone = options.account?.timeZone ?? options.timeZone ?? DEFAULT_SANDBOX_TIME_ZONE;
    if (!isValidTimeZone(this.timeZone)) throw new RangeError(`Unknown time zone: ${this.timeZone}`);
    this.token = options.token === undefined ? DEFAULT_SANDBOX_TOKEN : options.token;
    this.clock = new SandboxClock(options.now, options.ticking ?? options.now === undefined);
    this.random = options.random ?? seededRandom();
    this.seed = options.seed ?? true;
    this.settings = {
      token: this.token,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 7200,
      oauthClient: options.oauthClient,
    };
    this.mobileLicences = options.mobileLicences;
    this.recording = options.record ?? false;
    this.state = createState(this.stateOptions());
    this.faults = { add: (rule) => this.registry.add(rule), clear: () => this.registry.clear() };
  }

  handle(req: SandboxRequest): SandboxResponse {
    const requestId = randomUUID();
    const { path, rawQuery } = splitPath(req.path);
    const rule = this.registry.pick(req.method, path, this.random);
    const processed = rule === undefined || isProcessed(rule);
    const modelAnswer = processed ? this.routeSafely(req) : undefined;
    const answer = rule ? applyFault(rule, modelAnswer) : (modelAnswer as SandboxResponse);
    const response: SandboxResponse = {
      ...answer,
      headers: { ...answer.headers, "x-request-id": requestId },
    };
    this.calls.push({
      method: req.method.toUpperCase(),
      path,
      query: rawQuery,
      // What the client saw: 0 when the connection was dropped without an answer.
      status: response.drop ? 0 : response.status,
      at: this.clock.now(),
      requestId,
      faulted: rule !== undefined,
      dropped: response.drop === true,
      ...(this.recording
        ? {
            exchange: {
              requestType: req.headers["content-type"],
              requestBody: req.body,
              responseType: response.headers["content-type"],
              responseBody: response.body,
            },
          }
        : {}),
    });
    return response;
  }

  /** The id this account gives a credential type, e.g. `credentialTypeId("pin")`. */
  credentialTypeId(slug: string): number {
    const type = credentialTypeBySlug(this.state, slug);
    if (!type) throw new Error(`The sandbox account has no credential type "${slug}"`);
    return type.id;
  }

  personBySystemId(systemId: string): SandboxPerson | undefined {
    return findPersonBySystemId(this.state, systemId);
  }

  /**
   * Whether the person's card or PIN opens the door at `at` (default now): enabled, inside
   * valid_from..valid_to, and the door reached through a group they are in then or a reservation
   * current then. What the door controllers would decide once synced.
   */
  canOpen(personId: number, channelId: number, at: Date = this.clock.now()): boolean {
    return canOpen(this.state, personId, channelId, at);
  }

  /** A fresh account (same options), no fault rules and an empty call log; the clock is kept. */
  reset(): void {
    this.state = createState(this.stateOptions());
    this.registry.clear();
    this.calls.length = 0;
  }

  private stateOptions() {
    return {
      timeZone: this.timeZone,
      seed: this.seed,
      mobileLicences: this.mobileLicences,
      account: this.account,
    };
  }

  /** HID Mobile Access seats in use (a revoked credential gives its seat back). */
  mobileSeatsInUse(): number {
    settleMobileRevocations(this.state, this.clock.now());
    return mobileSeatsInUse(this.state);
  }

  private route(req: SandboxRequest): SandboxResponse {
    const { path, query } = splitPath(req.path);
    const matched = router.match(req.method, path);
    if (!matched) {
      return errorResponse(404, "not_found", `No route matches ${req.method.toUpperCase()} ${path}`);
    }
    settleMobileRevocations(this.state, this.clock.now());
    const ctx: SandboxContext = {
      state: this.state,
      random: this.random,
      settings: this.settings,
      now: this.clock.now(),
    };
    if (path.startsWith("/api/")) {
      const bearer = authenticate(ctx, req.headers);
      if ("status" in bearer) return bearer;
      // The fixed sandbox token stands for a full-access account token; OAuth tokens hold scopes.
      const needed = matched.route.scope;
      if (bearer.kind === "oauth" && needed && !scopeAllows(bearer.token.scope, needed)) {
        return insufficientScope(needed);
      }
    }
    const parsed = parseBody(req);
    if ("error" in parsed) return parsed.error;
    const routeReq: RouteRequest = {
      method: req.method.toUpperCase(),
      path,
      query,
      headers: req.headers,
      body: parsed.body,
      params: matched.params,
    };
    return matched.route.handler(ctx, routeReq);
  }

  private routeSafely(req: SandboxRequest): SandboxResponse {
    try {
      return this.route(req);
    } catch (error) {
      // A sandbox bug should read as DoorFlow failing, with the cause where a developer will look.
      const why = error instanceof Error ? error.message : String(error);
      return errorResponse(500, "internal_server_error", `An unexpected error occurred (sandbox: ${why})`);
    }
  }
}
