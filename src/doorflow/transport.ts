/**
 * The one place that talks HTTP to DoorFlow: undici `request()` over one keep-alive Agent (fetch on
 * the same Agent measured ~1.5x slower here), a FIFO concurrency limit, bounded retries with
 * jitter, one token refresh on 401, and a zod parse of every answer. Resource methods in client.ts
 * describe a call; this file decides whether and when it may be sent again.
 */
import { Agent, type Dispatcher, request } from "undici";
import type { z } from "zod";
import type { Logger } from "../lib/logger.js";
import type { DoorFlowAuth } from "./auth.js";
import {
  type CallContext,
  type CallLabel,
  DoorFlowError,
  errorFromBadBody,
  errorFromResponse,
  errorFromTransport,
  headerValue,
} from "./errors.js";
import { FifoLimiter } from "./limiter.js";
import { type RetryPolicy, retryDelayMs } from "./retry.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface Timeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, headersMs: 15_000, bodyMs: 15_000 };

/** The keep-alive Agent Gatehouse uses for DoorFlow (the client makes one unless given a dispatcher). */
export function createDoorFlowAgent(timeouts: Partial<Timeouts> = {}): Agent {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  return new Agent({
    connect: { timeout: t.connectMs },
    headersTimeout: t.headersMs,
    bodyTimeout: t.bodyMs,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
}

/**
 * Whether a call may be sent again after an attempt that DoorFlow may have carried out:
 * "safe" (GET/PUT/DELETE, or a POST whose duplicate DoorFlow refuses), "unsafe" (a POST that could
 * create a second record), or a lookup that returns the record the lost attempt created, if any.
 */
export type Replay<T> = "safe" | "unsafe" | (() => Promise<{ value: T } | undefined>);

export interface Call<T> extends CallLabel {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** null: the body is ignored (DELETE answers text/plain or `{result: "ok"}`). */
  schema: z.ZodType<T> | null;
  /** Default: "safe" for GET/PUT/DELETE, "unsafe" for POST. */
  replay?: Replay<T>;
  /** Turns an expected failure into a value (e.g. DELETE 404 after a retry: already gone). */
  settle?: (
    error: DoorFlowError,
    history: { attempt: number; mayHaveAppliedBefore: boolean },
  ) => { value: T } | undefined;
  /** false: a 429 is returned to the caller at once (sync has its own debouncer). */
  retryRateLimited?: boolean;
}

export interface TransportOptions {
  baseUrl: string;
  auth: DoorFlowAuth;
  concurrency: number;
  retry: RetryPolicy;
  timeouts: Timeouts;
  dispatcher: Dispatcher;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: DoorFlowError; authorization?: string };

interface WireAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export class DoorFlowTransport {
  private readonly limiter: FifoLimiter;
  private readonly baseUrl: string;

  constructor(private readonly options: TransportOptions) {
    this.limiter = new FifoLimiter(options.concurrency);
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  async send<T>(call: Call<T>): Promise<T> {
    const { retry, logger } = this.options;
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

      if (error.status === 401 && outcome.authorization !== undefined && !refreshed) {
        refreshed = true;
        if (await this.options.auth.refreshAfterUnauthorized(outcome.authorization)) {
          // The refresh is not a failed attempt of this call: do not count it against the budget.
          attempt--;
          continue;
        }
        throw error;
      }

      const settled = call.settle?.(error, { attempt, mayHaveAppliedBefore });
      if (settled) return settled.value;

      if (!error.retryable) throw error;
      if (error.code === "doorflow_rate_limited" && call.retryRateLimited === false) throw error;
      if (error.mayHaveApplied && replay === "unsafe") throw error;
      if (attempt >= retry.maxAttempts) throw error;
      const delay = retryDelayMs(retry, attempt, this.options.random, error.retryInSeconds);
      // An injected sleep does not move the clock, so count what we slept as well.
      const elapsed = Math.max(Date.now() - started, slept);
      if (elapsed + delay > retry.maxElapsedMs) throw error;

      logger.warn("doorflow request failed, retrying", {
        method: call.method,
        path: call.path,
        status: error.status,
        code: error.code,
        attempt,
        delayMs: delay,
        requestId: error.requestId,
      });
      await this.options.sleep(delay);
      slept += delay;
      lastMayHaveApplied = error.mayHaveApplied;
      mayHaveAppliedBefore ||= error.mayHaveApplied;
    }
  }

  private async attempt<T>(
    call: Call<T>,
    url: string,
    payload: string | undefined,
    attempt: number,
  ): Promise<Outcome<T>> {
    const ctx: CallContext = { method: call.method, path: call.path, doing: call.doing, what: call.what };
    let authorization: string;
    try {
      authorization = await this.options.auth.authorization();
    } catch (error) {
      if (error instanceof DoorFlowError) return { ok: false, error };
      throw error;
    }

    const startedAt = performance.now();
    let answer: WireAnswer;
    try {
      answer = await this.limiter.run(() => this.wire(call.method, url, payload, authorization));
    } catch (cause) {
      const error = errorFromTransport(ctx, cause, this.baseUrl);
      this.options.logger.debug("doorflow request", {
        method: call.method,
        path: call.path,
        status: error.code,
        ms: Math.round(performance.now() - startedAt),
        attempt,
      });
      return { ok: false, error };
    }

    const { status, headers, text } = answer;
    const requestId = headerValue(headers["x-request-id"]);
    this.options.logger.debug("doorflow request", {
      method: call.method,
      path: call.path,
      status,
      ms: Math.round(performance.now() - startedAt),
      attempt,
      requestId,
    });
    if (status < 200 || status > 299) {
      return { ok: false, error: errorFromResponse(ctx, status, text, headers), authorization };
    }
    if (call.schema === null) return { ok: true, value: undefined as T };

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      return { ok: false, error: errorFromBadBody(ctx, status, "the body is not JSON", requestId, cause) };
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        error: errorFromBadBody(ctx, status, summariseIssues(parsed.error), requestId, parsed.error),
      };
    }
    return { ok: true, value: parsed.data };
  }

  private async wire(
    method: HttpMethod,
    url: string,
    payload: string | undefined,
    authorization: string,
  ): Promise<WireAnswer> {
    const headers: Record<string, string> = { authorization, accept: "application/json" };
    if (payload !== undefined) headers["content-type"] = "application/json";
    const res = await request(url, {
      method,
      headers,
      body: payload,
      dispatcher: this.options.dispatcher,
      headersTimeout: this.options.timeouts.headersMs,
      bodyTimeout: this.options.timeouts.bodyMs,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  }
}

function queryString(query: Call<unknown>["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}
