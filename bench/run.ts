/**
 * `npm run bench`: runs every benchmark in the project, prints one table with each figure, its
 * target and whether it is met, and exits non-zero when a target is missed beyond its tolerance.
 * `npm run bench -- doorflow-client` runs only the named benchmarks.
 */
import { type BenchFigure, formatTable, verdict } from "./lib.js";

type BenchModule = { run: () => Promise<BenchFigure[]> };

const BENCHMARKS: Record<string, () => Promise<BenchModule>> = {
  "doorflow-client": () => import("./doorflow-client.js"),
  "offboard-due": () => import("./offboard-due.js"),
  "slack-ack": () => import("./slack-ack.js"),
  "click-to-dm": () => import("./click-to-dm.js"),
  "home-publish": () => import("./home-publish.js"),
  hostile: () => import("./hostile.js"),
  crash: () => import("./crash.js"),
  faults: () => import("./faults.js"),
  intake: () => import("./intake.js"),
};

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const names = only.length > 0 ? only : Object.keys(BENCHMARKS);
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark(s): ${unknown.join(", ")}. Known: ${Object.keys(BENCHMARKS).join(", ")}`,
    );
    process.exit(2);
  }
  const figures: BenchFigure[] = [];
  for (const name of names) {
    const load = BENCHMARKS[name] as () => Promise<BenchModule>;
    console.error(`running ${name} …`);
    const started = performance.now();
    figures.push(...(await (await load()).run()));
    console.error(`${name} finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  console.log(formatTable(figures));
  const missed = figures.filter((f) => verdict(f) === "missed");
  if (missed.length > 0) {
    console.log(
      `\n${missed.length} target(s) missed: ${missed.map((f) => `${f.bench} ${f.metric}`).join(", ")}`,
    );
    process.exit(1);
  }
  console.log(`\nall ${figures.filter((f) => f.target).length} targets met`);
}

await main();
