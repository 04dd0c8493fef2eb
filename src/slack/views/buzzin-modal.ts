/**
 * "New contractor" when the site is a Buzz-in community: the fields Buzz-in's contractor and work
 * permit need instead of DoorFlow's groups, credential and card. Both forms carry the site picker
 * (`siteBlock`), so a requester can switch between them while filling in.
 */
import type { ActionsBlock, KnownBlock, ModalView, PlainTextOption, RadioButtons } from "@slack/types";
import type { LocalDate } from "../../lib/time.js";
import { ACTION, BLOCK, CALLBACK, FIELD, PERMIT_TYPE_OPTION, SITE_OPTION } from "../ids.js";
import { dateInput, emailInput, INPUT_MAX, modal, textInput } from "./form-fields.js";
import { BUTTON, LABEL, PERMIT_TYPE_LABEL, SITE_LABEL, TITLE } from "./labels.js";
import { SLACK_LIMITS } from "./limits.js";
import { context, mrkdwn, plain } from "./text.js";

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

function permitOption(value: keyof typeof PERMIT_TYPE_OPTION): PlainTextOption {
  return { text: plain(PERMIT_TYPE_LABEL[value], SLACK_LIMITS.optionText), value: PERMIT_TYPE_OPTION[value] };
}

export interface BuzzinModalData {
  today: LocalDate;
  maxDays: number;
}

export function buildBuzzinModal(data: BuzzinModalData): ModalView {
  const permitType: RadioButtons = {
    type: "radio_buttons",
    action_id: FIELD.permitType.action,
    options: [permitOption("noc"), permitOption("fitOut")],
    initial_option: permitOption("fitOut"),
  };
  const id = { maxLength: 18, placeholder: "15 or 18 letters and digits" };
  const blocks: KnownBlock[] = [
    siteBlock("buzzin"),
    context(
      mrkdwn`Buzz-in registers the contractor; the community admin approves them in Buzz-in, then Gatehouse submits the permit and sends you the access code.`,
    ),
    textInput(FIELD.firstName, LABEL.firstName, { maxLength: INPUT_MAX.name }),
    textInput(FIELD.lastName, LABEL.lastName, { maxLength: INPUT_MAX.name }),
    emailInput(FIELD.email, LABEL.email),
    textInput(FIELD.phone, LABEL.phone, { maxLength: 20, placeholder: "+971500000000" }),
    textInput(FIELD.company, LABEL.company, { maxLength: INPUT_MAX.company }),
    textInput(FIELD.tradeLicenseUrl, LABEL.tradeLicenseUrl, {
      maxLength: 2000,
      placeholder: "https://…/trade-licence.pdf",
      hint: "A link Buzz-in can download (PDF or image)",
    }),
    dateInput(FIELD.tradeLicenseExpiry, LABEL.tradeLicenseExpiry, { placeholder: "Expiry date" }),
    textInput(FIELD.salesforceId, LABEL.salesforceId, id),
    { type: "input", block_id: FIELD.permitType.block, label: plain(LABEL.permitType), element: permitType },
    textInput(FIELD.property, LABEL.property, { maxLength: 120 }),
    textInput(FIELD.unit, LABEL.unit, { maxLength: 120 }),
    textInput(FIELD.propertySalesforceId, LABEL.propertySalesforceId, id),
    textInput(FIELD.unitSalesforceId, LABEL.unitSalesforceId, id),
    dateInput(FIELD.startDate, LABEL.startDate, { initial: data.today, placeholder: "First day" }),
    dateInput(FIELD.endDate, LABEL.endDate, {
      placeholder: "Last day",
      hint: `At most ${data.maxDays} days after the start date`,
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
