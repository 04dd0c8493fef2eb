/**
 * Racing a promise against a timer, for work that must answer within someone else's limit (Slack's
 * 3-second acknowledgement, a shutdown's drain). Written once: every wait-at-most in Gatehouse is
 * one of these. The raced promise itself keeps running; only the waiting stops.
 */
import { GatehouseError } from "./errors.js";

export class DeadlineExceeded extends GatehouseError {
  constructor(what: string, ms: number) {
    super("deadline_exceeded", `${what} took longer than ${ms} ms.`);
  }
}

/** `{value}` if `promise` fulfils within `ms`, `undefined` if the time is up first; rejects as it does. */
async function raceTimer<T>(
  promise: Promise<T>,
  ms: number,
  options: { holdProcess: boolean },
): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    if (!options.holdProcess) timer.unref();
  });
  try {
    return await Promise.race([promise.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Settles as `promise` does if it settles within `ms`, else rejects with DeadlineExceeded. The
 * promise itself keeps running (its result is dropped); the timer never holds the process open.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => undefined);
  const early = await raceTimer(promise, ms, { holdProcess: false });
  if (!early) throw new DeadlineExceeded(what, ms);
  return early.value;
}

/**
 * `promise`'s value if it fulfils within `ms`, else `undefined` (it keeps running); a rejection
 * within `ms` rejects. For a wait that goes on without the answer when the time is up.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return (await raceTimer(promise, ms, { holdProcess: true }))?.value;
}

/** `promise`'s outcome if it settles within `ms`, else `undefined` (it keeps running). */
export function settledWithin<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ value: T } | { error: unknown } | undefined> {
  return within(
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    ms,
  );
}
