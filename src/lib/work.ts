/**
 * Work started after Slack was acknowledged (provisioning after a click, a modal's follow-up).
 * Bolt's `app.stop()` does not wait for it, so shutdown drains it here, bounded in time.
 */
export interface WorkTracker {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves when all tracked work has settled, or after `timeoutMs`; returns how many were still running. */
  drain(timeoutMs: number): Promise<number>;
  readonly active: number;
}

export function createWorkTracker(): WorkTracker {
  const running = new Set<Promise<unknown>>();
  return {
    run(work) {
      const p = work();
      running.add(p);
      const forget = () => running.delete(p);
      p.then(forget, forget);
      return p;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      while (running.size > 0) {
        const settled = Promise.allSettled([...running]).then(() => undefined);
        const winner = await Promise.race([
          settled.then(() => "done" as const),
          timeout.then(() => "timeout" as const),
        ]);
        if (winner === "timeout") break;
      }
      clearTimeout(timer);
      return running.size;
    },
    get active() {
      return running.size;
    },
  };
}

/** `promise`'s outcome if it settles within `ms`, else `undefined` (it keeps running). */
export async function settledWithin<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ value: T } | { error: unknown } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
