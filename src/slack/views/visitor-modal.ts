/** The "New visitor" request modal opened by `/contractor visitor`. */
import type { KnownBlock, ModalView } from "@slack/types";
import type { LocalDate } from "../../lib/time.js";
import { BLOCK, CALLBACK, FIELD } from "../ids.js";
import { choicesStatusBlocks, isReady } from "./choices-status.js";
import type { Choices } from "./form-fields.js";
import { dateInput, emailInput, INPUT_MAX, modal, multiSelectInput, textInput } from "./form-fields.js";
import { BUTTON, LABEL, TITLE } from "./labels.js";
import { context, mrkdwn } from "./text.js";

interface VisitorFormValues {
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  doorIds: number[];
  visitDate: LocalDate;
}

export interface VisitorModalData {
  doors: Choices;
  today: LocalDate;
  privateMetadata: string;
  initial?: Partial<VisitorFormValues>;
}

export function buildVisitorModal(data: VisitorModalData): ModalView {
  const base = {
    callbackId: CALLBACK.visitorRequest,
    title: TITLE.visitor,
    privateMetadata: data.privateMetadata,
  };
  const status = choicesStatusBlocks(data.doors, {
    what: "doors",
    command: "/contractor visitor",
    blockId: BLOCK.doorsStatus,
  });
  if (status || !isReady(data.doors)) {
    return modal({ ...base, close: BUTTON.cancel, blocks: status ?? [] });
  }

  const v = data.initial ?? {};
  const doors = multiSelectInput(FIELD.doors, LABEL.doors, data.doors, {
    placeholder: "Choose one or more doors",
    ...(v.doorIds ? { initialIds: v.doorIds } : {}),
  });
  const blocks: KnownBlock[] = [
    textInput(FIELD.firstName, LABEL.firstName, { initial: v.firstName, maxLength: INPUT_MAX.name }),
    textInput(FIELD.lastName, LABEL.lastName, { initial: v.lastName, maxLength: INPUT_MAX.name }),
    emailInput(FIELD.email, LABEL.email, { optional: true, initial: v.email }),
    textInput(FIELD.company, LABEL.company, { initial: v.company, maxLength: INPUT_MAX.company }),
    doors.block,
  ];
  if (doors.omitted > 0) {
    blocks.push(context(mrkdwn`${doors.omitted} more doors could not be listed here; ask an operator.`));
  }
  blocks.push(
    dateInput(FIELD.visitDate, LABEL.visitDate, {
      initial: v.visitDate ?? data.today,
      placeholder: "Day of the visit",
      hint: "The PIN works on this day only",
    }),
  );
  return modal({ ...base, submit: BUTTON.request, close: BUTTON.cancel, blocks });
}
