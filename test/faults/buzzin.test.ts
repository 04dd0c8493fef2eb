/**
 * The fault suite's Buzz-in variant: Buzz-in's API failing on every call and its webhooks lost and
 * repeated while requests go from approval to an issued pass and contracts end. Nothing duplicated
 * in Buzz-in, no access-code DM lost or sent twice, no alert twice. The heavy variant is in
 * bench/faults.ts.
 */
import { describe, expect, it } from "vitest";
import { runBuzzinScenario } from "./buzzin-scenario.js";
import { lightBuzzinScenarios } from "./buzzin-scenarios.js";

describe("Buzz-in under faults: no duplicate permit, no lost or repeated access code", () => {
  it.each(lightBuzzinScenarios().map((sc) => [sc.name, sc] as const))(
    "%s",
    { timeout: 120_000 },
    async (_name, scenario) => {
      const report = await runBuzzinScenario(scenario);
      expect(report.problems).toEqual([]);
      expect([report.duplicatePermits, report.lostDms, report.repeatedDms, report.repeatedAlerts]).toEqual([
        0, 0, 0, 0,
      ]);
      expect(report.requests).toBe(scenario.requests);
      expect(report.offboardings).toBe(scenario.due);
      // The faults really happened.
      if (scenario.buzzin) expect(report.faults.buzzin).toBeGreaterThan(5);
      if (scenario.webhooks)
        expect(report.faults.webhooksLost + report.faults.webhooksRepeated).toBeGreaterThan(2);
    },
  );
});
