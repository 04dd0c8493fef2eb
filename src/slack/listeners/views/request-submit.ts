/**
 * "New contractor" / "New visitor" submitted: the form is checked before the acknowledgement, so
 * errors show on the fields themselves; then the request is recorded and posted for approval.
 */
import type { App } from "@slack/bolt";
import {
  checkContractorRequest,
  checkVisitorRequest,
  submitRequest,
  type CheckResult,
} from "../../../domain/requests.js";
import { personName } from "../../../domain/audit.js";
import { describeFailure } from "../../../domain/failures.js";
import type { SlackContext } from "../../context.js";
import { checkBuzzinRequest } from "../../../domain/buzzin-form.js";
import {
  readBuzzinForm,
  readContractorForm,
  readVisitorForm,
  slackFieldErrors,
  viewStateSchema,
} from "../../form-state.js";
import { CALLBACK, FIELD, type FieldName } from "../../ids.js";

export function registerRequestSubmissions(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  const handle =
    (check: (userId: string, values: unknown) => Promise<CheckResult<FieldName>>) =>
    async ({ ack, body, view }: Parameters<Parameters<App["view"]>[1]>[0]) => {
      const state = viewStateSchema.safeParse(view.state.values);
      // The check reads DoorFlow's groups or doors (cached); DoorFlow failing must not become a 5xx to Slack.
      const result = state.success
        ? await check(body.user.id, state.data).catch((error: unknown) => {
            deps.logger.warn("could not check a request form", { error: describeFailure(error) });
            return {
              status: "invalid",
              errors: {
                firstName:
                  "Gatehouse could not reach DoorFlow to check this form. Nothing was sent: submit it again in a minute.",
              },
            } as const;
          })
        : ({
            status: "invalid",
            errors: { firstName: "Slack sent a form Gatehouse could not read: open it again." },
          } as const);
      if (result.status === "invalid") {
        await ack({
          response_action: "errors",
          errors: slackFieldErrors(result.errors),
        });
        return;
      }
      if (result.status === "forbidden") {
        await ack({ response_action: "errors", errors: { [FIELD.firstName.block]: result.message } });
        return;
      }
      await ack();
      await ctx.work.run(async () => {
        const submitted = await submitRequest(deps, result.draft);
        if (submitted.status === "refused") {
          await deps.messenger.notifyUser(
            body.user.id,
            `Your request was not recorded: ${submitted.message}`,
          );
          return;
        }
        const r = submitted.request;
        const next =
          r.state === "approved"
            ? "Access is being set up now."
            : "It has been sent for approval; you will hear back here.";
        // Through the outbox like every message Gatehouse owes: Slack being down loses nothing.
        await deps.messenger.notifyUser(
          body.user.id,
          `Your request for ${personName(r)} (${r.company}) is recorded. ${next}${submitted.note ? `\n${submitted.note}` : ""}`,
        );
        if (r.state === "approved") await ctx.provision(r.id);
      });
    };

  app.view(
    CALLBACK.contractorRequest,
    handle((userId, values) =>
      checkContractorRequest(deps, { requesterId: userId, form: readContractorForm(values as never) }),
    ),
  );
  app.view(
    CALLBACK.buzzinRequest,
    handle((userId, values) =>
      checkBuzzinRequest(deps, { requesterId: userId, form: readBuzzinForm(values as never) }),
    ),
  );
  app.view(
    CALLBACK.visitorRequest,
    handle((userId, values) =>
      checkVisitorRequest(deps, { requesterId: userId, form: readVisitorForm(values as never) }),
    ),
  );
}
