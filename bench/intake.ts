/**
 * Unauthenticated memory exhaustion (issue 16 item 9), against the bot as `npm start` runs it (built
 * first, then `node dist/main.js`): 100 connections each send an unsigned Slack request with a 4 MB
 * body (half declared, half chunked) and hold it unfinished; then 100 hold bodies just under the
 * 256 KB limit. The bot's resident memory must stay under 200 MB (the review saw 557 MB) and
 * /healthz must answer throughout. The probe itself is test/http/intake-probe.ts.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createCrashWorld } from "../tools/sandbox/crash/world.js";
import { runIntakeProbe } from "../test/http/intake-probe.js";
import { type BenchFigure, percentile, runStandalone } from "./lib.js";

const BENCH = "intake";
const SOCKETS = 100;
const TARGET_RSS_MB = 200;
const ROOT = fileURLToPath(new URL("../", import.meta.url));

const CASES = [
  { name: `${SOCKETS} × 4 MB unsigned bodies`, bodyBytes: 4 * 1024 * 1024 },
  { name: `${SOCKETS} × 255 KB bodies held unfinished`, bodyBytes: 255 * 1024 },
];

export async function run(): Promise<BenchFigure[]> {
  execFileSync(
    process.execPath,
    [fileURLToPath(import.meta.resolve("typescript/bin/tsc")), "-p", "tsconfig.build.json"],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  const figures: BenchFigure[] = [];
  for (const c of CASES) {
    const world = await createCrashWorld();
    try {
      const { bot } = await world.startBot(undefined, { entry: `${ROOT}dist/main.js` });
      // Let start-up work (catch-up, cache warming) settle before the baseline is read.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const r = await runIntakeProbe({
        url: bot.url,
        pid: bot.pid,
        sockets: SOCKETS,
        bodyBytes: c.bodyBytes,
      });
      const healthzOk = r.healthz.filter((h) => h.status === 200).length;
      const mb = (v: number) => Number(v.toFixed(1));
      figures.push(
        { bench: BENCH, metric: `RSS before (${c.name})`, value: mb(r.rssBeforeMb), unit: "MB" },
        {
          bench: BENCH,
          metric: `RSS peak, ${c.name}`,
          value: mb(r.rssPeakMb),
          unit: "MB",
          target: { op: "<=", value: TARGET_RSS_MB },
        },
        {
          bench: BENCH,
          metric: `/healthz answered 200 during ${c.name}`,
          value: Math.round((100 * healthzOk) / Math.max(1, r.healthz.length)),
          unit: "%",
          target: { op: ">=", value: 100 },
        },
        {
          bench: BENCH,
          metric: `/healthz p99 during ${c.name}`,
          value: Number(
            percentile(
              r.healthz.map((h) => h.ms).sort((a, b) => a - b),
              99,
            ).toFixed(1),
          ),
          unit: "ms",
        },
        {
          bench: BENCH,
          metric: `connections closed by the bot, ${c.name}`,
          value: r.closedByServer,
          unit: `of ${SOCKETS}`,
          note:
            c.bodyBytes > 256 * 1024
              ? "refused (413) and closed at once"
              : "held until the 15 s request timeout",
        },
      );
    } finally {
      await world.close();
    }
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
