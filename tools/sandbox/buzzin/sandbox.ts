/**
 * An in-memory Buzz-in community (or several, one per API key) behind the work-permit API as
 * Buzz-in documents it (../shared/buzzin/reference.md). `handle` is synchronous and
 * transport-neutral like the DoorFlow sandbox's; webhooks it fires are POSTed afterwards, in order,
 * to `webhookUrl`. Tests drive what Buzz-in's people and gates would do through the `/__sandbox`
 * routes or the methods below, and inject faults into calls (`faults`) and deliveries
 * (`webhookFaults`).
 */
import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import { SandboxClock } from "../doorflow/clock.js";
import { FaultRegistry, isProcessed } from "../doorflow/faults.js";
import { seededRandom } from "../doorflow/random.js";
import { parseBody, splitPath } from "../doorflow/router.js";
import { type ModelOptions, newId, type PassEventKind } from "./model.js";
import { matchRoute, type RouteContext } from "./routes.js";
import { feathersError } from "./serialize.js";
import type {
  BuzzinSandboxCall,
  BuzzinSandboxOptions,
  BuzzinSandboxState,
  FaultRule,
  SandboxPermit,
  SandboxProperty,
  SandboxRequest,
  SandboxResponse,
  WebhookDelivery,
} from "./types.js";
import { type WebhookFaults, WebhookSender } from "./webhooks.js";

export const DEFAULT_BUZZIN_API_KEY = "sandbox-buzzin-key";
const DEFAULT_BUZZIN_COMMUNITY_ID = "6840270a99ca91002185fcd6";
export const DEFAULT_BUZZIN_WEBHOOK_TOKEN = "sandbox-buzzin-webhook-token";

/** The community's one tower, with the ids of the documented examples and a few more units. */
export const SANDBOX_PROPERTY = {
  id: "66e0000000000000000000a1",
  externalId: "DAMAC-TWR-07",
  flats: [
    { id: "66e0000000000000000000b2", externalId: "UNIT-0712" },
    { id: "66e0000000000000000000b3", externalId: "UNIT-0713" },
    { id: "66e0000000000000000000b4", externalId: "UNIT-1204" },
  ],
} as const;

function defaultProperties(communityIds: string[]): SandboxProperty[] {
  return communityIds.map((communityId) => ({
    ...SANDBOX_PROPERTY,
    communityId,
    flats: SANDBOX_PROPERTY.flats.map((f) => ({ ...f })),
  }));
}

function emptyState(properties: SandboxProperty[]): BuzzinSandboxState {
  return {
    contractors: [],
    permits: [],
    properties: properties.map((p) => ({ ...p, flats: p.flats.map((f) => ({ ...f })) })),
    nextId: 1,
    nextPassNumber: 2391,
  };
}

/** Buzz-in's answer in place of the model's (a gateway error), or the model's answer spoiled. */
function applyFault(rule: FaultRule, modelAnswer: SandboxResponse | undefined): SandboxResponse {
  let res: SandboxResponse;
  if (rule.status === undefined) res = modelAnswer ?? feathersError(502, "Bad Gateway");
  else if (typeof rule.body === "string") {
    res = { status: rule.status, headers: { "content-type": "application/json" }, body: rule.body };
  } else if (rule.body !== undefined) {
    res = {
      status: rule.status,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(rule.body),
    };
  } else res = feathersError(rule.status, `Injected fault: ${rule.status}`);
  res = { ...res, headers: { ...res.headers, ...rule.headers } };
  if (rule.latencyMs !== undefined) res.latencyMs = (res.latencyMs ?? 0) + rule.latencyMs;
  if (rule.drop) res.drop = true;
  return res;
}

export class BuzzinSandbox {
  readonly clock: SandboxClock;
  readonly calls: BuzzinSandboxCall[] = [];
  readonly communities: Readonly<Record<string, string>>;
  readonly apiKeyHeader: string;
  readonly webhookToken: string;
  readonly faults: { add(rule: FaultRule): () => void; clear(): void };
  readonly options: ModelOptions;
  state: BuzzinSandboxState;
  /** Called for every API call the sandbox answers (the crash suite kills the bot on one). */
  onCall: ((call: BuzzinSandboxCall) => void) | undefined;

  private readonly registry = new FaultRegistry();
  private readonly random: () => number;
  private readonly sender: WebhookSender;
  private readonly properties: SandboxProperty[];

  constructor(options: BuzzinSandboxOptions & { webhookDispatcher?: Dispatcher } = {}) {
    this.communities = options.communities ?? { [DEFAULT_BUZZIN_API_KEY]: DEFAULT_BUZZIN_COMMUNITY_ID };
    this.apiKeyHeader = (options.apiKeyHeader ?? "x-api-key").toLowerCase();
    this.webhookToken = options.webhookToken ?? DEFAULT_BUZZIN_WEBHOOK_TOKEN;
    this.options = {
      autoApproveContractors: options.autoApproveContractors ?? false,
      autoAccept: options.autoAccept ?? false,
      permitReadShowsAccessCode: options.permitReadShowsAccessCode ?? false,
      conflictNamesExisting: options.conflictNamesExisting ?? false,
    };
    this.clock = new SandboxClock(options.now, options.ticking ?? options.now === undefined);
    this.random = options.random ?? seededRandom();
    this.properties = options.properties ?? defaultProperties([...new Set(Object.values(this.communities))]);
    this.state = emptyState(this.properties);
    const firstCommunity = Object.values(this.communities)[0] ?? DEFAULT_BUZZIN_COMMUNITY_ID;
    this.sender = new WebhookSender({
      url: options.webhookUrl,
      token: this.webhookToken,
      communityId: () => firstCommunity,
      now: () => this.clock.now(),
      newId: () => newId(this.state),
      random: this.random,
      dispatcher: options.webhookDispatcher,
      retries: options.webhookRetries,
    });
    this.faults = { add: (rule) => this.registry.add(rule), clear: () => this.registry.clear() };
  }

  /** Accept a permit (and issue its pass) as soon as it is submitted. */
  get autoAccept(): boolean {
    return this.options.autoAccept;
  }

  set autoAccept(value: boolean) {
    this.options.autoAccept = value;
  }

  /** Where webhooks go; settable after start, since the receiver's port is often known later. */
  set webhookUrl(url: string | undefined) {
    this.sender.url = url;
  }

  get webhookUrl(): string | undefined {
    return this.sender.url;
  }

  get deliveries(): readonly WebhookDelivery[] {
    return this.sender.deliveries;
  }

  /** Probabilities that a delivery is lost or sent twice (drawn from the seeded generator). */
  get webhookFaults(): WebhookFaults {
    return this.sender.faults;
  }

  /** Called after each delivery attempt with the receiver's status. */
  set onWebhookAttempt(hook: ((delivery: WebhookDelivery, status: number) => void) | undefined) {
    this.sender.onAttempt = hook;
  }

  handle(req: SandboxRequest): SandboxResponse {
    const requestId = randomUUID();
    const { path } = splitPath(req.path);
    const rule = path.startsWith("/__sandbox")
      ? undefined
      : this.registry.pick(req.method, path, this.random);
    const processed = rule === undefined || isProcessed(rule);
    const modelAnswer = processed ? this.routeSafely(req) : undefined;
    const answer = rule ? applyFault(rule, modelAnswer) : (modelAnswer as SandboxResponse);
    const response = { ...answer, headers: { ...answer.headers, "x-request-id": requestId } };
    const call: BuzzinSandboxCall = {
      method: req.method.toUpperCase(),
      path,
      status: response.drop ? 0 : response.status,
      at: this.clock.now(),
      requestId,
      faulted: rule !== undefined,
      dropped: response.drop === true,
    };
    if (!path.startsWith("/__sandbox")) {
      this.calls.push(call);
      this.onCall?.(call);
    }
    return response;
  }

  /** The permit Buzz-in holds under this `salesforcePermitId`, if any. */
  permitBySalesforceId(salesforcePermitId: string): SandboxPermit | undefined {
    return this.state.permits.find((p) => p.salesforcePermitId === salesforcePermitId);
  }

  approveContractor(id: string): unknown {
    return this.control(`/communityContractors/${id}/approve`);
  }

  removeContractor(id: string): unknown {
    return this.control(`/communityContractors/${id}/remove`);
  }

  /** The community admin submits a DRAFT from the dashboard. */
  submitPermit(id: string): unknown {
    return this.control(`/permits/${id}/submit`);
  }

  acceptPermit(id: string): unknown {
    return this.control(`/permits/${id}/accept`);
  }

  /** A community admin reissues the pass from the dashboard. */
  reissuePass(id: string): unknown {
    return this.control(`/permits/${id}/reissue`);
  }

  rejectPermit(id: string): unknown {
    return this.control(`/permits/${id}/reject`);
  }

  firePassEvent(permitId: string, kind: PassEventKind, gate?: string): unknown {
    return this.control(`/permits/${permitId}/events/${kind}`, gate === undefined ? undefined : { gate });
  }

  /** Sends a delivery again: same id, same bytes. */
  redeliver(deliveryId: string): WebhookDelivery | undefined {
    return this.sender.redeliver(deliveryId);
  }

  /** Resolves once every webhook fired so far has been attempted. */
  settled(): Promise<void> {
    return this.sender.settled();
  }

  /** An empty community, no fault rules, no call log or deliveries; the clock is kept. */
  reset(): void {
    this.state = emptyState(this.properties);
    this.registry.clear();
    this.calls.length = 0;
    this.sender.clear();
  }

  private control(path: string, body?: unknown): unknown {
    const res = this.handle({
      method: "POST",
      path: `/__sandbox${path}`,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed: unknown = JSON.parse(res.body);
    if (res.status >= 300) throw new Error(`sandbox ${path}: ${res.status} ${res.body}`);
    return parsed;
  }

  private route(req: SandboxRequest): SandboxResponse {
    const { path } = splitPath(req.path);
    const matched = matchRoute(req.method, path);
    // FeathersJS answers a known path with the wrong method as it does an unknown path.
    if (matched === undefined)
      return feathersError(404, `Page not found: ${req.method.toUpperCase()} ${path}`);
    let communityId: string | undefined;
    if (!matched.route.control) {
      const key = req.headers[this.apiKeyHeader];
      communityId = key === undefined ? undefined : this.communities[key];
      if (communityId === undefined)
        return feathersError(401, key === undefined ? "Not authenticated" : "Invalid API key");
    }
    const parsed = parseBody(req);
    if ("error" in parsed) return feathersError(400, "Unexpected token in JSON body");
    const ctx: RouteContext = {
      state: this.state,
      now: this.clock.now(),
      random: this.random,
      options: this.options,
      fire: (event, data) => this.sender.fire(event, data, communityId),
      communityId,
      deliveries: this.sender.deliveries,
      redeliver: (id) => this.sender.redeliver(id),
    };
    return matched.route.handler(ctx, { body: parsed.body, params: matched.params });
  }

  private routeSafely(req: SandboxRequest): SandboxResponse {
    try {
      return this.route(req);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return feathersError(500, `Internal server error (sandbox: ${why})`);
    }
  }
}
