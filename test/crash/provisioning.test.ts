/**
 * The bot process killed (SIGKILL) while many approvals are being provisioned, then restarted on the
 * same database: every request ends with one fully provisioned person, as in an uninterrupted run.
 * First kill: a person create DoorFlow carried out but never answered; then one at random.
 */
import { describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { createCrashWorld } from "../../tools/sandbox/crash/world.js";
import { provisioningScenario } from "./scenarios.js";
import { until } from "../helpers/until.js";
import { approveOne, expectSurvivesKills } from "./support.js";

describe("crash during provisioning", () => {
  it(
    "ends like an uninterrupted run after kills with six approvals in flight",
    { timeout: 60_000 },
    async () => {
      const run = await expectSurvivesKills(() => provisioningScenario(6), {
        plans: [{ method: "POST", path: /^\/api\/3\/people$/, atCall: 2, delayMs: 0 }],
        random: 1,
        seed: 0x51a7e,
      });
      expect(run.requests).toBe(6);
    },
  );
});

describe("a restart after a crash", () => {
  it(
    "syncs DoorFlow even with nothing left to do, for what the killed process never synced",
    { timeout: 30_000 },
    async () => {
      const world = await createCrashWorld();
      try {
        const { bot } = await world.startBot();
        const id = await approveOne(world);
        await until(
          () => getAccessRequest(world.db(), id)?.state === "active",
          "the request to become active",
        );
        // Killed while the sync it asked for was still waiting out its debounce (or just after it ran).
        bot.signal("SIGKILL");
        await bot.exited;
        const syncs = () => world.doorflow.sandbox.calls.filter((c) => c.path === "/api/3/sync").length;
        const before = syncs();
        await world.startBot();
        await until(() => syncs() > before, "a sync from the restarted bot");
        expect((await world.stopBot()).code).toBe(0);
      } finally {
        await world.close();
      }
    },
  );
});
