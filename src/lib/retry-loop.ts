/**
 * Work retried in the background until it succeeds: the start-up check while a service is down,
 * learning Slack's ids, opening Socket Mode. Pauses follow `delaysMs` (the last one repeats); a
 * failed try is logged by the caller's `attempt`, which answers whether it succeeded.
 */
export interface RetryLoop {
  /** Resolves true once an attempt succeeded, false if the loop was stopped first. */
  readonly done: Promise<boolean>;
  /** Tries now instead of waiting out the pause (nothing happens while a try is running). */
  nudge(): void;
  stop(): void;
}

const DEFAULT_RETRY_DELAYS_MS = [5_000, 15_000, 30_000, 60_000];

export function retryUntilDone(
  attempt: () => Promise<boolean>,
  options: { delaysMs?: number[]; immediately?: boolean } = {},
): RetryLoop {
  const delays = options.delaysMs?.length ? options.delaysMs : DEFAULT_RETRY_DELAYS_MS;
  let tries = 0;
  let stopped = false;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let finish: (succeeded: boolean) => void = () => undefined;
  const done = new Promise<boolean>((resolve) => (finish = resolve));

  const tryNow = () => {
    if (stopped || running) return;
    clearTimeout(timer);
    running = true;
    attempt()
      .catch(() => false)
      .then((succeeded) => {
        running = false;
        if (stopped) return;
        if (succeeded) {
          stopped = true;
          finish(true);
          return;
        }
        const pause = delays[Math.min(tries, delays.length - 1)] as number;
        tries += 1;
        timer = setTimeout(tryNow, pause);
        // A loop waiting for a service must not keep a stopping process alive.
        timer.unref();
      })
      .catch(() => undefined);
  };

  if (options.immediately === false) {
    timer = setTimeout(tryNow, delays[0]);
    timer.unref();
    tries = 1;
  } else tryNow();
  return {
    done,
    nudge: tryNow,
    stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      finish(false);
    },
  };
}
