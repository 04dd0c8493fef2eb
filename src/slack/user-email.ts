/** A Slack user's email, read with users.info (for `/offboard @user`), or why it cannot be. */
import type { webApi } from "@slack/bolt";
import { describeFailure } from "../domain/failures.js";
import { type Mrkdwn, mention, mrkdwn } from "./views/text.js";

export async function emailOfUser(
  client: webApi.WebClient,
  userId: string,
): Promise<{ email: string } | { problem: Mrkdwn }> {
  try {
    const res = await client.users.info({ user: userId });
    const address = res.user?.profile?.email?.trim().toLowerCase();
    if (address) return { email: address };
    return {
      problem: mrkdwn`Slack has no email address for ${mention(userId)} (a bot, or the app cannot read emails). Run /offboard with their email instead.`,
    };
  } catch (error) {
    return {
      problem: mrkdwn`Slack could not tell Gatehouse who ${mention(userId)} is (${describeFailure(error)}). Run /offboard with their email instead.`,
    };
  }
}
