/**
 * The one place that talks HTTP to Buzz-in, with DoorFlow's discipline and its parts: undici
 * `request()` on one keep-alive Agent, the same FIFO concurrency limit and jittered backoff, a zod
 * parse of every answer. A call that could create a second record is not sent again once Buzz-in
 * may have carried it out, unless a unique key makes the repeat harmless (`POST /permits` carries
 * `salesforcePermitId`: a second one is a 409, never a second permit).
 */
import { Agent, type Dispatcher, request } from "undici";
import type { z } from "zod";
import { headerValue } from "../doorflow/errors.js";
import { FifoLimiter } from "../doorflow/limiter.js";
import { type RetryPolicy, retryDelayMs } from "../doorflow/retry.js";
import type { Logger } from "../lib/logger.js";
import {
  type BuzzinCallContext,
  type BuzzinError,
  errorFromBadBody,
  errorFromResponse,
  errorFromTransport,
} from "./errors.js";

export type BuzzinMethod = "GET" | "POST" | "PATCH";

export interface BuzzinTimeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

export const BUZZIN_DEFAULT_TIMEOUTS: BuzzinTimeouts = {
  connectMs: 5_000,
  headersMs: 15_000,
  bodyMs: 15_000,
};

export function createBuzzinAgent(t: BuzzinTimeouts): Agent {
  return new Agent({
    connect: { timeout: t.connectMs },
    headersTimeout: t.headersMs,
    bodyTimeout: t.bodyMs,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
}

export interface BuzzinCall<T> extends Omit<BuzzinCallContext, "method" | "path"> {
  method: BuzzinMethod;
  path: string;
  body?: unknown;
  schema: z.ZodType<T>;
  /**
   * "safe": the same request twice leaves the same state (GET, a PATCH that sets a value);
   * "unsafe": a repeat could create a second record. Default: unsafe for POST, safe otherwise.
   */
  replay?: "safe" | "unsafe";
  /** Turns an expected failure into a value, e.g. a 409 after a lost answer that already applied. */
  settle?: (
    error: BuzzinError,
    history: { mayHaveAppliedBefore: boolean },
  ) => Promise<{ value: T } | undefined>;
}

export interface BuzzinTransportOptions {
  baseUrl: string;
  apiKey: string;
  apiKeyHeader: string;
  concurrency: number;
  retry: RetryPolicy;
  timeouts: BuzzinTimeouts;
  dispatcher: Dispatcher;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: BuzzinError };

export class BuzzinTransport {
  private readonly limiter: FifoLimiter;
  private readonly baseUrl: string;

  constructor(private readonly options: BuzzinTransportOptions) {
    this.limiter = new FifoLimiter(options.concurrency);
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  async send<T>(call: BuzzinCall<T>): Promise<T> {
    const { retry, logger } = this.options;
    const replay = call.replay ?? (call.method === "POST" ? "unsafe" : "safe");
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const started = Date.now();
    let slept = 0;
    let mayHaveAppliedBefore = false;

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(call, payload, attempt);
      if (outcome.ok) return outcome.value;
      const { error } = outcome;

      const settled = await call.settle?.(error, { mayHaveAppliedBefore });
      if (settled) return settled.value;
      if (!error.retryable) throw error;
      if (error.mayHaveApplied && replay === "unsafe") throw error;
      if (attempt >= retry.maxAttempts) throw error;
      const delay = retryDelayMs(retry, attempt, this.options.random, error.retryInSeconds);
      // An injected sleep does not move the clock, so count what we slept as well.
      if (Math.max(Date.now() - started, slept) + delay > retry.maxElapsedMs) throw error;

      logger.warn("buzzin request failed, retrying", {
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
      mayHaveAppliedBefore ||= error.mayHaveApplied;
    }
  }

  private async attempt<T>(
    call: BuzzinCall<T>,
    payload: string | undefined,
    attempt: number,
  ): Promise<Outcome<T>> {
    const ctx: BuzzinCallContext = {
      method: call.method,
      path: call.path,
      doing: call.doing,
      what: call.what,
      conflictIsDuplicate: call.conflictIsDuplicate,
    };
    const startedAt = performance.now();
    const log = (status: number | string, requestId?: string) =>
      this.options.logger.debug("buzzin request", {
        method: call.method,
        path: call.path,
        status,
        ms: Math.round(performance.now() - startedAt),
        attempt,
        requestId,
      });

    let answer: { status: number; headers: Record<string, string | string[] | undefined>; text: string };
    try {
      answer = await this.limiter.run(() => this.wire(call.method, call.path, payload));
    } catch (cause) {
      const error = errorFromTransport(ctx, cause, this.baseUrl);
      log(error.code);
      return { ok: false, error };
    }
    const { status, headers, text } = answer;
    const requestId = headerValue(headers["x-request-id"]);
    log(status, requestId);
    if (status < 200 || status > 299) {
      return { ok: false, error: errorFromResponse(ctx, status, text, headers) };
    }
    let json: unknown;
    try {
      // "Pass updated" is documented as `{}`; an empty 200 means the same.
      json = text.trim() === "" ? {} : JSON.parse(text);
    } catch (cause) {
      const error = errorFromBadBody(ctx, status, "the body is not JSON", requestId, cause);
      return { ok: false, error };
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      const problem = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
        .join("; ");
      const error = errorFromBadBody(ctx, status, problem, requestId, parsed.error);
      return { ok: false, error };
    }
    return { ok: true, value: parsed.data };
  }

  private async wire(method: BuzzinMethod, path: string, payload: string | undefined) {
    const headers: Record<string, string> = {
      [this.options.apiKeyHeader]: this.options.apiKey,
      accept: "application/json",
    };
    if (payload !== undefined) headers["content-type"] = "application/json";
    const res = await request(this.baseUrl + path, {
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
