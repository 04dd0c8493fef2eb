/** Block actions: one handler per file. */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { registerApprove } from "./approve.js";
import { registerDeny } from "./deny.js";
import { registerExtend } from "./extend.js";
import { registerExtensionApprove } from "./extension-approve.js";
import { registerExtensionDeny } from "./extension-deny.js";
import { registerOffboardBuzzinNow } from "./offboard-buzzin-now.js";
import { registerCardCollected } from "./offboard-card-collected.js";
import { registerOffboardCancel } from "./offboard-cancel.js";
import { registerOffboardNow } from "./offboard-now.js";
import { registerOffboardRetry } from "./offboard-retry.js";
import { registerOffboardSchedule } from "./offboard-schedule.js";
import { registerReissuePass } from "./reissue-pass.js";
import { registerShowPin } from "./show-pin.js";
import { registerSitePicker } from "./site.js";

export function register(app: App, ctx: SlackContext): void {
  registerSitePicker(app, ctx);
  registerApprove(app, ctx);
  registerDeny(app, ctx);
  registerShowPin(app, ctx);
  registerOffboardBuzzinNow(app, ctx);
  registerOffboardNow(app, ctx);
  registerOffboardSchedule(app, ctx);
  registerOffboardCancel(app, ctx);
  registerOffboardRetry(app, ctx);
  registerCardCollected(app, ctx);
  registerReissuePass(app, ctx);
  registerExtend(app, ctx);
  registerExtensionApprove(app, ctx);
  registerExtensionDeny(app, ctx);
}
