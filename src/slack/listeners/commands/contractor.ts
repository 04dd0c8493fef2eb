/**
 * `/contractor`: acknowledged at once, then routed to one sub-command (contractor/<name>.ts). The
 * modals open within Slack's 3-second trigger window; help, list, status and audit answer the
 * caller alone.
 */
import type { App } from "@slack/bolt";
import { type ContractorCommand, parseContractorCommand } from "../../commands-parse.js";
import type { SlackContext } from "../../context.js";
import { contractorAudit } from "./contractor/audit.js";
import { contractorBuzzin } from "./contractor/buzzin.js";
import { contractorExtend } from "./contractor/extend.js";
import { contractorHelp } from "./contractor/help.js";
import { contractorList } from "./contractor/list.js";
import { contractorNew } from "./contractor/new.js";
import { contractorStatus } from "./contractor/status.js";
import type { SubCommand } from "./contractor/sub-command.js";
import { contractorVisitor } from "./contractor/visitor.js";

const SUB_COMMANDS: {
  [K in ContractorCommand["kind"]]: SubCommand<Extract<ContractorCommand, { kind: K }>>;
} = {
  new: contractorNew,
  visitor: contractorVisitor,
  buzzin: contractorBuzzin,
  extend: contractorExtend,
  audit: contractorAudit,
  list: contractorList,
  status: contractorStatus,
  help: contractorHelp,
};

export function registerContractorCommand(app: App, ctx: SlackContext): void {
  app.command("/contractor", async ({ command, ack, client, respond }) => {
    await ack();
    const sub = parseContractorCommand(command.text);
    const run = SUB_COMMANDS[sub.kind] as SubCommand<ContractorCommand>;
    await ctx.work.run(() => run(ctx, { sub, command, client, respond }));
  });
}
