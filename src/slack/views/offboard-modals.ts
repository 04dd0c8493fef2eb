/** The "Schedule…" last-day picker and the `/offboard bulk` list of emails. */
import type { ModalView } from "@slack/types";
import type { LocalDate } from "../../lib/time.js";
import { BULK_EMAIL_BOXES, bulkEmailsField, CALLBACK, FIELD } from "../ids.js";
import { dateInput, modal, textInput } from "./form-fields.js";
import { BUTTON, LABEL } from "./labels.js";
import { context, mrkdwn } from "./text.js";

/** Slack's limit for one text input. */
const BULK_BOX_MAX = 3000;

export interface ScheduleModalData {
  personId: number;
  personName: string;
  today: LocalDate;
  /** The last day already scheduled, if any. */
  initial?: LocalDate;
}

export function buildScheduleModal(data: ScheduleModalData): ModalView {
  return modal({
    callbackId: CALLBACK.offboardSchedule,
    title: "Schedule offboarding",
    privateMetadata: String(data.personId),
    submit: "Schedule",
    close: BUTTON.cancel,
    blocks: [
      context(
        mrkdwn`*${data.personName}* keeps their access until Gatehouse offboards them at the first daily run on their last day (the end of that day is DoorFlow's backstop).`,
      ),
      dateInput(FIELD.lastDay, LABEL.lastDay, {
        initial: data.initial ?? data.today,
        placeholder: "Their last day",
        hint: "In the DoorFlow account's time zone",
      }),
    ],
  });
}

export function buildBulkModal(): ModalView {
  const boxes = Array.from({ length: BULK_EMAIL_BOXES }, (_, i) =>
    textInput(bulkEmailsField(i + 1), i === 0 ? "Emails" : `More emails (${i + 1})`, {
      multiline: true,
      maxLength: BULK_BOX_MAX,
      optional: i > 0,
      ...(i === 0
        ? {
            placeholder: "one.person@example.com\nanother.person@example.com",
            hint: "One email a line, up to 500 in all. A box holds about 100; use the next box for more.",
          }
        : {}),
    }),
  );
  return modal({
    callbackId: CALLBACK.offboardBulk,
    title: "Bulk offboarding",
    privateMetadata: "",
    submit: "Offboard all",
    close: BUTTON.cancel,
    blocks: [
      context(
        "Everyone listed is disabled in DoorFlow (never deleted) and loses their reservations. You get one message that fills in as it goes, then a summary; failures also go to the security channel.",
      ),
      ...boxes,
    ],
  });
}
