/**
 * What a request modal shows instead of its form while DoorFlow's list is loading, when DoorFlow
 * could not be reached, or when the list is empty. Slack requires a submit button whenever a
 * modal has an input, so these states show no inputs at all and no submit: the listener opens
 * the modal at once (Slack's trigger expires after 3 seconds) and replaces it with views.update
 * once the list is there.
 */
import type { KnownBlock } from "@slack/types";
import { redact } from "../../lib/logger.js";
import type { Choices, NamedItem } from "./form-fields.js";
import { context, mrkdwn, section } from "./text.js";

interface Wording {
  /** "access groups" or "doors". */
  what: string;
  command: string;
  blockId: string;
}

export function choicesStatusBlocks(choices: Choices, w: Wording): KnownBlock[] | null {
  if (choices === "loading") return [section(mrkdwn`Loading ${w.what} from DoorFlow…`, w.blockId)];
  if (!Array.isArray(choices)) {
    return [
      section(
        mrkdwn`:warning: DoorFlow could not be reached, so the ${w.what} could not be loaded. Close this and run *${w.command}* again in a minute; if it keeps failing, tell the security team.`,
        w.blockId,
      ),
      context(mrkdwn`DoorFlow said: ${String(redact(choices.error))}`),
    ];
  }
  if (choices.length === 0) {
    return [
      section(
        mrkdwn`There are no ${w.what} in DoorFlow yet. Create them in DoorFlow's web app, then run *${w.command}* again.`,
        w.blockId,
      ),
    ];
  }
  return null;
}

export function isReady(choices: Choices): choices is NamedItem[] {
  return Array.isArray(choices) && choices.length > 0;
}
