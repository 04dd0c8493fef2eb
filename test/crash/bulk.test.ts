/**
 * The bot process killed (SIGKILL) during a bulk offboarding, at the first disable: the restarted
 * bot's catch-up finishes whoever the run had begun (nobody is left disabled with live reservations),
 * and the operator's second run ends in the same DoorFlow state as one uninterrupted run.
 */
import { describe, expect, it } from "vitest";
import { bulkScenario } from "./scenarios.js";
import { expectSurvivesKills } from "./support.js";

describe("crash during a bulk offboarding", () => {
  it("leaves nobody half offboarded and ends like an uninterrupted run", { timeout: 60_000 }, async () => {
    const run = await expectSurvivesKills(() => bulkScenario(3, 6), {
      plans: [{ method: "PUT", path: /^\/api\/3\/people\/\d+$/, atCall: 1, delayMs: 0 }],
    });
    expect(run.offboardings).toBe(3 + 6 + 1);
  });

  // Bench seed 932164: DoorFlow deleted a visitor's reservation but the bot died before recording
  // it ended, so the restart asked DoorFlow to delete it again by its recorded id.
  it(
    "finishes a visitor whose reservation was deleted just before the kill",
    { timeout: 60_000 },
    async () => {
      const run = await expectSurvivesKills(() => bulkScenario(3, 0), {
        plans: [{ method: "DELETE", path: /^\/api\/3\/reservations\/\d+$/, atCall: 1, delayMs: 0 }],
      });
      expect(run.offboardings).toBe(3 + 1);
    },
  );
});
