/**
 * The one place that talks HTTP to an upstream (DoorFlow, Buzz-in): undici `request()` over one
 * keep-alive Agent (fetch on the same Agent measured ~1.5x slower here), a FIFO concurrency limit,
 * bounded retries with jitter that honour Retry-After, replay rules for calls that could create a
 * second record, at most one credential refresh on 401, and a zod parse of every answer. An
 * upstream brings only its auth (the headers it sends) and its error mapping; a client's resource
 * methods describe a call and this file decides whether and when it may be sent again.
 */
import type { Dispatcher } from "undici";
import { request } from "undici";
import type { z } from "zod";
import { type Logger, silentLogger } from "../logger.js";
import { createKeepAliveAgent, resolveTimeouts, type Timeouts } from "./agent.js";
import {
  type CallContext,
  type CallLabel,
  type HttpFailure,
  headerValue,
  summariseIssues,
} from "./failures.js";
import { FifoLimiter } from "./limiter.js";
import { type RetryPolicy, resolveRetryPolicy, retryDelayMs } from "./retry.js";

type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Whether a call may be sent again after an attempt the upstream may have carried out: "safe"
 * (the same request twice leaves the same state, or the upstream refuses the duplicate), "unsafe"
 * (a POST that could create a second record), or a lookup that returns the record the lost attempt
 * created, if any.
 */
type Replay<T> = "safe" | "unsafe" | (() => Promise<{ value: T } | undefined>);

export interface HttpCall<T, E extends HttpFailure> extends CallLabel {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** null: the body is ignored (DELETE answers text/plain or `{result: "ok"}`). */
  schema: z.ZodType<T> | null;
  /** Default: "unsafe" for POST, "safe" otherwise. */
  replay?: Replay<T>;
  /** Turns an expected failure into a value (e.g. DELETE 404 after a retry: already gone). */
  settle?: (
    error: E,
    history: { attempt: number; mayHaveAppliedBefore: boolean },
  ) => { value: T } | undefined | Promise<{ value: T } | undefined>;
  /** false: a 429 is returned to the caller at once (e.g. DoorFlow's sync has its own debouncer). */
  retryRateLimited?: boolean;
}

/** How an upstream proves who we are. */
interface HttpAuth<E extends HttpFailure> {
  /** The headers that carry the credential; may throw E (e.g. no token yet). */
  headers(): Promise<Record<string, string>>;
  /** After a 401 to `sent`: whether a fresh credential is worth one more try. */
  refreshAfterUnauthorized?(sent: Record<string, string>): Promise<boolean>;
  /** Whether a throw of `headers()` is the upstream's own failure (returned like any other). */
  isOwnError?(error: unknown): error is E;
}

/** How an upstream's failures become its own errors (codes, messages, what may be retried). */
export interface ErrorMapping<E extends HttpFailure, C extends CallContext> {
  fromResponse(
    ctx: C,
    status: number,
    text: string,
    headers: Record<string, string | string[] | undefined>,
  ): E;
  fromTransport(ctx: C, cause: unknown, baseUrl: string): E;
  fromBadBody(ctx: C, status: number, problem: string, requestId: string | undefined, cause?: unknown): E;
}

/** What a client's creator may tune, the same for every upstream. */
export interface HttpClientOptions {
  /** Requests on the wire at once, for the whole client. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<Timeouts>;
  /** Tests pass undici's MockAgent; by default the transport owns a keep-alive Agent. */
  dispatcher?: Dispatcher;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface HttpTransportOptions<E extends HttpFailure, C extends CallContext> extends HttpClientOptions {
  /** The upstream's name in log lines ("doorflow"). */
  service: string;
  baseUrl: string;
  auth: HttpAuth<E>;
  errors: ErrorMapping<E, C>;
  /** What an empty 2xx body means, when the upstream documents one (else it is not JSON). */
  emptyBody?: unknown;
  concurrency: number;
}

interface Settings {
  retry: RetryPolicy;
  timeouts: Timeouts;
  dispatcher: Dispatcher;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

type Outcome<T, E> = { ok: true; value: T } | { ok: false; error: E; sent?: Record<string, string> };

interface WireAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** `C`: the call's context as the error mapping reads it (an upstream may add fields to it). */
export class HttpTransport<E extends HttpFailure, C extends CallContext = CallContext> {
  private readonly limiter: FifoLimiter;
  private readonly baseUrl: string;
  private readonly settings: Settings;
  private readonly ownedAgent: Dispatcher | undefined;

  constructor(private readonly options: HttpTransportOptions<E, C>) {
    const retry = resolveRetryPolicy(options.retry);
    this.limiter = new FifoLimiter(options.concurrency);
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    const timeouts = resolveTimeouts(options.timeouts);
    this.ownedAgent = options.dispatcher ? undefined : createKeepAliveAgent(timeouts);
    this.settings = {
      retry,
      timeouts,
      dispatcher: options.dispatcher ?? (this.ownedAgent as Dispatcher),
      logger: options.logger ?? silentLogger,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
    };
  }

  /** Closes the Agent the transport made (a dispatcher it was given is its owner's to close). */
  async close(): Promise<void> {
    await this.ownedAgent?.close();
  }

  async send<T>(call: HttpCall<T, E> & Omit<C, "method" | "path">): Promise<T> {
    const { service } = this.options;
    const { retry, logger } = this.settings;
    const replay = call.replay ?? (call.method === "POST" ? "unsafe" : "safe");
    const url = this.baseUrl + call.path + queryString(call.query);
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const started = Date.now();
    let slept = 0;
    let refreshed = false;
    let lastMayHaveApplied = false;
    let mayHaveAppliedBefore = false;
    let attempt = 0;

    for (;;) {
      attempt++;
      if (lastMayHaveApplied && typeof replay === "function") {
        const found = await replay();
        if (found) return found.value;
      }
      const outcome = await this.attempt(call, url, payload, attempt);
      if (outcome.ok) return outcome.value;
      const { error } = outcome;

      const { auth } = this.options;
      if (error.status === 401 && outcome.sent !== undefined && auth.refreshAfterUnauthorized && !refreshed) {
        refreshed = true;
        if (await auth.refreshAfterUnauthorized(outcome.sent)) {
          // The refresh is not a failed attempt of this call: do not count it against the budget.
          attempt--;
          continue;
        }
        throw error;
      }

      const settled = await call.settle?.(error, { attempt, mayHaveAppliedBefore });
      if (settled) return settled.value;

      if (!error.retryable) throw error;
      if (error.status === 429 && call.retryRateLimited === false) throw error;
      if (error.mayHaveApplied && replay === "unsafe") throw error;
      if (attempt >= retry.maxAttempts) throw error;
      const delay = retryDelayMs(retry, attempt, this.settings.random, error.retryInSeconds);
      // An injected sleep does not move the clock, so count what we slept as well.
      const elapsed = Math.max(Date.now() - started, slept);
      if (elapsed + delay > retry.maxElapsedMs) throw error;

      logger.warn(`${service} request failed, retrying`, {
        method: call.method,
        path: call.path,
        status: error.status,
        code: error.code,
        attempt,
        delayMs: delay,
        requestId: error.requestId,
      });
      await this.settings.sleep(delay);
      slept += delay;
      lastMayHaveApplied = error.mayHaveApplied;
      mayHaveAppliedBefore ||= error.mayHaveApplied;
    }
  }

  private async attempt<T>(
    call: HttpCall<T, E> & Omit<C, "method" | "path">,
    url: string,
    payload: string | undefined,
    attempt: number,
  ): Promise<Outcome<T, E>> {
    const { auth, errors, service } = this.options;
    const { logger } = this.settings;
    const ctx = call as unknown as C;
    let sent: Record<string, string>;
    try {
      sent = await auth.headers();
    } catch (error) {
      if (auth.isOwnError?.(error)) return { ok: false, error };
      throw error;
    }

    const startedAt = performance.now();
    const log = (status: number | string, requestId?: string) =>
      logger.debug(`${service} request`, {
        method: call.method,
        path: call.path,
        status,
        ms: Math.round(performance.now() - startedAt),
        attempt,
        requestId,
      });

    let answer: WireAnswer;
    try {
      answer = await this.limiter.run(() => this.wire(call.method, url, payload, sent));
    } catch (cause) {
      const error = errors.fromTransport(ctx, cause, this.baseUrl);
      log(error.code);
      return { ok: false, error };
    }

    const { status, headers, text } = answer;
    const requestId = headerValue(headers["x-request-id"]);
    log(status, requestId);
    if (status < 200 || status > 299) {
      return { ok: false, error: errors.fromResponse(ctx, status, text, headers), sent };
    }
    if (call.schema === null) return { ok: true, value: undefined as T };

    let json: unknown;
    try {
      json =
        text.trim() === "" && this.options.emptyBody !== undefined
          ? this.options.emptyBody
          : JSON.parse(text);
    } catch (cause) {
      return { ok: false, error: errors.fromBadBody(ctx, status, "the body is not JSON", requestId, cause) };
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      const problem = summariseIssues(parsed.error);
      return { ok: false, error: errors.fromBadBody(ctx, status, problem, requestId, parsed.error) };
    }
    return { ok: true, value: parsed.data };
  }

  private async wire(
    method: HttpMethod,
    url: string,
    payload: string | undefined,
    credential: Record<string, string>,
  ): Promise<WireAnswer> {
    const headers: Record<string, string> = { ...credential, accept: "application/json" };
    if (payload !== undefined) headers["content-type"] = "application/json";
    const res = await request(url, {
      method,
      headers,
      body: payload,
      dispatcher: this.settings.dispatcher,
      headersTimeout: this.settings.timeouts.headersMs,
      bodyTimeout: this.settings.timeouts.bodyMs,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  }
}

function queryString(query: Record<string, string | number | undefined> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}
