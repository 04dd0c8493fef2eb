/**
 * The bot process killed (SIGKILL) while the daily job's catch-up offboards contracts and visits that
 * end today, at the first group reservation it removes: the restarted bot takes the dead run's leases
 * over at once and finishes the job, with the same DoorFlow state as an uninterrupted run and nobody
 * offboarded before their end date.
 */
import { describe, expect, it } from "vitest";
import { dailyScenario } from "./scenarios.js";
import { expectSurvivesKills } from "./support.js";

describe("crash during the daily job", () => {
  it(
    "finishes every due offboarding after a kill, as an uninterrupted run does",
    { timeout: 60_000 },
    async () => {
      const run = await expectSurvivesKills(() => dailyScenario(5, 2), {
        plans: [{ method: "DELETE", path: /^\/api\/3\/group_reservations\/\d+$/, atCall: 1, delayMs: 0 }],
      });
      expect(run.offboardings).toBe(5);
    },
  );
});
