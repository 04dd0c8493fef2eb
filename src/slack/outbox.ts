/**
 * The durable Slack outbox: every alert and direct message Gatehouse owes, and every edit of an
 * approval message or alert, is a row in `slack_outbox` (often written in the same transaction as
 * the change it tells of) and is delivered from here, in order, until Slack answers ok. A failure
 * Slack may get over (network, 5xx, 429, Slack's own internal errors) is retried with backoff —
 * the time of the next attempt is stored, so a restart keeps to it; a refusal that no retry can
 * change (the channel is gone, the blocks are invalid) is marked failed and logged. A post records
 * its ts where its `ref` says (the alert, the request, the extension), and an edit finds its
 * message there, so an edit queued while the post still waited goes to the right message.
 *
 * What the outbox does not carry: a direct message with a PIN or a Buzz-in access code. Storing it
 * here would put the secret in the database. Those are sent directly by the use case, which records
 * that Slack accepted them (provisioning's `notify` step, a pass's `pass_notified_id`) and, after a
 * failure or a restart, reads the secret back from the provider to send it again.
 *
 * Delivery is at least once: a process killed after Slack accepted a post but before the row was
 * marked sent posts it again after the restart. Slack's chat.postMessage has no idempotency key.
 */
import type { webApi } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { OutboxEntry, OutboxMessage } from "../domain/model.js";
import type { Outbox, OutboxStore, Tx } from "../domain/ports.js";
import { within } from "../lib/deadline.js";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";

/** Renewed per row; a killed process's row is sent again once it lapses (or at once on restart). */
const LEASE_MS = 60_000;
/** About 5 s, 15 s, 30 s, 1 min, 2 min, then every 5 min while Slack stays down. */
const BACKOFF_SECONDS = [5, 15, 30, 60, 120, 300];
const KEEP_SENT_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Slack errors no retry can change. Everything else, including `internal_error`, `fatal_error`,
 * `service_unavailable`, `ratelimited` and token errors an operator can fix, is retried.
 * https://api.slack.com/methods/chat.postMessage#errors, https://api.slack.com/methods/chat.update#errors
 */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "cannot_dm_bot",
  "user_not_found",
  "invalid_blocks",
  "invalid_blocks_format",
  "invalid_arguments",
  "msg_too_long",
  "no_text",
  "too_many_attachments",
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "restricted_action",
  "messages_tab_disabled",
]);

/** Where a post's ts is recorded and an edit's message is found. */
type OutboxRef =
  | `alert:${string}`
  | `request:${string}`
  | `extension:${string}`
  /** A card-collection reminder, recorded on the managed person. */
  | `card:${string}`;

export interface SlackOutbox extends Outbox {
  /** Queues a post; `ref` is where its ts is recorded once Slack has it. */
  post(db: Tx, channel: string, message: OutboxMessage, ref?: OutboxRef): void;
  /** Queues an edit of the message `ref` points at (or of `target`, when known). */
  update(
    db: Tx,
    ref: OutboxRef,
    message: OutboxMessage,
    target?: { channel: string; ts: string } | null,
  ): void;
  /** Whether a post for `ref` was ever queued. */
  hasPost(db: Tx, ref: OutboxRef): boolean;
  /** The posted message `ref` points at, once Slack has it. */
  messageOf(ref: OutboxRef): { channel: string; ts: string } | undefined;
  /** Checks for due rows every `intervalMs` (the backoff's next attempt). */
  start(intervalMs?: number): void;
  stop(): void;
  /** Sends what is due, for at most `ms` (shutdown, the CLI before it exits). */
  flush(ms: number): Promise<void>;
}

class PermanentOutboxError extends Error {}

/** The outbox over its store; the wiring supplies the store (src/wiring/outbox.ts). */
export function createSlackOutboxOn(options: {
  store: OutboxStore;
  client: webApi.WebClient;
  logger: Logger;
  now: () => Date;
  owner: string;
}): SlackOutbox {
  const { store, client, logger, now, owner } = options;
  let draining: Promise<number> | undefined;
  let rerun = false;
  let kicked: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let prunedAt = 0;

  const kick = () => {
    if (stopped) return;
    kicked ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        kicked = undefined;
        void drain().finally(resolve);
      }),
    );
  };

  const target = (row: OutboxEntry): { channel: string; ts: string } | undefined => {
    if (row.channel && row.targetTs) return { channel: row.channel, ts: row.targetTs };
    return store.messageOf(row.ref ?? "");
  };

  const deliver = async (row: OutboxEntry): Promise<{ channel: string | null; ts: string | null }> => {
    const blocks = row.message.blocks as KnownBlock[] | undefined;
    if (row.kind === "post") {
      const res = await client.chat.postMessage({
        channel: row.channel ?? "",
        text: row.message.text,
        ...(blocks ? { blocks } : {}),
      });
      return { channel: res.channel ?? row.channel, ts: res.ts ?? null };
    }
    const to = target(row);
    if (!to) throw new PermanentOutboxError("the message to edit was never posted");
    await client.chat.update({
      channel: to.channel,
      ts: to.ts,
      text: row.message.text,
      ...(blocks ? { blocks } : {}),
    });
    return to;
  };

  /** Sends the head, then the next, until none is due or Slack fails us. */
  const pass = async (): Promise<number> => {
    let sent = 0;
    while (!stopped) {
      const row = store.claimHead(owner, LEASE_MS, now());
      if (!row) break;
      try {
        const done = await deliver(row);
        store.markSent(row, done, now());
        sent++;
      } catch (error) {
        const reason = errorMessage(error);
        const slackError = (error as { data?: { error?: unknown } }).data?.error;
        if (
          error instanceof PermanentOutboxError ||
          (typeof slackError === "string" && PERMANENT.has(slackError))
        ) {
          store.markFailed(row, reason);
          logger.error("Slack refused a message for good; it is dropped", {
            outboxId: row.id,
            error: reason,
          });
          continue;
        }
        const retryAfterMs = ((error as { retryAfter?: number }).retryAfter ?? 0) * 1000;
        const backoffMs = (BACKOFF_SECONDS[row.attempts] ?? 300) * 1000;
        const next = new Date(now().getTime() + Math.max(backoffMs, retryAfterMs));
        store.markRetry(row, { error: reason, nextAttemptAt: next });
        logger.warn("could not deliver a Slack message; it waits and is retried", {
          outboxId: row.id,
          attempts: row.attempts + 1,
          retryAt: next.toISOString(),
          error: reason,
        });
        break;
      }
    }
    return sent;
  };

  const drain = (): Promise<number> => {
    if (draining) {
      rerun = true;
      return draining;
    }
    draining = (async () => {
      let sent = 0;
      do {
        rerun = false;
        sent += await pass();
      } while (rerun && !stopped);
      if (now().getTime() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now().getTime();
        store.prune(new Date(prunedAt - KEEP_SENT_MS));
      }
      return sent;
    })()
      .catch((error: unknown) => {
        logger.error("the Slack outbox stopped on an error", { error: errorMessage(error) });
        return 0;
      })
      .finally(() => {
        draining = undefined;
      });
    return draining;
  };

  const idle = async () => {
    while (kicked || draining) await (kicked ?? draining);
  };

  return {
    post(tx, channel, message, ref) {
      store.enqueue(tx, { kind: "post", channel, ref: ref ?? null, message }, now());
      kick();
    },
    update(tx, ref, message, to) {
      store.enqueue(
        tx,
        { kind: "update", channel: to?.channel ?? null, targetTs: to?.ts ?? null, ref, message },
        now(),
      );
      kick();
    },
    hasPost: (tx, ref) => store.hasPost(tx, ref),
    messageOf: (ref) => store.messageOf(ref),
    drain,
    idle,
    start(intervalMs = 5_000) {
      stopped = false;
      timer ??= setInterval(() => {
        const next = store.nextAttempt();
        if (next && next.getTime() <= now().getTime()) void drain();
      }, intervalMs);
      timer.unref();
      kick();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      stopped = true;
    },
    async flush(ms) {
      await within(drain().then(idle), ms);
    },
  };
}
