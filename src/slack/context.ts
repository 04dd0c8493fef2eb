/** What every listener gets: the use cases' dependencies and the tracker of work done after `ack()`. */
import type { Deps } from "../domain/deps.js";
import type { LeaverProcessor } from "../domain/leavers.js";
import type { WorkTracker } from "../lib/work.js";
import type { SlackIdentitySource } from "./identity.js";

export interface SlackContext {
  deps: Deps;
  work: WorkTracker;
  /** Provisions an approved request (runs after the click was acknowledged). */
  provision(requestId: string): Promise<void>;
  /** The bot's own workspace and app, which the guard compares every request with. */
  identity: Pick<SlackIdentitySource, "wait">;
  /** Republishes these users' App Home soon (debounced, fire-and-forget) after a change that concerns them. */
  refreshHome?: (userIds: string[]) => void;
  /** Acts on a recorded leaver (a deactivated Slack account); without it `user_change` is not listened to. */
  leavers?: Pick<LeaverProcessor, "kick">;
}
