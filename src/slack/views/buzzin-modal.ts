/**
 * "New contractor" when the site is a Buzz-in community: the fields Buzz-in's contractor and its
 * NOC / fit-out work permit need (create contractor, create permit, and what submitting it requires)
 * instead of DoorFlow's groups, credential and card. Both forms carry the site picker
 * (`siteBlock`), so a requester can switch between them while filling in.
 */
import type { ActionsBlock, KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import type { LocalDate } from "../../lib/time.js";
import { ACTION, BLOCK, CALLBACK, FIELD, SITE_OPTION } from "../ids.js";
import { dateInput, emailInput, INPUT_MAX, modal, textInput, timeInput } from "./form-fields.js";
import { BUTTON, LABEL, SITE_LABEL, TITLE } from "./labels.js";
import { SLACK_LIMITS } from "./limits.js";
import { context, header, mrkdwn, plain } from "./text.js";

export type Site = keyof typeof SITE_OPTION;

function siteOption(site: Site): PlainTextOption {
  return { text: plain(SITE_LABEL[site], SLACK_LIMITS.optionText), value: SITE_OPTION[site] };
}

/** The site picker; choosing a site redraws the modal with that site's fields. */
export function siteBlock(selected: Site): ActionsBlock {
  return {
    type: "actions",
    block_id: BLOCK.site,
    elements: [
      {
        type: "static_select",
        action_id: ACTION.site,
        placeholder: plain("Site", SLACK_LIMITS.placeholder),
        options: [siteOption("doorflow"), siteOption("buzzin")],
        initial_option: siteOption(selected),
      },
    ],
  };
}

export interface BuzzinModalData {
  /** Today in the community's zone. */
  today: LocalDate;
  maxDays: number;
  /** BUZZIN_TIME_ZONE, named where times are asked for. */
  timeZone: string;
}

export function buildBuzzinModal(data: BuzzinModalData): ModalView {
  const phone = { maxLength: 20, placeholder: "+971500000000" };
  const place = (example: string) => ({
    maxLength: 64,
    placeholder: example,
    hint: "Buzz-in's id (24 characters) or DAMAC's external id",
  });
  const blocks: KnownBlock[] = [
    siteBlock("buzzin"),
    context(
      mrkdwn`Buzz-in registers the contractor; the community admin approves them in Buzz-in, then Gatehouse creates and submits the work permit and sends you the access code.`,
    ),
    header("Contractor"),
    textInput(FIELD.firstName, LABEL.firstName, { maxLength: INPUT_MAX.name }),
    textInput(FIELD.lastName, LABEL.lastName, { maxLength: INPUT_MAX.name }),
    emailInput(FIELD.email, LABEL.email),
    textInput(FIELD.phone, LABEL.phone, phone),
    textInput(FIELD.company, LABEL.company, { maxLength: INPUT_MAX.company }),
    textInput(FIELD.tradeLicenseUrl, LABEL.tradeLicenseUrl, {
      maxLength: 2000,
      placeholder: "https://…/trade-licence.pdf",
      hint: "A link Buzz-in can download (PDF or image)",
    }),
    dateInput(FIELD.tradeLicenseExpiry, LABEL.tradeLicenseExpiry, { placeholder: "Expiry date" }),
    textInput(FIELD.salesforceId, LABEL.salesforceId, {
      maxLength: 18,
      placeholder: "15 or 18 letters and digits",
    }),
    header("Work permit"),
    textInput(FIELD.property, LABEL.property, place("DAMAC-TWR-07")),
    textInput(FIELD.unit, LABEL.unit, place("UNIT-0712")),
    dateInput(FIELD.startDate, LABEL.startDate, { initial: data.today, placeholder: "First day" }),
    dateInput(FIELD.endDate, LABEL.endDate, {
      placeholder: "Last day",
      hint: `At most ${data.maxDays} days after the start date`,
    }),
    timeInput(FIELD.timeIn, LABEL.timeIn, {
      initial: "08:00",
      placeholder: "From",
      hint: `The community's time (${data.timeZone})`,
    }),
    timeInput(FIELD.timeOut, LABEL.timeOut, {
      initial: "18:00",
      placeholder: "Until",
      hint: `The community's time (${data.timeZone}); on the last day the pass ends then`,
    }),
    textInput(FIELD.jobsSummary, LABEL.jobsSummary, {
      multiline: true,
      maxLength: 1000,
      placeholder: "Full interior fit-out of unit 0712.",
    }),
    header("NOC (no-objection certificate)"),
    textInput(FIELD.nocUrl, LABEL.nocUrl, {
      maxLength: 2000,
      placeholder: "https://…/noc.pdf",
      hint: "A link Buzz-in can download (PDF or image)",
    }),
    textInput(FIELD.nocNumber, LABEL.nocNumber, { maxLength: 64, placeholder: "NOC-12345" }),
    dateInput(FIELD.nocIssueDate, LABEL.nocIssueDate, { placeholder: "Issued on" }),
    dateInput(FIELD.nocExpiryDate, LABEL.nocExpiryDate, {
      placeholder: "Expires on",
      hint: "It must cover the whole work",
    }),
    header("On site"),
    textInput(FIELD.representativeName, LABEL.representativeName, { maxLength: 160 }),
    textInput(FIELD.representativePhone, LABEL.representativePhone, phone),
    textInput(FIELD.employees, LABEL.employees, {
      multiline: true,
      maxLength: 3000,
      placeholder: "Ali Hassan, +971501112233\nSara Khan, +971504445566",
      hint: "One a line: name, a comma, then their mobile. At least one.",
    }),
    textInput(FIELD.notes, LABEL.notes, { optional: true, multiline: true, maxLength: INPUT_MAX.notes }),
  ];
  return modal({
    callbackId: CALLBACK.buzzinRequest,
    title: TITLE.contractor,
    privateMetadata: "",
    submit: BUTTON.request,
    close: BUTTON.cancel,
    blocks,
  });
}
