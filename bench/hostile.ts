/**
 * The heavy variant of the hostile-input suite (test/hostile): the same properties through the
 * real bot, with HOSTILE_RUNS inputs each instead of `npm test`'s 50-100, plus the forged and
 * foreign request checks. Vitest runs it in a child process (its own workers, its own setup file);
 * the figures are the properties checked, the inputs tried, and the properties that found a
 * counterexample (target 0).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchFigure, runStandalone } from "./lib.js";

const BENCH = "hostile";
const RUNS_PER_PROPERTY = 1_000;
/** The fast-check properties in test/hostile (the other tests there are fixed examples). */
const PROPERTIES = 9;

interface VitestJson {
  numTotalTests: number;
  numFailedTests: number;
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string }> }>;
}

export async function run(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-hostile-"));
  const report = join(dir, "report.json");
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          "node_modules/vitest/vitest.mjs",
          "run",
          "test/hostile",
          "--reporter=json",
          `--outputFile=${report}`,
          "--testTimeout=1800000",
        ],
        {
          env: { ...process.env, HOSTILE_RUNS: String(RUNS_PER_PROPERTY) },
          stdio: ["ignore", "ignore", "inherit"],
        },
      );
      child.once("error", reject);
      child.once("exit", (exitCode) => resolve(exitCode ?? 1));
    });
    const result = JSON.parse(readFileSync(report, "utf8")) as VitestJson;
    for (const file of result.testResults)
      for (const t of file.assertionResults)
        if (t.status !== "passed") console.error(`hostile: failed: ${t.fullName}`);
    if (code !== 0 && result.numFailedTests === 0) throw new Error(`vitest exited with ${code}`);
    return [
      {
        bench: BENCH,
        metric: "tests (properties and forged-request checks)",
        value: result.numTotalTests,
        unit: "",
      },
      { bench: BENCH, metric: "inputs tried", value: PROPERTIES * RUNS_PER_PROPERTY, unit: "" },
      {
        bench: BENCH,
        metric: "tests with a counterexample or failure",
        value: result.numFailedTests,
        unit: "",
        target: { op: "<=", value: 0 },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
