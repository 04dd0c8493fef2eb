/**
 * The fault suite's heavy variant: every scenario of test/faults/scenarios.ts (DoorFlow 5xx, 429
 * bursts, slow answers, dropped connections, DoorFlow down at the daily run, Slack 429 and 5xx,
 * Slack down for 10 simulated minutes in the morning and around the daily run, and all of them at
 * once) over several seeds, each with 32 requests, 20 leavers offboarded now or in bulk and 8
 * contracts due, through the real bot; then the Buzz-in scenarios of
 * test/faults/buzzin-scenarios.ts (5xx, 429 and dropped connections on every call, webhooks lost
 * and repeated, all at once), 16 Buzz-in requests each, 4 of them ending that day. Each problem
 * found is printed on stderr; the figures are how much was checked and how much went wrong (target 0).
 */
import { type BuzzinReport, runBuzzinScenario } from "../test/faults/buzzin-scenario.js";
import { heavyBuzzinScenarios } from "../test/faults/buzzin-scenarios.js";
import { runScenario, type ScenarioReport } from "../test/faults/scenario.js";
import { heavyScenarios } from "../test/faults/scenarios.js";
import { type BenchFigure, runStandalone } from "./lib.js";

const BENCH = "faults";
const SEEDS = [101, 202, 303];

export async function run(): Promise<BenchFigure[]> {
  const reports: ScenarioReport[] = [];
  for (const scenario of heavyScenarios(SEEDS)) {
    const started = performance.now();
    const report = await runScenario(scenario);
    reports.push(report);
    const ms = Math.round(performance.now() - started);
    console.error(
      `${BENCH}: ${report.name}: ${report.faults.doorflow} DoorFlow + ${report.faults.slack} Slack faults, ` +
        `${report.underFaults.requestsNotActive} requests and ${report.underFaults.offboardingsNotDone} offboardings ` +
        `waiting on a retry when the faults stopped, ${report.problems.length} problems (${ms} ms)`,
    );
    for (const problem of report.problems) console.error(`  ${problem}`);
  }
  const buzzin: BuzzinReport[] = [];
  for (const scenario of heavyBuzzinScenarios(SEEDS)) {
    const started = performance.now();
    const report = await runBuzzinScenario(scenario);
    buzzin.push(report);
    const f = report.faults;
    console.error(
      `${BENCH}: ${report.name}: ${f.buzzin} Buzz-in call faults, ${f.webhooksLost} webhooks lost, ${f.webhooksRepeated} repeated, ${f.slack} Slack faults, ${report.problems.length} problems (${Math.round(performance.now() - started)} ms)`,
    );
    for (const problem of report.problems) console.error(`  ${problem}`);
  }
  const sum = (f: (r: ScenarioReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const bz = (f: (r: BuzzinReport) => number) => buzzin.reduce((n, r) => n + f(r), 0);
  const figure = (metric: string, value: number, unit: string, target?: number): BenchFigure => ({
    bench: BENCH,
    metric,
    value,
    unit,
    ...(target === undefined ? {} : { target: { op: "<=", value: target } }),
  });
  return [
    figure("scenarios run", reports.length, ""),
    figure(
      "DoorFlow faults injected (faulted or dropped calls)",
      sum((r) => r.faults.doorflow),
      "",
    ),
    figure(
      "Slack faults injected (429 and 5xx answers)",
      sum((r) => r.faults.slack),
      "",
    ),
    figure(
      "requests checked",
      sum((r) => r.requests),
      "",
    ),
    figure(
      "offboardings checked",
      sum((r) => r.offboardings),
      "",
    ),
    figure(
      "duplicates found in DoorFlow",
      sum((r) => r.duplicates),
      "",
      0,
    ),
    figure(
      "alerts repeated",
      sum((r) => r.repeatedAlerts),
      "",
      0,
    ),
    figure(
      "Slack posts lost (owed and never delivered or edited)",
      sum((r) => r.lostPosts),
      "",
      0,
    ),
    figure(
      "other problems (unalerted, unverified, left undone)",
      Math.max(0, sum((r) => r.problems.length) - sum((r) => r.duplicates + r.repeatedAlerts + r.lostPosts)),
      "",
      0,
    ),
    figure("Buzz-in scenarios run", buzzin.length, ""),
    figure(
      "Buzz-in call faults injected (5xx, 429, dropped)",
      bz((r) => r.faults.buzzin),
      "",
    ),
    figure(
      "Buzz-in webhooks lost / repeated",
      bz((r) => r.faults.webhooksLost + r.faults.webhooksRepeated),
      "",
    ),
    figure(
      "Buzz-in requests checked",
      bz((r) => r.requests),
      "",
    ),
    figure(
      "Buzz-in contracts offboarded and checked",
      bz((r) => r.offboardings),
      "",
    ),
    figure(
      "duplicate Buzz-in contractors or permits",
      bz((r) => r.duplicatePermits),
      "",
      0,
    ),
    figure(
      "access-code DMs lost",
      bz((r) => r.lostDms),
      "",
      0,
    ),
    figure(
      "access-code DMs repeated",
      bz((r) => r.repeatedDms),
      "",
      0,
    ),
    figure(
      "other Buzz-in problems (alerts repeated, requests stuck, offboardings undone)",
      bz((r) => r.otherProblems),
      "",
      0,
    ),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
