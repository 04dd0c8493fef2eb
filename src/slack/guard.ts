/**
 * Refuses Slack requests that name another workspace or another app before any listener sees them.
 *
 * A valid signature only proves the sender knows the signing secret; a secret shared between two
 * apps, copied into another workspace's app, or leaked would otherwise let their payloads through
 * to listeners that trust `user.id` for authorisation. Gatehouse serves exactly one workspace with
 * exactly one app, so it learns both ids from Slack itself at start (auth.test gives the team and
 * the bot, bots.info the bot's app) and drops everything else.
 *
 * A refused request is acknowledged with an empty 200 and nothing else happens: no listener runs,
 * nothing is written, Slack and DoorFlow are not called. Not an error status, because Slack retries
 * events answered with one (three more deliveries of the same refused payload) and a 4xx would tell
 * the sender which ids are wrong; not left unacknowledged, because that holds the connection for
 * 3 seconds and ends in Bolt's 404 anyway. The log line names which id did not match and the
 * foreign ids (routing metadata, not content), never the payload itself.
 */
import type { AnyMiddlewareArgs, Middleware, webApi } from "@slack/bolt";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";

export interface SlackIdentity {
  teamId: string;
  appId: string;
}

/** How a request names its workspace and app; a field Slack did not send is undefined. */
export interface RequestOrigin {
  type: string;
  teamId: string | undefined;
  appId: string | undefined;
}

export async function learnSlackIdentity(client: webApi.WebClient): Promise<SlackIdentity> {
  const auth = await client.auth.test();
  if (!auth.team_id || !auth.bot_id) throw new Error("auth.test did not name the team and the bot");
  const info = await client.bots.info({ bot: auth.bot_id });
  const appId = info.bot?.app_id;
  if (!appId) throw new Error(`bots.info did not name the app of bot ${auth.bot_id}`);
  return { teamId: auth.team_id, appId };
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

/**
 * Slash commands and Events API envelopes carry `team_id`; interaction payloads (block_actions,
 * view_submission, view_closed, shortcuts, options) carry `team.id`. All carry `api_app_id`.
 */
export function originOf(body: unknown): RequestOrigin {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const team = b.team && typeof b.team === "object" ? (b.team as Record<string, unknown>) : undefined;
  return {
    type: text(b.type) ?? (text(b.command) ? "command" : "unknown"),
    teamId: text(b.team_id) ?? text(team?.id),
    appId: text(b.api_app_id),
  };
}

/** Why a request is refused, or null when it is ours. A missing id is refused: Slack always sends both. */
export function mismatch(origin: RequestOrigin, own: SlackIdentity): "team" | "app" | null {
  if (origin.teamId !== own.teamId) return "team";
  if (origin.appId !== own.appId) return "app";
  return null;
}

/** Ids go to the log only in Slack's own shape, so a crafted value cannot carry anything else. */
const loggable = (id: string | undefined) =>
  id === undefined ? null : /^[A-Z0-9]{1,24}$/.test(id) ? id : "(malformed)";

export function createSlackGuard(options: {
  logger: Logger;
  /** Where the bot's own ids come from (the app's Web API client in production). */
  identify: () => Promise<SlackIdentity>;
}): Middleware<AnyMiddlewareArgs> {
  const { logger } = options;
  let known: Promise<SlackIdentity> | undefined;
  const identity = () => {
    known ??= options.identify().then(
      (own) => {
        logger.info("serving one Slack workspace and app", { teamId: own.teamId, appId: own.appId });
        return own;
      },
      (error: unknown) => {
        // A failed lookup is not kept: the next request asks Slack again.
        known = undefined;
        throw error;
      },
    );
    return known;
  };
  // Learn at start, so the first request does not wait for two Web API calls.
  void identity().catch((error: unknown) =>
    logger.warn("could not learn the Slack workspace and app yet", { error: errorMessage(error) }),
  );

  return async (args) => {
    const origin = originOf(args.body);
    let own: SlackIdentity;
    try {
      own = await identity();
    } catch (error) {
      // Fail closed: without knowing our own ids no request can be shown to be ours.
      logger.error("refused a Slack request: the bot's own workspace and app are unknown", {
        type: origin.type,
        error: errorMessage(error),
      });
      await acknowledge(args);
      return;
    }
    const wrong = mismatch(origin, own);
    if (wrong === null) {
      await args.next();
      return;
    }
    logger.warn(`refused a Slack request from another ${wrong === "team" ? "workspace" : "app"}`, {
      type: origin.type,
      teamId: loggable(origin.teamId),
      appId: loggable(origin.appId),
    });
    await acknowledge(args);
  };
}

/** Events are acknowledged by Bolt before middleware runs; everything else carries `ack`. */
async function acknowledge(args: AnyMiddlewareArgs): Promise<void> {
  if ("ack" in args && typeof args.ack === "function") await args.ack();
}
