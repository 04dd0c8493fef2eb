import { describe, expect, it } from "vitest";
import { DeadlineExceeded, settledWithin, withDeadline, within } from "../../src/lib/deadline.js";
import { createWorkTracker } from "../../src/lib/work.js";

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number, error: Error) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(error), ms));

describe("withDeadline", () => {
  it("answers as the work does when it is in time", async () => {
    expect(await withDeadline(after(5, "done"), 200, "Checking")).toBe("done");
    await expect(withDeadline(failAfter(5, new Error("boom")), 200, "Checking")).rejects.toThrow("boom");
  });

  it("rejects with DeadlineExceeded, naming the work, when the time is up", async () => {
    const late = withDeadline(after(200, "done"), 10, "Checking DoorFlow");
    await expect(late).rejects.toBeInstanceOf(DeadlineExceeded);
    await expect(late).rejects.toMatchObject({
      code: "deadline_exceeded",
      message: "Checking DoorFlow took longer than 10 ms.",
    });
  });

  it("leaves no unhandled rejection when the work fails after the deadline", async () => {
    const work = failAfter(20, new Error("too late"));
    await expect(withDeadline(work, 5, "Checking")).rejects.toBeInstanceOf(DeadlineExceeded);
    await expect(work).rejects.toThrow("too late");
  });
});

describe("within", () => {
  it("gives the value in time, undefined once the time is up, and passes a rejection on", async () => {
    expect(await within(after(5, 7), 200)).toBe(7);
    expect(await within(after(200, 7), 10)).toBeUndefined();
    await expect(within(failAfter(5, new Error("boom")), 200)).rejects.toThrow("boom");
  });
});

describe("settledWithin", () => {
  it("wraps the outcome in time, and is undefined once the time is up", async () => {
    expect(await settledWithin(after(5, "ok"), 200)).toEqual({ value: "ok" });
    const error = new Error("boom");
    expect(await settledWithin(failAfter(5, error), 200)).toEqual({ error });
    expect(await settledWithin(after(200, "ok"), 10)).toBeUndefined();
  });
});

describe("WorkTracker.drain", () => {
  it("waits for work, also work started while draining, and counts what is left when the time is up", async () => {
    const work = createWorkTracker();
    void work.run(async () => {
      await after(5, undefined);
      void work.run(() => after(5, undefined));
    });
    expect(await work.drain(500)).toBe(0);

    void work.run(() => after(300, undefined));
    const started = Date.now();
    expect(await work.drain(20)).toBe(1);
    expect(Date.now() - started).toBeLessThan(250);
  });
});
