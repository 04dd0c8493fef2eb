/** Asks the approver why a request is denied; the reason goes to the requester and the approval message. */
import type { ModalView } from "@slack/types";
import { CALLBACK, FIELD } from "../ids.js";
import { INPUT_MAX, modal, textInput } from "./form-fields.js";
import { BUTTON, LABEL, TITLE } from "./labels.js";
import { context, type Mrkdwn, mrkdwn } from "./text.js";

export interface DenyReasonModalData {
  requestId: string;
  personName: string;
}

export function buildDenyReasonModal(data: DenyReasonModalData): ModalView {
  return denyReasonModal(
    CALLBACK.denyReason,
    data.requestId,
    mrkdwn`Access request for *${data.personName}*. The requester will see this reason.`,
  );
}

/** The same question for a contract extension; its submission is decided as an extension. */
export function buildExtensionDenyReasonModal(data: { extensionId: string }): ModalView {
  return denyReasonModal(
    CALLBACK.extensionDenyReason,
    data.extensionId,
    mrkdwn`Access request for *this extension*. The requester will see this reason.`,
  );
}

function denyReasonModal(callbackId: string, privateMetadata: string, about: Mrkdwn): ModalView {
  return modal({
    callbackId,
    title: TITLE.denyReason,
    privateMetadata,
    submit: BUTTON.deny,
    close: BUTTON.cancel,
    blocks: [
      context(about),
      textInput(FIELD.denyReason, LABEL.denyReason, {
        multiline: true,
        maxLength: INPUT_MAX.reason,
        placeholder: "Why is this request denied?",
      }),
    ],
  });
}
