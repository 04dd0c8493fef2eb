/** Every Slack listener, registered on one app. Listeners are thin: parse, one use case, render. */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../context.js";
import { registerDecisionActions } from "./actions/decision.js";
import { registerExtension } from "./actions/extension.js";
import { registerShowPin } from "./actions/show-pin.js";
import { registerContractorCommand } from "./commands/contractor.js";
import { registerRequestSubmissions } from "./views/request-submit.js";

export function registerListeners(app: App, ctx: SlackContext): void {
  registerContractorCommand(app, ctx);
  registerRequestSubmissions(app, ctx);
  registerDecisionActions(app, ctx);
  registerShowPin(app, ctx);
  registerExtension(app, ctx);
}
