/**
 * An in-memory Buzz-in community (or several, one per API key) behind the work-permit API as
 * src/buzzin/client.ts assumes it. `handle` is synchronous and transport-neutral like the DoorFlow
 * sandbox's; webhooks it fires are POSTed afterwards, in order, to `webhookUrl`. Tests drive what
 * Buzz-in's people and gates would do through the `/__sandbox` routes or the methods below.
 */
import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import { isValidTimeZone } from "../../lib/time.js";
import { SandboxClock } from "../doorflow/clock.js";
import { FaultRegistry, isProcessed } from "../doorflow/faults.js";
import { seededRandom } from "../doorflow/random.js";
import { parseBody, splitPath } from "../doorflow/router.js";
import type { PassEventKind } from "./model.js";
import { matchRoute, type RouteContext } from "./routes.js";
import { nestError } from "./serialize.js";
import type {
  BuzzinSandboxCall,
  BuzzinSandboxOptions,
  BuzzinSandboxState,
  FaultRule,
  SandboxRequest,
  SandboxResponse,
  WebhookDelivery,
} from "./types.js";
import { WebhookSender } from "./webhooks.js";

export const DEFAULT_BUZZIN_API_KEY = "sandbox-buzzin-key";
export const DEFAULT_BUZZIN_COMMUNITY_ID = "6840270a99ca91002185fcd6";
export const DEFAULT_BUZZIN_WEBHOOK_TOKEN = "sandbox-buzzin-webhook-token";
export const DEFAULT_BUZZIN_TIME_ZONE = "Asia/Dubai";

const emptyState = (): BuzzinSandboxState => ({ contractors: [], permits: [], nextId: 1 });

/** Buzz-in's answer in place of the model's (a gateway error), or the model's answer spoiled. */
function applyFault(rule: FaultRule, modelAnswer: SandboxResponse | undefined): SandboxResponse {
  let res: SandboxResponse;
  if (rule.status === undefined) res = modelAnswer ?? nestError(502, "Bad Gateway");
  else if (typeof rule.body === "string") {
    res = { status: rule.status, headers: { "content-type": "application/json" }, body: rule.body };
  } else if (rule.body !== undefined) {
    res = {
      status: rule.status,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(rule.body),
    };
  } else res = nestError(rule.status, `Injected fault: ${rule.status}`);
  res = { ...res, headers: { ...res.headers, ...rule.headers } };
  if (rule.latencyMs !== undefined) res.latencyMs = (res.latencyMs ?? 0) + rule.latencyMs;
  if (rule.drop) res.drop = true;
  return res;
}

export class BuzzinSandbox {
  readonly clock: SandboxClock;
  readonly calls: BuzzinSandboxCall[] = [];
  readonly timeZone: string;
  readonly communities: Readonly<Record<string, string>>;
  readonly apiKeyHeader: string;
  readonly webhookToken: string;
  readonly faults: { add(rule: FaultRule): () => void; clear(): void };
  autoAccept: boolean;
  state: BuzzinSandboxState = emptyState();

  private readonly registry = new FaultRegistry();
  private readonly random: () => number;
  private readonly sender: WebhookSender;

  constructor(options: BuzzinSandboxOptions & { webhookDispatcher?: Dispatcher } = {}) {
    this.timeZone = options.timeZone ?? DEFAULT_BUZZIN_TIME_ZONE;
    if (!isValidTimeZone(this.timeZone)) throw new RangeError(`Unknown time zone: ${this.timeZone}`);
    this.communities = options.communities ?? { [DEFAULT_BUZZIN_API_KEY]: DEFAULT_BUZZIN_COMMUNITY_ID };
    this.apiKeyHeader = (options.apiKeyHeader ?? "x-api-key").toLowerCase();
    this.webhookToken = options.webhookToken ?? DEFAULT_BUZZIN_WEBHOOK_TOKEN;
    this.autoAccept = options.autoAccept ?? false;
    this.clock = new SandboxClock(options.now, options.ticking ?? options.now === undefined);
    this.random = options.random ?? seededRandom();
    this.sender = new WebhookSender({
      url: options.webhookUrl,
      token: this.webhookToken,
      now: () => this.clock.now(),
      dispatcher: options.webhookDispatcher,
    });
    this.faults = { add: (rule) => this.registry.add(rule), clear: () => this.registry.clear() };
  }

  /** Where webhooks go; settable after start, since the receiver's port is often known later. */
  set webhookUrl(url: string | undefined) {
    this.sender.url = url;
  }

  get deliveries(): readonly WebhookDelivery[] {
    return this.sender.deliveries;
  }

  handle(req: SandboxRequest): SandboxResponse {
    const requestId = randomUUID();
    const { path } = splitPath(req.path);
    const rule = this.registry.pick(req.method, path, this.random);
    const processed = rule === undefined || isProcessed(rule);
    const modelAnswer = processed ? this.routeSafely(req) : undefined;
    const answer = rule ? applyFault(rule, modelAnswer) : (modelAnswer as SandboxResponse);
    const response = { ...answer, headers: { ...answer.headers, "x-request-id": requestId } };
    this.calls.push({
      method: req.method.toUpperCase(),
      path,
      status: response.drop ? 0 : response.status,
      at: this.clock.now(),
      requestId,
      faulted: rule !== undefined,
      dropped: response.drop === true,
    });
    return response;
  }

  approveContractor(id: string): unknown {
    return this.control(`/communityContractors/${id}/approve`);
  }

  removeContractor(id: string): unknown {
    return this.control(`/communityContractors/${id}/remove`);
  }

  acceptPermit(id: string): unknown {
    return this.control(`/permits/${id}/accept`);
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
    this.state = emptyState();
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
    // NestJS answers a known path with the wrong method as it does an unknown path.
    if (matched === undefined) return nestError(404, `Cannot ${req.method.toUpperCase()} ${path}`);
    let communityId: string | undefined;
    if (!matched.route.control) {
      const key = req.headers[this.apiKeyHeader];
      communityId = key === undefined ? undefined : this.communities[key];
      if (communityId === undefined)
        return nestError(401, key === undefined ? "API key missing" : "Invalid API key");
    }
    const parsed = parseBody(req);
    if ("error" in parsed) return nestError(400, "Unexpected token in JSON body");
    const ctx: RouteContext = {
      state: this.state,
      now: this.clock.now(),
      timeZone: this.timeZone,
      random: this.random,
      autoAccept: this.autoAccept,
      fire: (event, data) => this.sender.fire(event, data),
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
      return nestError(500, `Internal server error (sandbox: ${why})`);
    }
  }
}
