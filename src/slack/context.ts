/** What every listener gets: the use cases' dependencies and the tracker of work done after `ack()`. */
import type { Deps } from "../domain/deps.js";
import type { WorkTracker } from "../lib/work.js";

export interface SlackContext {
  deps: Deps;
  work: WorkTracker;
  /** Provisions an approved request (runs after the click was acknowledged). */
  provision(requestId: string): Promise<void>;
}
