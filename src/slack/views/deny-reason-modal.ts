/** Asks the approver why a request is denied; the reason goes to the requester and the approval message. */
import type { ModalView } from "@slack/types";
import { CALLBACK, FIELD } from "../ids.js";
import { INPUT_MAX, modal, textInput } from "./form-fields.js";
import { BUTTON, LABEL, TITLE } from "./labels.js";
import { context, mrkdwn } from "./text.js";

export interface DenyReasonModalData {
  requestId: string;
  personName: string;
}

export function buildDenyReasonModal(data: DenyReasonModalData): ModalView {
  return modal({
    callbackId: CALLBACK.denyReason,
    title: TITLE.denyReason,
    privateMetadata: data.requestId,
    submit: BUTTON.deny,
    close: BUTTON.cancel,
    blocks: [
      context(mrkdwn`Access request for *${data.personName}*. The requester will see this reason.`),
      textInput(FIELD.denyReason, LABEL.denyReason, {
        multiline: true,
        maxLength: INPUT_MAX.reason,
        placeholder: "Why is this request denied?",
      }),
    ],
  });
}
