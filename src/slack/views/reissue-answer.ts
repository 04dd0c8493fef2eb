/** What the clicker of "Reissue pass" is told (to them alone); the code itself never goes there. */
import type { ReissueResult } from "../../domain/providers/buzzin/pass.js";
import { buildNoticeMessage } from "./notices.js";
import { mention, mrkdwn, type SlackMessage } from "./text.js";

export function buildReissueAnswer(result: ReissueResult, clicker: string): SlackMessage {
  switch (result.status) {
    case "forbidden":
      return buildNoticeMessage(
        "Only the person who asked for this contractor, or an operator, can reissue their pass.",
      );
    case "not_found":
      return buildNoticeMessage(
        "This Buzz-in contractor is not managed by Gatehouse any more: nothing was changed.",
      );
    case "not_active":
      return buildNoticeMessage(result.message);
    case "failed":
      return buildNoticeMessage(
        mrkdwn`Buzz-in did not reissue the pass: ${result.error} The old code still works; try again in a few minutes.`,
      );
    case "reissued":
      return buildNoticeMessage(
        result.requesterId === clicker
          ? mrkdwn`The old code for ${result.personName} no longer works. Buzz-in is issuing a new one; it comes to this DM.`
          : mrkdwn`The old code for ${result.personName} no longer works. Buzz-in is issuing a new one; it goes to ${mention(result.requesterId)}'s DM only.`,
      );
  }
}
