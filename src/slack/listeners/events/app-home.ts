/** App Home: published when a user opens the tab (refreshed after changes by wiring/home-refresher.ts). */
import type { App } from "@slack/bolt";
import { errorMessage } from "../../../lib/errors.js";
import type { SlackContext } from "../../context.js";
import { publishHome } from "../../publish-home.js";

export function registerAppHome(app: App, ctx: SlackContext): void {
  app.event("app_home_opened", async ({ event, client }) => {
    // The event also fires for the Messages tab, which has nothing of ours to draw.
    if (event.tab !== "home") return;
    await ctx.work.run(() =>
      publishHome(ctx.deps, client, event.user).catch((error: unknown) =>
        ctx.deps.logger.warn("could not publish the home tab", {
          userId: event.user,
          error: errorMessage(error),
        }),
      ),
    );
  });
}
