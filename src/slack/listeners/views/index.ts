/** Modal submissions: one handler per file. */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { registerDenyReason } from "./deny-reason.js";
import { registerExtensionDenyReason } from "./extension-deny-reason.js";
import { registerExtensionRequest } from "./extension-request.js";
import { registerOffboardBulkSubmission } from "./offboard-bulk.js";
import { registerOffboardScheduleSubmission } from "./offboard-schedule.js";
import { registerRequestSubmissions } from "./request-submit.js";

export function register(app: App, ctx: SlackContext): void {
  registerRequestSubmissions(app, ctx);
  registerDenyReason(app, ctx);
  registerOffboardScheduleSubmission(app, ctx);
  registerOffboardBulkSubmission(app, ctx);
  registerExtensionRequest(app, ctx);
  registerExtensionDenyReason(app, ctx);
}
