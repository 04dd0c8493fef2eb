/**
 * How fast Gatehouse acknowledges Slack: 200 signed `/contractor` commands, 20 at a time, through
 * the real bot over HTTP. Each is timed twice: inside the bot, from the request's arrival to the
 * end of its answer (judged: p99 ≤ 20 ms), and by the driver, from its POST to the answer read
 * (reported beside it: it also times the machine, see ackFigures). Slack gives 3 s and retries
 * after that.
 *
 * `/contractor` has work behind it (views.open, with the group list from DoorFlow), so it shows
 * whether the ack really comes first. Two rounds: the Slack Web API stand-in answering at once, and
 * 250 ms away as slack.com is from many hosts; if the ack waited for views.open, the second round
 * would start at 250 ms. The driver runs on a worker thread (bench/slack-ack-driver.ts): in the
 * bot's own thread, 20 signed requests and their answers queue behind one another on the one event
 * loop, and p99 measured the harness (about 40 ms steady, 200+ ms in a burst), not the bot.
 */
import { Worker } from "node:worker_threads";
import { createLogger } from "../src/lib/logger.js";
import { startSlackStandIn } from "../tools/sandbox/slack/web-api.js";
import { CAST, CHANNELS, SIGNING_SECRET, startStory } from "../tools/sandbox/story.js";
import { type BenchFigure, percentile, runStandalone } from "./lib.js";
import type { AckDriverResult, AckDriverSetup } from "./slack-ack-driver.js";

const BENCH = "slack-ack";
const COMMANDS = 200;
const CONCURRENCY = 20;
const WARMUP = 200;
/** Repeats of the 200 commands; the figures are the median round's, so one stall spoils one round. */
const ROUNDS = 5;
const SLOW_SLACK_MS = 250;
/** The bot's own received → answered p99; Slack allows 3 s end to end. */
const TARGET_BOT_P99_MS = 20;

export interface Round {
  /** Driver-side: POST sent → answer read, sorted. */
  ack: number[];
  /** Bot-side: request received → answer written, sorted. */
  handled: number[];
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** A worker thread running the driver; tsx is registered inside it, since workers do not inherit it. */
function startDriverThread(setup: AckDriverSetup) {
  const entry = new URL("./slack-ack-driver.ts", import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true, workerData: setup, execArgv: [] },
  );
  const send = (count: number) =>
    new Promise<number[]>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once("error", onError);
      worker.once("message", (result: AckDriverResult) => {
        worker.off("error", onError);
        if ("error" in result) reject(new Error(result.error));
        else resolve(result.times.sort((a, b) => a - b));
      });
      worker.postMessage({ count });
    });
  return { send, stop: () => worker.terminate() };
}

/** `ROUNDS` rounds of `COMMANDS` commands against one bot whose Slack Web API is `slackLatencyMs` away. */
async function measure(slackLatencyMs: number): Promise<Round[]> {
  const slack = await startSlackStandIn({
    latencyMs: slackLatencyMs,
    users: Object.values(CAST).map((u) => ({ ...u })),
    channels: [
      { id: CHANNELS.approval, name: "access-approvals", members: [CAST.approver.id, CAST.approver2.id] },
      { id: CHANNELS.security, name: "security-alerts", members: [CAST.operator.id] },
      { id: CHANNELS.facilities, name: "facilities", members: [CAST.operator.id] },
    ],
  });
  const story = await startStory({ logger: createLogger({ write: () => undefined }), slack });
  const driver = startDriverThread({
    eventsUrl: `${story.gatehouse.http.url}/slack/events`,
    signingSecret: SIGNING_SECRET,
    userId: CAST.requester.id,
    concurrency: CONCURRENCY,
  });
  let handled: number[] = [];
  story.gatehouse.http.server.prependListener("request", (_req, res) => {
    const t0 = performance.now();
    res.once("finish", () => handled.push(performance.now() - t0));
  });
  try {
    await driver.send(WARMUP);
    await story.gatehouse.idle();
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      handled = [];
      const opensBefore = slack.callsTo("views.open").length;
      const ack = await driver.send(COMMANDS);
      await story.gatehouse.idle();
      // Every acknowledged command must also have opened its modal, or the bench timed a broken bot.
      const opened = slack.callsTo("views.open").length - opensBefore;
      if (opened !== COMMANDS) throw new Error(`${COMMANDS} commands opened ${opened} modals`);
      rounds.push({ ack, handled: handled.sort((a, b) => a - b) });
    }
    return rounds;
  } finally {
    await driver.stop();
    await story.close();
    await slack.close();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const fast = await measure(0);
  const slow = await measure(SLOW_SLACK_MS);
  return ackFigures(fast, slow);
}

/**
 * The verdict is the bot's own time, received → answered, in both rounds: that is what Gatehouse
 * controls. The driver's end-to-end time (POST sent → answer read) adds the machine's scheduler and
 * the loopback between two threads; on a shared machine that alone reaches 100+ ms at p99, so it is
 * reported beside the judged figure, for information, and fails nothing.
 */
export function ackFigures(fast: Round[], slow: Round[]): BenchFigure[] {
  const at = (rounds: Round[], p: number, of: keyof Round) => median(rounds.map((r) => percentile(r[of], p)));
  const figure = (metric: string, value: number, extra: Partial<BenchFigure> = {}): BenchFigure => ({
    bench: BENCH,
    metric,
    value: Number(value.toFixed(2)),
    unit: "ms",
    ...extra,
  });
  // Timings on a shared machine: one slow scheduler tick moves a p99 by a few ms.
  const judged = { target: { op: "<=" as const, value: TARGET_BOT_P99_MS }, tolerance: 0.2 };
  const information = { note: "for information: includes the driver, the loopback and the machine" };
  const away = `Slack API ${SLOW_SLACK_MS} ms away`;
  return [
    figure("bot: received → answered p50", at(fast, 50, "handled")),
    figure("bot: received → answered p99", at(fast, 99, "handled"), judged),
    figure("end-to-end ack p99", at(fast, 99, "ack"), information),
    figure("end-to-end ack p50", at(fast, 50, "ack"), information),
    figure(
      "end-to-end ack max (worst round)",
      Math.max(...fast.map((r) => r.ack.at(-1) ?? Number.NaN)),
      information,
    ),
    figure(`bot: received → answered p99, ${away}`, at(slow, 99, "handled"), judged),
    figure(`end-to-end ack p99, ${away}`, at(slow, 99, "ack"), information),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
