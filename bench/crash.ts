/**
 * The crash suite's heavy variant: the real bot as a child process, SIGKILLed at random DoorFlow
 * calls (three per run, seeded) during provisioning of twelve approvals at once, a bulk offboarding
 * of sixteen and the daily job's catch-up of ten, around six Approve clicks (just after a click
 * is acknowledged, or while one is being authorised), and at random Buzz-in calls or right after it
 * acknowledged a pass's webhook (before the DM) during eight Buzz-in approvals, restarted on the
 * same database each time, until at least 50 kills have been survived. Each run's DoorFlow state is compared with an uninterrupted
 * run's. Every problem is printed on stderr; the figures say how much was checked and how much went
 * wrong (target 0).
 */
import { seededRandom } from "../tools/sandbox/doorflow/random.js";
import { type CrashRunResult, runCrashScenario } from "../test/crash/run.js";
import { buzzinScenario } from "../test/crash/buzzin-scenario.js";
import {
  bulkScenario,
  clickScenario,
  type CrashScenario,
  dailyScenario,
  provisioningScenario,
} from "../test/crash/scenarios.js";
import { type BenchFigure, runStandalone } from "./lib.js";

const BENCH = "crash";
const KILLS_WANTED = 50;
const KILLS_PER_RUN = 3;
const MAX_RUNS = 40;

const SCENARIOS: Array<() => CrashScenario> = [
  () => provisioningScenario(12),
  () => bulkScenario(6, 10),
  () => dailyScenario(8, 3),
  () => clickScenario(6),
  () => buzzinScenario(8),
];

export async function run(): Promise<BenchFigure[]> {
  const references = [];
  for (const make of SCENARIOS) {
    const reference = await runCrashScenario(make(), { kills: 0 });
    if (reference.problems.length + reference.duplicates.length > 0 || reference.exit.code !== 0) {
      throw new Error(
        `${reference.scenario}: the uninterrupted run itself went wrong: ${reference.problems.join("; ")}`,
      );
    }
    console.error(`${BENCH}: ${reference.scenario}: uninterrupted, ${reference.calls} calls`);
    references.push({ make, reference });
  }

  const runs: CrashRunResult[] = [];
  const survived = () => runs.reduce((n, r) => n + r.kills, 0);
  for (let i = 0; survived() < KILLS_WANTED && i < MAX_RUNS; i++) {
    const { make, reference } = references[i % references.length] as (typeof references)[number];
    const seed = 0xc4a54 + i * 7919;
    const started = performance.now();
    const result = await runCrashScenario(make(), {
      kills: KILLS_PER_RUN,
      random: seededRandom(seed),
      callSpan: reference.calls,
      reference: reference.state,
    });
    runs.push(result);
    const wrong = [
      ...result.problems,
      ...result.duplicates,
      ...result.mismatches,
      ...(result.halfDone > 0 ? [`${result.halfDone} people half offboarded after a restart`] : []),
      ...(result.exit.code !== 0 ? [`final stop exited ${JSON.stringify(result.exit)}`] : []),
    ];
    console.error(
      `${BENCH}: ${result.scenario} seed ${seed}: ${result.kills} kills at ${JSON.stringify(
        result.plans.slice(0, result.kills).map((p) => [p.on ?? "doorflow", p.atCall, p.delayMs]),
      )}, ${wrong.length} problems (${Math.round(performance.now() - started)} ms)`,
    );
    for (const problem of wrong) console.error(`  ${problem}`);
  }

  const sum = (f: (r: CrashRunResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  const figure = (metric: string, value: number, target?: BenchFigure["target"]): BenchFigure => ({
    bench: BENCH,
    metric,
    value,
    unit: "",
    ...(target ? { target } : {}),
  });
  return [
    figure("runs (each against an uninterrupted run)", runs.length),
    figure("kills survived (SIGKILL, restart on the same database)", survived(), {
      op: ">=",
      value: KILLS_WANTED,
    }),
    figure(
      "of which around an Approve click (just after its acknowledgement, or while authorising it)",
      runs.reduce(
        (n, r) => n + r.plans.slice(0, r.kills).filter((p) => p.on === "ack" || p.on === "slack").length,
        0,
      ),
    ),
    figure(
      "requests checked",
      sum((r) => r.requests),
    ),
    figure(
      "offboardings checked",
      sum((r) => r.offboardings),
    ),
    figure(
      "duplicates found in DoorFlow",
      sum((r) => r.duplicates.length),
      { op: "<=", value: 0 },
    ),
    figure(
      "mismatches with the uninterrupted run",
      sum((r) => r.mismatches.length),
      { op: "<=", value: 0 },
    ),
    figure(
      "promises broken (request not active, due offboarding not done)",
      sum((r) => r.problems.length),
      { op: "<=", value: 0 },
    ),
    figure(
      "people left half offboarded after a restart",
      sum((r) => r.halfDone),
      { op: "<=", value: 0 },
    ),
    figure("final stops not clean (exit code not 0)", runs.filter((r) => r.exit.code !== 0).length, {
      op: "<=",
      value: 0,
    }),
    figure(
      "repeated 'access is ready' messages (a kill between the DM and its record)",
      sum((r) => r.repeatedDms),
    ),
    figure(
      "Buzz-in requests checked",
      sum((r) => (r.buzzin ? r.requests : 0)),
    ),
    figure(
      "kills during Buzz-in runs (at Buzz-in calls or after a webhook's 2xx)",
      sum((r) => (r.buzzin ? r.kills : 0)),
    ),
    figure(
      "duplicate Buzz-in contractors or permits",
      sum((r) => r.buzzin?.duplicatePermits ?? 0),
      { op: "<=", value: 0 },
    ),
    figure(
      "access codes lost (never reached the requester)",
      sum((r) => r.buzzin?.lostCodes ?? 0),
      { op: "<=", value: 0 },
    ),
    figure(
      "access codes DMed twice",
      sum((r) => r.buzzin?.repeatedCodes ?? 0),
      { op: "<=", value: 0 },
    ),
    figure(
      "codes replaced unasked (a kill between Slack's answer and its record; the new one works)",
      sum((r) => r.buzzin?.supersededCodes ?? 0),
    ),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
