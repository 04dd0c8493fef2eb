import { within } from "./deadline.js";

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
      // Work may start more work while it runs: wait until none is left, or the time is up.
      const idle = (async () => {
        while (running.size > 0) await Promise.allSettled([...running]);
      })();
      await within(idle, timeoutMs);
      return running.size;
    },
    get active() {
      return running.size;
    },
  };
}
