/** The self-check's view of Slack through the Web API. */
import type { webApi } from "@slack/bolt";
import type { SlackProbe } from "../domain/self-check.js";

export function createSlackProbe(client: webApi.WebClient): SlackProbe {
  return {
    async authTest() {
      const res = await client.auth.test();
      return { botUserId: res.user_id ?? "", team: res.team ?? "" };
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
        throw error;
      }
    },
  };
}
