/** Events: App Home opened, and (when the leaver processor is given) a Slack account changed. */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { registerAppHome } from "./app-home.js";
import { registerUserChange } from "./user-change.js";

export function register(app: App, ctx: SlackContext): void {
  registerAppHome(app, ctx);
  if (ctx.leavers) registerUserChange(app, ctx, ctx.leavers);
}
