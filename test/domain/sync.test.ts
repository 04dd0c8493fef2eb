import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSyncScheduler } from "../../src/domain/sync.js";
import type { SyncResult } from "../../src/doorflow/client.js";
import { silentLogger } from "../../src/lib/logger.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("DoorFlow sync debouncer", () => {
  it("turns requests made within the debounce window into one sync", async () => {
    const sync = vi.fn(async (): Promise<SyncResult> => ({ status: "requested" }));
    const s = createSyncScheduler({ sync, logger: silentLogger, debounceMs: 2_000 });
    s.request("a");
    await vi.advanceTimersByTimeAsync(1_000);
    s.request("b");
    s.request("c");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sync).toHaveBeenCalledTimes(1);
    await s.idle();
    s.request("d");
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it("waits DoorFlow's retry_in after a 429, then syncs once", async () => {
    const answers: SyncResult[] = [{ status: "rate_limited", retryInSeconds: 25 }, { status: "requested" }];
    const sync = vi.fn(async () => answers.shift() ?? { status: "requested" as const });
    const s = createSyncScheduler({ sync, logger: silentLogger, debounceMs: 100 });
    s.request("grant");
    await vi.advanceTimersByTimeAsync(100);
    expect(sync).toHaveBeenCalledTimes(1);
    s.request("another grant");
    await vi.advanceTimersByTimeAsync(24_000);
    expect(sync).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it("asks again after a sync that was running when a change came in", async () => {
    let release: (() => void) | undefined;
    const sync = vi.fn(
      () =>
        new Promise<SyncResult>((resolve) => {
          release = () => resolve({ status: "requested" });
        }),
    );
    const s = createSyncScheduler({ sync, logger: silentLogger, debounceMs: 10 });
    s.request("first");
    await vi.advanceTimersByTimeAsync(10);
    s.request("during");
    release?.();
    await vi.advanceTimersByTimeAsync(10);
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it("retries a failed sync a bounded number of times", async () => {
    const sync = vi.fn(async (): Promise<SyncResult> => {
      throw new Error("DoorFlow down");
    });
    const s = createSyncScheduler({
      sync,
      logger: silentLogger,
      debounceMs: 10,
      errorRetryMs: 1_000,
      maxErrors: 3,
    });
    s.request("grant");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sync).toHaveBeenCalledTimes(3);
  });
});
