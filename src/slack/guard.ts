/**
 * Refuses Slack requests that name another workspace or another app before any listener sees them.
 *
 * A valid signature only proves the sender knows the signing secret; a secret shared between two
 * apps, copied into another workspace's app, or leaked would otherwise let their payloads through
 * to listeners that trust `user.id` for authorisation. Gatehouse serves exactly one workspace with
 * exactly one app, so it learns both ids from Slack itself (src/slack/identity.ts: at start, and
 * retried in the background while Slack's Web API does not answer) and drops everything else.
 *
 * A refused request is acknowledged with an empty 200 and nothing else happens: no listener runs,
 * nothing is written, Slack and DoorFlow are not called. Not an error status, because Slack retries
 * events answered with one (three more deliveries of the same refused payload) and a 4xx would tell
 * the sender which ids are wrong; not left unacknowledged, because that holds the connection for
 * 3 seconds and ends in Bolt's 404 anyway. The log line names which id did not match and the
 * foreign ids (routing metadata, not content), never the payload itself.
 */
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import type { Logger } from "../lib/logger.js";
import type { SlackIdentity, SlackIdentitySource } from "./identity.js";
import { acknowledge, STARTING_TEXT } from "./acknowledge.js";

/** How a request names its workspace and app; a field Slack did not send is undefined. */
export interface RequestOrigin {
  type: string;
  teamId: string | undefined;
  appId: string | undefined;
}

/**
 * How long a request waits for the bot's own ids when they are not known yet (a lookup at start
 * still running): well inside Slack's 3 seconds.
 */
const IDENTITY_WAIT_MS = 1_500;

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
function mismatch(
  origin: RequestOrigin,
  own: Pick<SlackIdentity, "teamId" | "appId">,
): "team" | "app" | null {
  if (origin.teamId !== own.teamId) return "team";
  if (origin.appId !== own.appId) return "app";
  return null;
}

/** Ids go to the log only in Slack's own shape, so a crafted value cannot carry anything else. */
const loggable = (id: string | undefined) =>
  id === undefined ? null : /^[A-Z0-9]{1,24}$/.test(id) ? id : "(malformed)";

export function createSlackGuard(options: {
  logger: Logger;
  /** The bot's own ids, learned from Slack (with retries) by src/slack/identity.ts. */
  identity: Pick<SlackIdentitySource, "wait">;
}): Middleware<AnyMiddlewareArgs> {
  const { logger } = options;
  return async (args) => {
    const origin = originOf(args.body);
    const own = await options.identity.wait(IDENTITY_WAIT_MS);
    if (!own) {
      // Fail closed: without knowing our own ids no request can be shown to be ours. Slack is still
      // answered at once (a slash command with a word for the person), and nothing else happens.
      logger.warn("refused a Slack request: the bot's own workspace and app are not known yet", {
        type: origin.type,
      });
      await acknowledge(args, origin.type === "command" ? STARTING_TEXT : undefined);
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
