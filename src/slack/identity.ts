/**
 * Who the bot is in Slack: its workspace, app, bot and bot user, from Slack itself (auth.test for
 * the team and the bot, bots.info for the bot's app). The guard needs the first two to refuse
 * foreign requests, Bolt the last two. Learned at start and, while Slack's Web API is down or
 * unreachable, retried in the background until Slack answers; a request never waits for more than
 * a moment, so Slack is still acknowledged within its 3 seconds.
 */
import type { webApi } from "@slack/bolt";
import { within } from "../lib/deadline.js";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { type RetryLoop, retryUntilDone } from "../lib/retry-loop.js";

export interface SlackIdentity {
  teamId: string;
  appId: string;
  botId: string;
  botUserId: string;
}

export async function learnSlackIdentity(client: webApi.WebClient): Promise<SlackIdentity> {
  const auth = await client.auth.test();
  if (!auth.team_id || !auth.bot_id || !auth.user_id)
    throw new Error("auth.test did not name the team and the bot");
  const info = await client.bots.info({ bot: auth.bot_id });
  const appId = info.bot?.app_id;
  if (!appId) throw new Error(`bots.info did not name the app of bot ${auth.bot_id}`);
  return { teamId: auth.team_id, appId, botId: auth.bot_id, botUserId: auth.user_id };
}

export interface SlackIdentitySource {
  /** The ids, once learned. */
  known(): SlackIdentity | undefined;
  /** The ids, waiting at most `ms` for a lookup (one is started if none is running). */
  wait(ms: number): Promise<SlackIdentity | undefined>;
}

export interface SlackIdentityLearner extends SlackIdentitySource {
  start(): void;
  stop(): void;
}

export function createSlackIdentityLearner(options: {
  identify: () => Promise<SlackIdentity>;
  logger: Logger;
  delaysMs?: number[];
}): SlackIdentityLearner {
  const { logger } = options;
  let own: SlackIdentity | undefined;
  let loop: RetryLoop | undefined;
  let waiting: Array<() => void> = [];
  const settle = () => {
    for (const wake of waiting.splice(0)) wake();
  };

  const attempt = async (): Promise<boolean> => {
    try {
      own = await options.identify();
      logger.info("serving one Slack workspace and app", { teamId: own.teamId, appId: own.appId });
      return true;
    } catch (error) {
      logger.warn("could not learn the Slack workspace and app yet; trying again", {
        error: errorMessage(error),
      });
      return false;
    } finally {
      settle();
    }
  };

  return {
    known: () => own,
    async wait(ms) {
      if (own) return own;
      if (!loop) return undefined;
      const woken = new Promise<void>((resolve) => waiting.push(resolve));
      loop.nudge();
      await within(woken, ms);
      return own;
    },
    start() {
      loop ??= retryUntilDone(attempt, { delaysMs: options.delaysMs });
    },
    stop() {
      loop?.stop();
      waiting = [];
    },
  };
}
