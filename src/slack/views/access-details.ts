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
  managedPersonId: number;
  personName: string;
  company: string;
  property: string;
  unit: string;
  accessCode: string;
  qrImageUrl?: string;
  passNumber?: string;
  startDate: LocalDate;
  endDate: LocalDate;
  timeIn: string;
  timeOut: string;
  /** The community's zone (BUZZIN_TIME_ZONE): every time here is its local time. */
  timeZone: string;
  validTill: Date;
  replaces: boolean;
}

/**
 * A Buzz-in pass: the access code and QR image, to the requester alone, like a PIN. "Reissue pass"
 * kills the code at once and brings a new one here.
 */
export function buildPassMessage(data: PassMessageData): SlackMessage {
  const hours = data.timeIn && data.timeOut ? mrkdwn`${data.timeIn}–${data.timeOut} daily` : mrkdwn`all day`;
  const blocks: KnownBlock[] = [
    header(`${data.replaces ? "New Buzz-in pass" : "Buzz-in pass ready"}: ${data.personName}`),
    ...(data.replaces
      ? [section(mrkdwn`This pass replaces the one sent before: *the old code no longer works.*`)]
      : []),
    fieldsSection([
      ["Person", mrkdwn`${data.personName}`],
      ["Company", mrkdwn`${data.company}`],
      ["Access code", mrkdwn`\`${data.accessCode}\``],
      ["Where", mrkdwn`${data.property}, unit ${data.unit}`],
      ["Days", mrkdwn`${formatLocalDate(data.startDate)} to ${formatLocalDate(data.endDate)}`],
      ["Gate hours", hours],
      ["Pass number", data.passNumber ? mrkdwn`${data.passNumber}` : null],
    ]),
    ...(data.qrImageUrl
      ? [
          {
            type: "image" as const,
            image_url: data.qrImageUrl,
            alt_text: `Buzz-in pass QR code for ${data.personName}`,
          },
        ]
      : []),
    section(
      mrkdwn`*What to do at the end*\nThe pass stops working at ${formatLocal(data.validTill, data.timeZone)} (the community's time). If the work runs longer, ask for more time with */contractor extend*.`,
    ),
    {
      type: "actions",
      block_id: BLOCK.passActions,
      elements: [
        {
          type: "button",
          action_id: ACTION.reissuePass,
          text: plain(BUTTON.reissuePass, SLACK_LIMITS.buttonText),
          value: String(data.managedPersonId),
          confirm: {
            title: plain("Reissue the pass?", 100),
            text: plain(
              `The code above stops working at once; Buzz-in issues a new one, which comes here. Use it if the code was lost or shared with someone it should not be.`,
              300,
            ),
            confirm: plain(BUTTON.reissuePass, 30),
            deny: plain("Go back", 30),
          },
        },
      ],
    },
    context(
      mrkdwn`Only you can see this. Give the code or QR to ${data.personName} directly; don't post it in a channel.`,
    ),
  ];
  return { text: mrkdwn`The Buzz-in pass for ${data.personName} is ready`.value, blocks };
}
