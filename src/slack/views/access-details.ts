/**
 * What the requester needs to hand over access: the card number and PIN, sent to them alone (a
 * direct message, or a modal only they see). These are the ONLY builders that take a PIN; no
 * channel message may be built from this data.
 */
import type { KnownBlock, ModalView } from "@slack/types";
import { formatLocal, formatLocalDate, type LocalDate, localDateOf } from "../../lib/time.js";
import { ACTION, BLOCK, CALLBACK } from "../ids.js";
import { modal } from "./form-fields.js";
import { BUTTON, CREDENTIAL_LABEL, TITLE } from "./labels.js";
import { SLACK_LIMITS } from "./limits.js";
import type { CredentialKind, RequestKind } from "./request-format.js";
import { formatAccessNames } from "./request-format.js";
import type { Mrkdwn, SlackMessage } from "./text.js";
import { context, fieldsSection, header, mrkdwn, plain, section } from "./text.js";

export interface AccessDetailsData {
  requestId: string;
  kind: RequestKind;
  personName: string;
  company: string;
  cardNumber: string | null;
  pin: string | null;
  credential: CredentialKind;
  accessNames: string[];
  start: Date;
  end: Date;
  timeZone: string;
}

function when(instant: Date, timeZone: string): Mrkdwn {
  return mrkdwn`${formatLocal(instant, timeZone)} (${timeZone})`;
}

function credentialValue(data: AccessDetailsData): Mrkdwn | null {
  if (data.credential === "pin" || data.credential === "access_code") return null;
  if (data.credential === "card") return data.cardNumber ? mrkdwn`Card ${data.cardNumber}` : mrkdwn`Card`;
  return mrkdwn`${CREDENTIAL_LABEL[data.credential]}`;
}

function atTheEnd(data: AccessDetailsData): Mrkdwn {
  const lastDay = formatLocalDate(localDateOf(data.end, data.timeZone));
  const ends = formatLocal(data.end, data.timeZone);
  if (data.kind === "visitor") {
    return mrkdwn`The PIN works only on ${lastDay}, until ${ends}. Nothing needs to be returned.`;
  }
  const card =
    data.credential === "card"
      ? mrkdwn`Collect the card from ${data.personName} on ${lastDay}, their last day. `
      : mrkdwn``;
  return mrkdwn`${card}Access ends automatically on ${ends}. If the work runs longer, ask for more time with */contractor extend*.`;
}

export function buildAccessDetailsMessage(data: AccessDetailsData): SlackMessage {
  const pin = data.pin ? mrkdwn`\`${data.pin}\`` : mrkdwn`Use *${BUTTON.showPin}* to see it`;
  const blocks: KnownBlock[] = [
    header(`Access ready: ${data.personName}`),
    fieldsSection([
      ["Person", mrkdwn`${data.personName}`],
      ["Company", mrkdwn`${data.company}`],
      ["Credential", credentialValue(data)],
      ["PIN", pin],
      ["Access", formatAccessNames(data.accessNames)],
      ["Starts", when(data.start, data.timeZone)],
      ["Ends", when(data.end, data.timeZone)],
    ]),
    section(mrkdwn`*What to do at the end*\n${atTheEnd(data)}`),
    {
      type: "actions",
      block_id: BLOCK.accessActions,
      elements: [
        {
          type: "button",
          action_id: ACTION.showPin,
          text: plain(BUTTON.showPin, SLACK_LIMITS.buttonText),
          value: data.requestId,
        },
      ],
    },
    context(
      mrkdwn`Only you can see this. Give the PIN to ${data.personName} directly; don't post it in a channel.`,
    ),
  ];
  // The notification text shows on lock screens and in previews, so it leaves the PIN and card number out.
  return { text: mrkdwn`Access for ${data.personName} is ready`.value, blocks };
}

export interface PinViewData {
  personName: string;
  pin: string;
}

export function buildPinView(data: PinViewData): ModalView {
  return modal({
    callbackId: CALLBACK.pinView,
    title: TITLE.pin,
    privateMetadata: "",
    close: BUTTON.close,
    blocks: [
      section(mrkdwn`PIN for *${data.personName}*: \`${data.pin}\``),
      context(mrkdwn`Only you can see this. Give it to ${data.personName} directly.`),
    ],
  });
}

export interface PassMessageData {
  personName: string;
  company: string;
  property: string;
  unit: string;
  accessCode: string;
  qrCodeUrl: string;
  startDate: LocalDate;
  endDate: LocalDate;
}

/** A Buzz-in pass: the access code and QR image, to the requester alone, like a PIN. */
export function buildPassMessage(data: PassMessageData): SlackMessage {
  const blocks: KnownBlock[] = [
    header(`Buzz-in pass ready: ${data.personName}`),
    fieldsSection([
      ["Person", mrkdwn`${data.personName}`],
      ["Company", mrkdwn`${data.company}`],
      ["Access code", mrkdwn`\`${data.accessCode}\``],
      ["Where", mrkdwn`${data.property}, unit ${data.unit}`],
      ["First day", mrkdwn`${formatLocalDate(data.startDate)}`],
      ["Last day", mrkdwn`${formatLocalDate(data.endDate)}`],
    ]),
    { type: "image", image_url: data.qrCodeUrl, alt_text: `Buzz-in pass QR code for ${data.personName}` },
    section(
      mrkdwn`*What to do at the end*\nThe pass stops working after ${formatLocalDate(data.endDate)} (the community's time). If the work runs longer, ask for more time with */contractor extend*.`,
    ),
    context(
      mrkdwn`Only you can see this. Give the code or QR to ${data.personName} directly; don't post it in a channel.`,
    ),
  ];
  return { text: mrkdwn`The Buzz-in pass for ${data.personName} is ready`.value, blocks };
}
