/** Every Slack listener, registered on one app. Listeners are thin: ack, parse, one use case, render. */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../context.js";
import { createSlackGuard } from "../guard.js";
import * as actions from "./actions/index.js";
import * as commands from "./commands/index.js";
import * as events from "./events/index.js";
import * as views from "./views/index.js";

export function registerListeners(app: App, ctx: SlackContext): void {
  // Global middleware runs before every listener, whatever the order of registration.
  app.use(
    createSlackGuard({
      logger: ctx.deps.logger.child({ component: "slack-guard" }),
      identity: ctx.identity,
    }),
  );
  commands.register(app, ctx);
  actions.register(app, ctx);
  views.register(app, ctx);
  events.register(app, ctx);
}
