import { afterEach, describe, expect, it } from "vitest";
import { FifoLimiter } from "../../src/lib/http/limiter.js";
import { closeHarnesses, createHarness, gate, person, until } from "./support.js";

afterEach(closeHarnesses);

describe("requests on the wire", () => {
  it("never has more than `concurrency` requests outstanding, and uses all of them", async () => {
    const h = createHarness({ concurrency: 3 });
    const held: Array<() => void> = [];
    h.mock.route((req) => {
      const g = gate();
      held.push(g.open);
      return { body: person(Number(req.path.split("/").pop())), hold: g.promise };
    });

    const calls = Array.from({ length: 10 }, (_, i) => h.client.getPerson(i + 1));
    let released = 0;
    while (released < 10) {
      await until(() => held.length === Math.min(10, released + 3));
      // Give a fourth request every chance to slip out before releasing one.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(h.mock.requests.length - released).toBeLessThanOrEqual(3);
      held[released++]!();
    }
    const people = await Promise.all(calls);
    expect(people.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(h.mock.maxInFlight()).toBe(3);
  });

  it("sends waiting calls in the order they were made", async () => {
    const h = createHarness({ concurrency: 2 });
    const held: Array<() => void> = [];
    h.mock.route((req) => {
      const g = gate();
      held.push(g.open);
      return { body: person(Number(req.path.split("/").pop())), hold: g.promise };
    });

    const calls = [5, 9, 2, 7, 1, 8].map((id) => h.client.getPerson(id));
    for (let n = 2; n <= 6; n++) {
      await until(() => held.length === n);
      // Release the newest request first, so that completion order differs from start order.
      held[n - 1]!();
    }
    held[0]!();
    await Promise.all(calls);
    expect(h.mock.requests.map((r) => r.path)).toEqual([5, 9, 2, 7, 1, 8].map((id) => `/api/3/people/${id}`));
    expect(h.mock.maxInFlight()).toBe(2);
  });

  it("a call waiting for its retry does not hold a slot", async () => {
    let pausedRetry!: () => void;
    const sleeps: number[] = [];
    const h = createHarness({
      concurrency: 1,
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise<void>((resolve) => (pausedRetry = resolve));
      },
    });
    const { client } = h;
    h.mock.route((req) =>
      req.path === "/api/3/people/1" && h.mock.count("GET", req.path) === 1
        ? { status: 503, body: {} }
        : { body: person(Number(req.path.split("/").pop())) },
    );
    const first = client.getPerson(1);
    await until(() => sleeps.length === 1);
    // While the first call sleeps before its retry, another call gets the only slot.
    await expect(client.getPerson(2)).resolves.toMatchObject({ id: 2 });
    pausedRetry();
    await expect(first).resolves.toMatchObject({ id: 1 });
    expect(h.mock.requests.map((r) => r.path)).toEqual([
      "/api/3/people/1",
      "/api/3/people/2",
      "/api/3/people/1",
    ]);
  });
});

describe("FifoLimiter", () => {
  it("starts queued tasks in arrival order and hands a freed slot straight to the next", async () => {
    const limiter = new FifoLimiter(1);
    const started: string[] = [];
    const first = gate();
    const a = limiter.run(async () => {
      started.push("a");
      await first.promise;
    });
    const b = limiter.run(async () => void started.push("b"));
    const c = limiter.run(async () => void started.push("c"));
    await until(() => started.length === 1);
    expect(limiter.inFlight).toBe(1);
    first.open();
    await Promise.all([a, b, c]);
    expect(started).toEqual(["a", "b", "c"]);
    expect(limiter.inFlight).toBe(0);
  });

  it("frees the slot when a task fails", async () => {
    const limiter = new FifoLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run(async () => "next")).resolves.toBe("next");
    expect(limiter.inFlight).toBe(0);
  });

  it.each([0, 1.5, -1, Number.NaN])("refuses a limit of %s", (limit) => {
    expect(() => new FifoLimiter(limit)).toThrow(RangeError);
  });
});
