/**
 * "New contractor", "New Buzz-in contractor" and "New visitor" submitted (one handler, three
 * forms): the form is checked before the acknowledgement, so errors show on the fields themselves;
 * then the request is recorded, the requester told through the outbox, and an approved one provisioned.
 */
import type { App } from "@slack/bolt";
import { checkBuzzinRequest } from "../../../domain/buzzin-form.js";
import type { Deps } from "../../../domain/deps.js";
import { describeFailure } from "../../../domain/failures.js";
import * as requests from "../../../domain/requests.js";
import type { SlackContext } from "../../context.js";
import * as form from "../../form-state.js";
import { CALLBACK, FIELD, type FieldName } from "../../ids.js";
import { FORM_PROBLEM, requestSubmittedText } from "../../views/request-answers.js";

type Check = (deps: Deps, requesterId: string, values: never) => Promise<requests.CheckResult<FieldName>>;

export function registerRequestSubmissions(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  const handle =
    (check: Check) =>
    async ({ ack, body, view }: Parameters<Parameters<App["view"]>[1]>[0]) => {
      const state = form.viewStateSchema.safeParse(view.state.values);
      const invalid = (firstName: string) => ({ status: "invalid", errors: { firstName } }) as const;
      // The check reads DoorFlow's groups or doors (cached); DoorFlow failing must not become a 5xx to Slack.
      const result = state.success
        ? await check(deps, body.user.id, state.data as never).catch((error: unknown) => {
            deps.logger.warn("could not check a request form", { error: describeFailure(error) });
            return invalid(FORM_PROBLEM.doorflowDown);
          })
        : invalid(FORM_PROBLEM.unreadable);
      if (result.status !== "valid") {
        const errors =
          result.status === "invalid"
            ? form.slackFieldErrors(result.errors)
            : { [FIELD.firstName.block]: result.message };
        await ack({ response_action: "errors", errors });
        return;
      }
      await ack();
      await ctx.work.run(async () => {
        const submitted = await requests.submitRequest(deps, result.draft);
        // Through the outbox like every message Gatehouse owes: Slack being down loses nothing.
        await deps.messenger.notifyUser(body.user.id, requestSubmittedText(submitted));
        if (submitted.status === "submitted" && submitted.request.state === "approved")
          await ctx.provision(submitted.request.id);
      });
    };

  app.view(
    CALLBACK.contractorRequest,
    handle((d, requesterId, v) =>
      requests.checkContractorRequest(d, { requesterId, form: form.readContractorForm(v) }),
    ),
  );
  app.view(
    CALLBACK.buzzinRequest,
    handle((d, requesterId, v) => checkBuzzinRequest(d, { requesterId, form: form.readBuzzinForm(v) })),
  );
  app.view(
    CALLBACK.visitorRequest,
    handle((d, requesterId, v) =>
      requests.checkVisitorRequest(d, { requesterId, form: form.readVisitorForm(v) }),
    ),
  );
}
