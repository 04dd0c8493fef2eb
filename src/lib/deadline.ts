/** Racing a promise against a deadline, for work that must answer within someone else's limit. */
import { GatehouseError } from "./errors.js";

export class DeadlineExceeded extends GatehouseError {
  constructor(what: string, ms: number) {
    super("deadline_exceeded", `${what} took longer than ${ms} ms.`);
  }
}

/**
 * Settles as `promise` does if it settles within `ms`, else rejects with DeadlineExceeded. The
 * promise itself keeps running (its result is dropped); the timer never holds the process open.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms);
    timer.unref();
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
