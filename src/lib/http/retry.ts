/**
 * Retry timing for calls to an upstream (DoorFlow, Buzz-in). Neither documents rate-limit numbers,
 * so we back off exponentially with full jitter (spreads a burst of clients instead of having them
 * retry in step) and always wait at least what the upstream asks for (`retry_in` / `Retry-After`).
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxElapsedMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxElapsedMs: 30_000,
};

export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY, ...stripUndefined(overrides ?? {}) };
  if (!(policy.maxAttempts >= 1)) throw new RangeError("retry.maxAttempts must be at least 1");
  return policy;
}

/** The ceiling of the jitter window before attempt `failedAttempt + 1` (1-based attempts). */
export function backoffCeilingMs(policy: RetryPolicy, failedAttempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
}

/**
 * How long to wait after attempt `failedAttempt` failed: a uniformly random delay up to the
 * exponential ceiling, but never less than the server's own `retry_in` / `Retry-After`.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failedAttempt: number,
  random: () => number,
  retryAfterSeconds?: number,
): number {
  const jittered = Math.floor(random() * backoffCeilingMs(policy, failedAttempt));
  const asked = retryAfterSeconds === undefined ? 0 : Math.ceil(retryAfterSeconds * 1000);
  return Math.max(jittered, asked);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
