/**
 * `/contractor`: opens "New contractor" or "New visitor" within Slack's 3-second trigger window,
 * before DoorFlow is asked for the groups or doors (a slow DoorFlow only delays the list, which
 * arrives by views.update); answers help, list and status to the caller alone.
 */
import type { App } from "@slack/bolt";
import { personHistory } from "../../../domain/audit-export.js";
import { listContractorsFor, statusFor } from "../../../domain/queries.js";
import { todayIn } from "../../../domain/requests.js";
import { within } from "../../../lib/deadline.js";
import { errorMessage } from "../../../lib/errors.js";
import { parseContractorCommand } from "../../commands-parse.js";
import { openExtensionModal } from "../actions/extension.js";
import type { SlackContext } from "../../context.js";
import { buildAuditHistory } from "../../views/audit-history.js";
import { buzzinFormDefaults } from "../../../domain/buzzin-form.js";
import { buildBuzzinModal } from "../../views/buzzin-modal.js";
import { buildContractorList } from "../../views/contractor-list.js";
import { buildContractorModal } from "../../views/contractor-modal.js";
import type { Choices } from "../../views/form-fields.js";
import { buildHelpMessage } from "../../views/help-message.js";
import { buildStatusMessage } from "../../views/status-message.js";
import { buildVisitorModal } from "../../views/visitor-modal.js";

const NOT_A_REQUESTER =
  "You are not on the list of people who may request building access. Ask your security team to add you.";

/** Open with the list at once when DoorFlow answers (or the cache holds it) within this long. */
const LIST_WAIT_MS = 250;

export function registerContractorCommand(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.command("/contractor", async ({ command, ack, client, respond }) => {
    await ack();
    const sub = parseContractorCommand(command.text);
    const userId = command.user_id;
    await ctx.work.run(async () => {
      if (sub.kind === "new" || sub.kind === "visitor") {
        // The form lists DoorFlow's groups or doors: not for people who may not ask for access.
        if (!(await deps.policy.mayRequest(userId))) {
          await respond({ response_type: "ephemeral", text: NOT_A_REQUESTER });
          return;
        }
        const load = sub.kind === "new" ? deps.catalog.groups() : deps.catalog.doors();
        const build = (choices: Choices) =>
          sub.kind === "new"
            ? buildContractorModal({
                groups: choices,
                today: todayIn(deps),
                privateMetadata: "",
                maxDays: deps.settings.contractorMaxDays,
                sites: deps.buzzin !== undefined,
              })
            : buildVisitorModal({ doors: choices, today: todayIn(deps), privateMetadata: "" });
        const early = await within(load, LIST_WAIT_MS).catch(() => undefined);
        const opened = await client.views.open({
          trigger_id: command.trigger_id,
          view: build(early ?? "loading"),
        });
        if (early) return;
        const choices: Choices = await load.catch((error: unknown) => {
          deps.logger.warn("could not load the DoorFlow list for the modal", { error: errorMessage(error) });
          return { error: "Gatehouse could not reach DoorFlow. Close this and try again in a minute." };
        });
        await client.views.update({
          view_id: opened.view?.id ?? "",
          hash: opened.view?.hash,
          view: build(choices),
        });
        return;
      }
      if (sub.kind === "buzzin") {
        if (!deps.buzzin) {
          await respond({
            response_type: "ephemeral",
            text: "Buzz-in is not set up here, so `/contractor` asks for DoorFlow access only.",
          });
        } else if (!(await deps.policy.mayRequest(userId))) {
          await respond({ response_type: "ephemeral", text: NOT_A_REQUESTER });
        } else {
          await client.views.open({
            trigger_id: command.trigger_id,
            view: buildBuzzinModal(buzzinFormDefaults(deps)),
          });
        }
        return;
      }
      if (sub.kind === "extend") {
        await openExtensionModal(ctx, client, { triggerId: command.trigger_id, userId, email: sub.email });
        return;
      }
      const [isApprover, isOperator] = await Promise.all([
        deps.policy.isApprover(userId),
        deps.policy.isOperator(userId),
      ]);
      if (sub.kind === "audit") {
        const message = !isOperator
          ? { text: "Only operators can read the audit trail." }
          : !sub.email
            ? { text: "Say whose history to show: `/contractor audit name@company.com`." }
            : buildAuditHistory({
                email: sub.email,
                lines: personHistory(deps.db, sub.email),
                timeZone: deps.settings.timeZone,
              });
        await respond({ response_type: "ephemeral", ...message });
      } else if (sub.kind === "list") {
        await respond({
          response_type: "ephemeral",
          ...buildContractorList(listContractorsFor(deps, { userId, seesAll: isApprover || isOperator })),
        });
      } else if (sub.kind === "status" && sub.email) {
        await respond({
          response_type: "ephemeral",
          ...buildStatusMessage(
            statusFor(deps, { email: sub.email, userId, seesAll: isApprover || isOperator }),
          ),
        });
      } else {
        await respond({ response_type: "ephemeral", ...buildHelpMessage({ isApprover, isOperator }) });
      }
    });
  });
}
