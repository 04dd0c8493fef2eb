/**
 * Unauthenticated memory exhaustion, against the real bot process: 100 connections each holding a
 * 4 MB unsigned Slack body (the review took the process from 140 MB to 557 MB this way) leave it
 * answering /healthz, and grow it by less than 60 MB: from the built bot's 140 MB, under 200 MB.
 * (The bot runs here through tsx, which adds some 30 MB of its own before the probe starts;
 * bench/intake.ts measures the built bot against 200 MB.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { type CrashWorld, createCrashWorld } from "../../tools/sandbox/crash/world.js";
import { runIntakeProbe } from "./intake-probe.js";

let world: CrashWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("intake under 100 connections holding big unsigned bodies", () => {
  it.each([
    ["4 MB bodies, half declared, half chunked", 4 * 1024 * 1024],
    ["bodies just under the 256 KB limit, held unfinished", 255 * 1024],
  ])("%s: the bot grows by under 60 MB and answers /healthz", { timeout: 90_000 }, async (_, bodyBytes) => {
    world = await createCrashWorld();
    const { bot } = await world.startBot();
    const result = await runIntakeProbe({ url: bot.url, pid: bot.pid, sockets: 100, bodyBytes });
    expect(result.rssPeakMb - result.rssBeforeMb).toBeLessThan(60);
    expect(result.healthz.length).toBeGreaterThan(0);
    expect(result.healthz.every((h) => h.status === 200)).toBe(true);
    expect(bot.gone).toBe(false);
    if (bodyBytes > 256 * 1024) {
      // Refused (413) and closed at once, not read to the end nor held.
      expect(result.closedByServer).toBe(100);
      expect(Object.keys(result.answered).every((status) => status === "413" || status === "none")).toBe(
        true,
      );
    }
  });
});
