/**
 * The Slack side of bench/slack-ack.ts, on a worker thread: Slack sends from another machine, so the
 * signing and the reading of answers must not queue on the bot's event loop and count as its delay.
 * Each `{ count }` message from the parent sends that many commands and answers with their times.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createSlackDriver } from "../tools/sandbox/slack/driver.js";

export interface AckDriverSetup {
  eventsUrl: string;
  signingSecret: string;
  userId: string;
  concurrency: number;
}

export type AckDriverResult = { times: number[] } | { error: string };

const setup = workerData as AckDriverSetup;
const driver = createSlackDriver({ eventsUrl: setup.eventsUrl, signingSecret: setup.signingSecret });

async function ackTimes(count: number): Promise<number[]> {
  const times: number[] = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      const res = await driver.command({ command: "/contractor", text: "", userId: setup.userId });
      if (res.status !== 200) throw new Error(`/contractor was answered with HTTP ${res.status}`);
      times.push(res.ms);
    }
  };
  await Promise.all(Array.from({ length: setup.concurrency }, worker));
  return times;
}

parentPort?.on("message", (message: { count: number }) => {
  ackTimes(message.count).then(
    (times) => parentPort?.postMessage({ times } satisfies AckDriverResult),
    (error: unknown) =>
      parentPort?.postMessage({
        error: error instanceof Error ? error.message : String(error),
      } satisfies AckDriverResult),
  );
});
