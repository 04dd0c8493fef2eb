/** The self-check's view of Slack through the Web API. */
import type { webApi } from "@slack/bolt";
import { SlackCallFailed, type SlackProbe } from "../domain/self-check.js";

/**
 * Slack's own error codes for trouble on its side (https://api.slack.com/methods/api.test lists
 * fatal_error and internal_error as "likely due to a transient issue on our end"): retrying helps.
 */
const TEMPORARY_PLATFORM_ERRORS = new Set([
  "fatal_error",
  "internal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

/**
 * Tells a Web API failure Slack will get over (no connection, a 5xx, a 429, its own transient
 * error codes) from one a person must fix (a refused token, a missing scope).
 */
function slackCallFailed(error: unknown): SlackCallFailed {
  const e = error as {
    code?: string;
    data?: { error?: string };
    statusCode?: number;
    original?: { code?: string; message?: string };
    message?: string;
  };
  switch (e?.code) {
    case "slack_webapi_platform_error": {
      const code = e.data?.error ?? "unknown_error";
      return new SlackCallFailed(code, TEMPORARY_PLATFORM_ERRORS.has(code), { cause: error });
    }
    case "slack_webapi_request_error":
      return new SlackCallFailed(
        `could not be reached: ${e.original?.code ?? e.original?.message ?? "network error"}`,
        true,
        { cause: error },
      );
    case "slack_webapi_rate_limited_error":
      return new SlackCallFailed("rate limited", true, { cause: error });
    case "slack_webapi_http_error": {
      const status = e.statusCode ?? 0;
      return new SlackCallFailed(`HTTP ${status}`, status >= 500 || status === 429, { cause: error });
    }
    default:
      return new SlackCallFailed(e?.message ?? String(error), false, { cause: error });
  }
}

export function createSlackProbe(client: webApi.WebClient): SlackProbe {
  return {
    async authTest() {
      try {
        const res = await client.auth.test();
        return { botUserId: res.user_id ?? "", team: res.team ?? "" };
      } catch (error) {
        throw slackCallFailed(error);
      }
    },
    async channel(id) {
      try {
        const res = await client.conversations.info({ channel: id });
        return res.channel
          ? { name: res.channel.name ?? id, isMember: res.channel.is_member === true }
          : null;
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        if (code === "channel_not_found") return null;
        throw slackCallFailed(error);
      }
    },
  };
}
