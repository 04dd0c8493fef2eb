/**
 * What the DoorFlow client costs over bare undici: the same 1,000 GETs of one person against the
 * DoorFlow sandbox on loopback, four at a time, once through DoorFlowClient (limiter, retry
 * bookkeeping, JSON parse, zod schema) and once through undici.request() on a keep-alive Agent
 * (reads the body, no parse). The sandbox answers at once, so the ratio is the client's own
 * overhead; against the real DoorFlow, network time would dwarf it.
 */
import { Agent, request } from "undici";
import { startDoorFlowSandbox } from "../tools/sandbox/doorflow/server.js";
import { FIRST_PERSON_ID } from "../tools/sandbox/doorflow/seed.js";
import { staticTokenAuth } from "../src/doorflow/auth.js";
import { DoorFlowClient } from "../src/doorflow/client.js";
import { type BenchFigure, percentile, runStandalone } from "./lib.js";

const BENCH = "doorflow-client";
const REQUESTS = 1_000;
const CONCURRENCY = 4;
const WARMUP = 2_000;
/**
 * Rounds alternate client and raw, and the ratio is the median of the per-round ratios: a GC pause
 * or a busy neighbour on a shared machine then spoils one round, not the figure.
 */
const ROUNDS = 11;

interface Round {
  totalMs: number;
  latencies: number[];
}

/** `count` calls of `once`, `CONCURRENCY` at a time, each timed from its start. */
async function timed(count: number, once: () => Promise<unknown>): Promise<Round> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const t0 = performance.now();
      await once();
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { totalMs: performance.now() - started, latencies: latencies.sort((a, b) => a - b) };
}

function median<T>(items: T[], by: (item: T) => number): T {
  return [...items].sort((a, b) => by(a) - by(b))[Math.floor(items.length / 2)] as T;
}

export async function run(): Promise<BenchFigure[]> {
  // In-process: in a child process the two cores are shared with the sandbox and the ratio swings
  // by ±15 % between runs; here both sides pay the same sandbox cost.
  const sandbox = await startDoorFlowSandbox({ token: "bench-token" });
  const baseUrl = sandbox.url;
  const path = `/api/3/people/${FIRST_PERSON_ID}`;

  const client = new DoorFlowClient({
    baseUrl,
    auth: staticTokenAuth("bench-token"),
    concurrency: CONCURRENCY,
  });
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const viaClient = () => client.getPerson(FIRST_PERSON_ID);
  const raw = async () => {
    const res = await request(`${baseUrl}${path}`, {
      dispatcher: agent,
      headers: { authorization: "Bearer bench-token", accept: "application/json" },
    });
    if (res.statusCode !== 200) throw new Error(`raw GET answered ${res.statusCode}`);
    return res.body.text();
  };

  try {
    await timed(WARMUP, viaClient);
    await timed(WARMUP, raw);
    const clientRounds: Round[] = [];
    const rawRounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      clientRounds.push(await timed(REQUESTS, viaClient));
      rawRounds.push(await timed(REQUESTS, raw));
    }
    const c = median(clientRounds, (x) => x.totalMs);
    const r = median(rawRounds, (x) => x.totalMs);
    const ratio = median(
      clientRounds.map((x, i) => x.totalMs / rawRounds[i]!.totalMs),
      (x) => x,
    );
    const rps = (round: Round) => Math.round((REQUESTS / round.totalMs) * 1000);
    const ms = (v: number) => Number(v.toFixed(3));
    return [
      { bench: BENCH, metric: "client rps", value: rps(c), unit: "req/s" },
      { bench: BENCH, metric: "client p50", value: ms(percentile(c.latencies, 50)), unit: "ms" },
      { bench: BENCH, metric: "client p99", value: ms(percentile(c.latencies, 99)), unit: "ms" },
      { bench: BENCH, metric: "raw undici rps", value: rps(r), unit: "req/s" },
      { bench: BENCH, metric: "raw undici p50", value: ms(percentile(r.latencies, 50)), unit: "ms" },
      { bench: BENCH, metric: "raw undici p99", value: ms(percentile(r.latencies, 99)), unit: "ms" },
      {
        bench: BENCH,
        metric: "client time / raw time",
        value: Number(ratio.toFixed(3)),
        unit: "x",
        target: { op: "<=", value: 1.2 },
        // Loopback timings on a shared machine wobble by several per cent between runs.
        tolerance: 0.1,
      },
    ];
  } finally {
    await client.close();
    await agent.close();
    await sandbox.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
