import { describe, expect, it } from "vitest";
import { retryUntilDone } from "../../src/lib/retry-loop.js";

describe("retryUntilDone", () => {
  it("tries until an attempt succeeds, pausing as told (the last pause repeats)", async () => {
    const at: number[] = [];
    const t0 = Date.now();
    const loop = retryUntilDone(
      async () => {
        at.push(Date.now() - t0);
        return at.length === 4;
      },
      { delaysMs: [20, 60] },
    );
    expect(await loop.done).toBe(true);
    expect(at).toHaveLength(4);
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(55);
    expect(gaps[2]).toBeGreaterThanOrEqual(55);
  });

  it("counts a throw as a failed try, tries at once when nudged, and ends with false when stopped", async () => {
    let tries = 0;
    const loop = retryUntilDone(
      async () => {
        tries += 1;
        throw new Error("down");
      },
      { delaysMs: [60_000] },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tries).toBe(1);
    loop.nudge();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tries).toBe(2);
    loop.stop();
    expect(await loop.done).toBe(false);
    loop.nudge();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(tries).toBe(2);
  });
});
