/**
 * A bulk offboarding's one message to the operator: posted once, updated in place as progress
 * arrives, and finally replaced by the summary. Updates are throttled and never overlap, so a slow
 * Slack delays the progress bar, not the offboarding, and the summary always lands last.
 */
import { performance } from "node:perf_hooks";
import type { webApi } from "@slack/bolt";
import type { Deps } from "../domain/deps.js";
import { describeFailure } from "../domain/failures.js";
import { offboardBulk, parseBulkEmails } from "../domain/offboard-requests.js";
import { buildBulkProgress, buildBulkSummary } from "./views/offboard-bulk.js";
import { buildNoticeMessage } from "./views/notices.js";
import { OFFBOARD_REFUSAL } from "./views/offboard-preview.js";
import type { SlackMessage } from "./views/text.js";

/**
 * chat.update is a Tier 3 method (about 50 a minute per workspace): update when the run has moved
 * on by 10%, or after 2 s with any progress, and never within 1 s of the last update.
 */
export const PROGRESS_THROTTLE = { step: 0.1, quietMs: 2_000, minGapMs: 1_000 } as const;

export interface ProgressUpdater {
  report(done: number, total: number): void;
  /** Resolves once no update is in flight. */
  settled(): Promise<void>;
}

export function createProgressUpdater(
  send: (done: number, total: number) => Promise<void>,
  options: { step: number; quietMs: number; minGapMs: number; clock?: () => number } = PROGRESS_THROTTLE,
): ProgressUpdater {
  const clock = options.clock ?? (() => performance.now());
  let lastAt = clock();
  let lastFraction = 0;
  let pending: [number, number] | null = null;
  let pump: Promise<void> = Promise.resolve();
  let running = false;

  const drain = async () => {
    running = true;
    while (pending) {
      const [done, total] = pending;
      pending = null;
      await send(done, total).catch(() => undefined);
    }
    running = false;
  };

  return {
    report(done, total) {
      const fraction = total > 0 ? done / total : 1;
      const now = clock();
      const moved = fraction - lastFraction;
      if (moved <= 0 || fraction >= 1 || now - lastAt < options.minGapMs) return;
      if (moved < options.step && now - lastAt < options.quietMs) return;
      lastAt = now;
      lastFraction = fraction;
      pending = [done, total];
      if (!running) pump = drain();
    },
    settled: () => pump,
  };
}

export async function runBulkWithProgress(
  deps: Deps,
  client: webApi.WebClient,
  actor: string,
  text: string,
): Promise<void> {
  const parsed = parseBulkEmails(text);
  const total = "emails" in parsed ? parsed.emails.length : 0;
  const posted = await client.chat
    .postMessage({ channel: actor, ...buildBulkProgress({ total, done: 0, by: actor }) })
    .catch((error: unknown) => {
      deps.logger.warn("could not post the bulk progress message", { error: describeFailure(error) });
      return undefined;
    });
  const target = posted?.channel && posted.ts ? { channel: posted.channel, ts: posted.ts } : null;
  const show = async (message: SlackMessage) => {
    if (target) await client.chat.update({ ...target, ...message });
    else await client.chat.postMessage({ channel: actor, ...message });
  };
  const progress = createProgressUpdater(async (done, all) => {
    if (target) await show(buildBulkProgress({ total: all, done, by: actor }));
  });

  let final: SlackMessage;
  try {
    const result = await offboardBulk(deps, { actor, text, onProgress: (d, t) => progress.report(d, t) });
    final =
      result.status === "done"
        ? buildBulkSummary({ lines: result.lines, by: actor })
        : buildNoticeMessage(result.status === "forbidden" ? OFFBOARD_REFUSAL : result.message);
  } catch (error) {
    deps.logger.error("bulk offboarding failed", { error: describeFailure(error) });
    final = buildNoticeMessage(
      `The bulk offboarding stopped: ${describeFailure(error)}. Some people may already be offboarded; run /offboard for them to check, or run the list again (already disabled people are reported, not harmed).`,
    );
  }
  await progress.settled();
  await show(final);
}
