/**
 * App Home is published again (debounced) after a change that concerns a user, so a decision or a
 * provisioning outcome shows without reopening the tab.
 */
import type { webApi } from "@slack/bolt";
import type { Deps } from "../domain/deps.js";
import { errorMessage } from "../lib/errors.js";
import type { WorkTracker } from "../lib/work.js";
import { publishHome } from "../slack/publish-home.js";

/** How long refreshes gather: a decision and the provisioning after it then cost one publish per user. */
const HOME_REFRESH_DEBOUNCE_MS = 250;

/**
 * `refreshHome` for SlackContext: fire-and-forget, debounced per batch, errors logged. The wait is
 * tracked as work, so shutdown and the tests' `idle()` see a refresh that has not been sent yet.
 */
export function createHomeRefresher(
  deps: Deps,
  work: WorkTracker,
  client: webApi.WebClient,
  debounceMs = HOME_REFRESH_DEBOUNCE_MS,
): (userIds: string[]) => void {
  let pending: Set<string> | undefined;
  const flush = async (users: Set<string>) => {
    for (const userId of users) {
      await publishHome(deps, client, userId).catch((error: unknown) =>
        deps.logger.warn("could not refresh the home tab", { userId, error: errorMessage(error) }),
      );
    }
  };
  return (userIds) => {
    const ids = userIds.filter((id) => id.length > 0);
    if (ids.length === 0) return;
    if (pending) {
      for (const id of ids) pending.add(id);
      return;
    }
    const batch = new Set(ids);
    pending = batch;
    void work.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, debounceMs));
      pending = undefined;
      await flush(batch);
    });
  };
}
