/**
 * The site picker on "New contractor": choosing a Buzz-in community redraws the modal with the
 * fields Buzz-in needs, choosing the DoorFlow building brings the groups and card back.
 */
import type { App, BlockAction, StaticSelectAction } from "@slack/bolt";
import { todayIn } from "../../../domain/requests.js";
import { errorMessage } from "../../../lib/errors.js";
import type { SlackContext } from "../../context.js";
import { ACTION, SITE_OPTION } from "../../ids.js";
import { buzzinFormDefaults } from "../../../domain/buzzin-form.js";
import { buildBuzzinModal } from "../../views/buzzin-modal.js";
import { buildContractorModal } from "../../views/contractor-modal.js";
import type { Choices } from "../../views/form-fields.js";

export function registerSitePicker(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.action<BlockAction<StaticSelectAction>>(ACTION.site, async ({ ack, action, body, client }) => {
    await ack();
    const view = body.view;
    if (!view || !deps.buzzin) return;
    await ctx.work.run(async () => {
      const today = todayIn(deps);
      const maxDays = deps.settings.contractorMaxDays;
      const next =
        action.selected_option.value === SITE_OPTION.buzzin
          ? buildBuzzinModal(buzzinFormDefaults(deps))
          : buildContractorModal({
              groups: await deps.catalog.groups().catch((error: unknown): Choices => {
                deps.logger.warn("could not load the DoorFlow groups", { error: errorMessage(error) });
                return { error: "Gatehouse could not reach DoorFlow. Close this and try again in a minute." };
              }),
              today,
              privateMetadata: "",
              maxDays,
              sites: true,
            });
      await client.views.update({ view_id: view.id, hash: view.hash, view: next });
    });
  });
}
