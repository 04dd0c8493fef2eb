/** Every Slack listener, registered on one app. Listeners are thin: parse, one use case, render. */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../context.js";
import { createSlackGuard } from "../guard.js";
import { registerDecisionActions } from "./actions/decision.js";
import { registerExtension } from "./actions/extension.js";
import { registerCardCollected } from "./actions/offboard-card-collected.js";
import { registerOffboardPreviewActions } from "./actions/offboard-preview.js";
import { registerOffboardRetry } from "./actions/offboard-retry.js";
import { registerReissuePass } from "./actions/reissue-pass.js";
import { registerShowPin } from "./actions/show-pin.js";
import { registerSitePicker } from "./actions/site.js";
import { registerContractorCommand } from "./commands/contractor.js";
import { registerOffboardCommand } from "./commands/offboard.js";
import { registerAppHome } from "./events/app-home.js";
import { registerOffboardBulkSubmission } from "./views/offboard-bulk.js";
import { registerOffboardScheduleSubmission } from "./views/offboard-schedule.js";
import { registerRequestSubmissions } from "./views/request-submit.js";

export function registerListeners(app: App, ctx: SlackContext): void {
  // Global middleware runs before every listener, whatever the order of registration.
  app.use(
    createSlackGuard({
      logger: ctx.deps.logger.child({ component: "slack-guard" }),
      identity: ctx.identity,
    }),
  );
  registerContractorCommand(app, ctx);
  registerRequestSubmissions(app, ctx);
  registerSitePicker(app, ctx);
  registerDecisionActions(app, ctx);
  registerShowPin(app, ctx);
  registerOffboardCommand(app, ctx);
  registerOffboardPreviewActions(app, ctx);
  registerOffboardScheduleSubmission(app, ctx);
  registerOffboardBulkSubmission(app, ctx);
  registerOffboardRetry(app, ctx);
  registerCardCollected(app, ctx);
  registerReissuePass(app, ctx);
  registerExtension(app, ctx);
  registerAppHome(app, ctx);
}
