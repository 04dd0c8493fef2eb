/**
 * App Home: published when a user opens the tab, and again (debounced) after a change that
 * concerns them, so a decision or a provisioning outcome shows without reopening the tab.
 */
import type { App, webApi } from "@slack/bolt";
import { loadHome } from "../../../domain/home.js";
import { errorMessage } from "../../../lib/errors.js";
import type { WorkTracker } from "../../../lib/work.js";
import type { SlackContext } from "../../context.js";
import { buildHomeView } from "../../views/home.js";

export async function publishHome(
  ctx: Pick<SlackContext, "deps">,
  client: webApi.WebClient,
  userId: string,
): Promise<void> {
  const view = buildHomeView(await loadHome(ctx.deps, userId));
  await client.views.publish({ user_id: userId, view });
}

export function registerAppHome(app: App, ctx: SlackContext): void {
  app.event("app_home_opened", async ({ event, client }) => {
    // The event also fires for the Messages tab, which has nothing of ours to draw.
    if (event.tab !== "home") return;
    await ctx.work.run(() =>
      publishHome(ctx, client, event.user).catch((error: unknown) =>
        ctx.deps.logger.warn("could not publish the home tab", {
          userId: event.user,
          error: errorMessage(error),
        }),
      ),
    );
  });
}

/** How long refreshes gather: a decision and the provisioning after it then cost one publish per user. */
export const HOME_REFRESH_DEBOUNCE_MS = 250;

/**
 * `refreshHome` for SlackContext: fire-and-forget, debounced per batch, errors logged. The wait is
 * tracked as work, so shutdown and the tests' `idle()` see a refresh that has not been sent yet.
 */
export function createHomeRefresher(
  ctx: Pick<SlackContext, "deps">,
  work: WorkTracker,
  client: webApi.WebClient,
  debounceMs = HOME_REFRESH_DEBOUNCE_MS,
): (userIds: string[]) => void {
  let pending: Set<string> | undefined;
  const flush = async (users: Set<string>) => {
    for (const userId of users) {
      await publishHome(ctx, client, userId).catch((error: unknown) =>
        ctx.deps.logger.warn("could not refresh the home tab", { userId, error: errorMessage(error) }),
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
