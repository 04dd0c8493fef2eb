/** Slash commands: `/contractor` (routed to one file per sub-command) and `/offboard`. */
import type { App } from "@slack/bolt";
import type { SlackContext } from "../../context.js";
import { registerContractorCommand } from "./contractor.js";
import { registerOffboardCommand } from "./offboard.js";

export function register(app: App, ctx: SlackContext): void {
  registerContractorCommand(app, ctx);
  registerOffboardCommand(app, ctx);
}
