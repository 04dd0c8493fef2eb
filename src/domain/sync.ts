/**
 * DoorFlow's sync pushes changes to the door controllers and allows about one call per 30 s. Every
 * grant, extension and offboarding asks for one; this debouncer turns the requests made within a
 * few seconds into one call, and on 429 waits DoorFlow's `retry_in` before calling again.
 */
import type { SyncResult } from "../doorflow/client.js";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";

export interface SyncScheduler {
  /** Asks for a sync soon; returns at once. */
  request(reason: string): void;
  /**
   * Resolves when no sync is running or about to run. A sync put off by DoorFlow's rate limit or
   * by an error counts as settled: it happens later by itself (tests, graceful shutdown).
   */
  idle(): Promise<void>;
  /** Runs a sync waiting out its debounce now, then resolves like `idle` (graceful shutdown). */
  flush(): Promise<void>;
  /** Cancels a waiting sync (shutdown); the next start syncs anyway. */
  stop(): void;
}

export interface SyncSchedulerOptions {
  sync: () => Promise<SyncResult>;
  logger: Logger;
  debounceMs?: number;
  /** After an error other than 429, try again after this long, at most `maxErrors` times in a row. */
  errorRetryMs?: number;
  maxErrors?: number;
}

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const debounceMs = options.debounceMs ?? 2_000;
  const errorRetryMs = options.errorRetryMs ?? 30_000;
  const maxErrors = options.maxErrors ?? 5;
  let timer: NodeJS.Timeout | undefined;
  /** The pending timer waits out a 429 or an error rather than a debounce. */
  let deferred = false;
  let running: Promise<void> | undefined;
  let wanted = false;
  let errors = 0;
  let waiters: Array<() => void> = [];

  const settleIfIdle = () => {
    if ((timer && !deferred) || running) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  const fire = () => {
    timer = undefined;
    deferred = false;
    running = run().finally(() => {
      running = undefined;
      if (wanted) schedule(debounceMs);
      settleIfIdle();
    });
  };

  const schedule = (ms: number, isDeferral = false) => {
    if (timer) return;
    deferred = isDeferral;
    timer = setTimeout(fire, ms);
  };

  const run = async () => {
    wanted = false;
    try {
      const result = await options.sync();
      if (result.status === "rate_limited") {
        options.logger.info("doorflow sync rate limited, waiting", { retryInSeconds: result.retryInSeconds });
        wanted = false;
        schedule(result.retryInSeconds * 1000, true);
        return;
      }
      errors = 0;
      options.logger.info("doorflow sync requested");
    } catch (error) {
      errors++;
      options.logger.warn("doorflow sync failed", { error: errorMessage(error), consecutive: errors });
      if (errors < maxErrors) schedule(errorRetryMs, true);
    }
  };

  const idle = (): Promise<void> => {
    if ((!timer || deferred) && !running) return Promise.resolve();
    return new Promise((resolve) => waiters.push(resolve));
  };

  return {
    request(reason) {
      options.logger.debug("doorflow sync wanted", { reason });
      if (running) {
        wanted = true;
        return;
      }
      schedule(debounceMs);
    },
    idle,
    flush() {
      if (timer && !deferred) {
        clearTimeout(timer);
        fire();
      }
      return idle();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      wanted = false;
      settleIfIdle();
    },
  };
}
