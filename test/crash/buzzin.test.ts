/**
 * The bot killed (SIGKILL) while Buzz-in requests go from approval to an issued pass, then started
 * again on the same database: first right after it answered `passes.permits.issued` (before the DM
 * the delivery asked for), then right after Buzz-in created a permit whose answer never reached it,
 * then at random Buzz-in calls. Every request ends active with one contractor and one permit, and
 * each live access code reached the requester exactly once.
 */
import { describe, expect, it } from "vitest";
import { buzzinScenario } from "./buzzin-scenario.js";
import { expectSurvivesKills } from "./support.js";

describe("crash during Buzz-in provisioning", () => {
  it(
    "loses no access code and makes no second permit, killed between a webhook's 2xx and the DM",
    { timeout: 90_000 },
    async () => {
      const run = await expectSurvivesKills(() => buzzinScenario(4), {
        plans: [
          { on: "buzzin-webhook-ack", event: "passes.permits.issued", atCall: 1, delayMs: 0 },
          { on: "buzzin", method: "POST", path: /^\/permits$/, atCall: 1, delayMs: 0 },
        ],
        random: 1,
        seed: 0xb022,
      });
      expect(run.requests).toBe(4);
      expect(run.buzzin).toMatchObject({ duplicatePermits: 0, lostCodes: 0, repeatedCodes: 0 });
    },
  );
});
