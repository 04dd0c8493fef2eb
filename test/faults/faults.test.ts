/**
 * The fault suite's light variant: each scenario runs a morning's work through the real bot while
 * DoorFlow or Slack misbehaves, then lets retries finish with the faults cleared. After each:
 * every approved request is provisioned in full or failed with an alert, every due offboarding is
 * done and verified or alerted, nothing is duplicated in DoorFlow and no alert is posted twice.
 * The heavy variant (more work, more seeds, harsher faults) is bench/faults.ts.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "./scenario.js";
import { lightScenarios } from "./scenarios.js";

describe("under faults nothing is lost, duplicated or alerted twice", () => {
  it.each(lightScenarios().map((sc) => [sc.name, sc] as const))(
    "%s",
    { timeout: 120_000 },
    async (_name, scenario) => {
      const report = await runScenario(scenario);
      expect(report.problems).toEqual([]);
      expect(report.duplicates).toBe(0);
      expect(report.repeatedAlerts).toBe(0);
      expect(report.lostPosts).toBe(0);
      const { mix } = scenario;
      expect(report.requests).toBe(mix.contractors + mix.visitors);
      expect(report.offboardings).toBeGreaterThanOrEqual(mix.dueContractors + mix.offboardNow + mix.bulk);
      // The faults really happened; DoorFlow down at 17:00 really failed (and alerted) every due offboarding.
      if (scenario.doorflow) expect(report.faults.doorflow).toBeGreaterThan(10);
      if (scenario.slack) expect(report.faults.slack).toBeGreaterThanOrEqual(scenario.slack.length);
      if (scenario.slackDown) expect(report.faults.slack).toBeGreaterThan(10);
      if (scenario.doorflowAtDaily) expect(report.underFaults.offboardingsNotDone).toBe(mix.dueContractors);
    },
  );
});
