/**
 * One App Home row each: a request, an approval waiting for the viewer, a person with access, an
 * open failure. The buttons carry the same action ids and values as the messages they mirror (the
 * approval message, the reminder, the `/offboard` preview, the security alert), so the listeners
 * that serve those messages serve the home too.
 */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from "@slack/types";
import type { HomeApproval, HomeFailure, HomePerson, HomeRequest } from "../../domain/home.js";
import { redact } from "../../lib/logger.js";
import { formatLocal, formatLocalDate } from "../../lib/time.js";
import { ACTION } from "../ids.js";
import { BUTTON } from "./labels.js";
import { SLACK_LIMITS } from "./limits.js";
import { formatAccessNames, formatDateRange, KIND_LABEL } from "./request-format.js";
import { clamp, type Mrkdwn, mention, mrkdwn, plain, section } from "./text.js";

const HOME_BUTTON = { offboard: "Offboard", retry: "Retry", reissuePass: "Reissue pass" } as const;

const REASON_MAX = 300;
const SUMMARY_MAX = 500;

function button(actionId: string, text: string, value: string, style?: "primary" | "danger"): Button {
  return {
    type: "button",
    action_id: actionId,
    text: plain(text, SLACK_LIMITS.buttonText),
    value,
    ...(style ? { style } : {}),
  };
}

/** A Buzz-in request's stage in Buzz-in's words: the community admin, the permit, the pass. */
const BUZZIN_STATE: Partial<Record<NonNullable<HomeRequest["buzzinStage"]>, string>> = {
  contractor: "approved, registering the contractor with Buzz-in",
  awaiting_community: "waiting for the community admin to approve the contractor in Buzz-in",
  permit: "contractor approved; permit draft being submitted",
  awaiting_pass: "permit draft submitted, waiting for the community to accept it and issue the pass",
};

function requestState(r: HomeRequest): Mrkdwn {
  const buzzin = r.buzzinStage ? BUZZIN_STATE[r.buzzinStage] : undefined;
  if (buzzin && ["approved", "provisioning", "awaiting_provider"].includes(r.state)) return mrkdwn`${buzzin}`;
  if (r.buzzinStage && r.state === "active") return mrkdwn`*active* (Buzz-in pass)`;
  switch (r.state) {
    case "requested":
      return mrkdwn`waiting for an approver`;
    case "approved":
    case "provisioning":
      return mrkdwn`approved, being set up`;
    case "awaiting_provider":
      return mrkdwn`approved, waiting for Buzz-in (community approval or the pass)`;
    case "active":
      return mrkdwn`*active*`;
    case "denied": {
      const by = r.decidedBy ? mrkdwn` by ${mention(r.decidedBy)}` : mrkdwn``;
      const why = r.denyReason ? mrkdwn`: ${clamp(r.denyReason, REASON_MAX)}` : mrkdwn``;
      return mrkdwn`denied${by}${why}`;
    }
    case "expired":
      return mrkdwn`expired without a decision`;
    case "failed":
      return mrkdwn`could not be set up; the security team has been told`;
    case "ended":
      return mrkdwn`ended`;
  }
}

/** A line of "Your requests" (several are packed into one section). */
export function requestLine(r: HomeRequest): Mrkdwn {
  return mrkdwn`• ${KIND_LABEL[r.kind]} *${r.personName}* (${r.company}), ${formatDateRange(r.startDate, r.endDate)} — ${requestState(r)}`;
}

/** A request waiting for the viewer's decision, with Approve and Deny. */
export function approvalBlocks(a: HomeApproval): KnownBlock[] {
  const email = a.email ? mrkdwn` ${a.email}` : mrkdwn``;
  const text = mrkdwn`*${a.personName}* (${a.company})${email}\n${KIND_LABEL[a.kind]}, ${formatDateRange(a.startDate, a.endDate)}; ${formatAccessNames(a.accessNames)}\nRequested by ${mention(a.requesterId)}`;
  const actions: ActionsBlock = {
    type: "actions",
    elements: [
      button(ACTION.approve, BUTTON.approve, a.id, "primary"),
      button(ACTION.deny, BUTTON.deny, a.id, "danger"),
    ],
  };
  return [section(text), actions];
}

function daysLeftText(days: number): string {
  if (days < 0) return `past its last day (${-days} ${-days === 1 ? "day" : "days"} ago), offboarding due`;
  if (days === 0) return "last day today";
  if (days === 1) return "1 day left";
  return `${days} days left`;
}

function offboardButton(p: HomePerson): Button {
  return {
    // A Buzz-in contractor has no DoorFlow person: their button revokes them in Buzz-in instead.
    ...(p.doorflowPersonId === null
      ? button(ACTION.offboardBuzzinNow, HOME_BUTTON.offboard, String(p.managedPersonId), "danger")
      : button(ACTION.offboardNow, HOME_BUTTON.offboard, String(p.doorflowPersonId), "danger")),
    // The same warning as the /offboard preview: one click disables the person at once.
    confirm: {
      title: plain("Offboard now?", 100),
      text: plain(
        p.doorflowPersonId === null
          ? `${p.personName}'s contractor registration and pass are revoked in Buzz-in at once. Nothing is deleted.`
          : `${p.personName} is disabled in DoorFlow at once and loses every reservation. They are not deleted.`,
        300,
      ),
      confirm: plain("Offboard now", 30),
      deny: plain("Go back", 30),
      style: "danger",
    },
  };
}

/**
 * A person with access: "Extend" for a contractor (the extension modal checks who may extend),
 * "Reissue pass" on a Buzz-in pass for its requester and operators, "Offboard" for operators. One
 * button rides on the section; more need an actions block.
 */
export function personBlocks(p: HomePerson, operator: boolean, viewerId?: string): KnownBlock[] {
  const kind =
    p.provider === "buzzin"
      ? mrkdwn` _Buzz-in pass_`
      : p.kind === "contractor"
        ? mrkdwn``
        : mrkdwn` _${p.kind}_`;
  const company = p.company ? mrkdwn` (${p.company})` : mrkdwn``;
  const email = p.email ? mrkdwn` ${p.email}` : mrkdwn``;
  const text = mrkdwn`*${p.personName}*${company}${email}${kind}\n${daysLeftText(p.daysLeft)} · last day ${formatLocalDate(p.endDate)}`;
  const buttons: Button[] = [];
  if (p.kind === "contractor") buttons.push(button(ACTION.extend, BUTTON.extend, String(p.managedPersonId)));
  if (p.provider === "buzzin" && (operator || (viewerId !== undefined && viewerId === p.requesterId)))
    buttons.push({
      ...button(ACTION.reissuePass, HOME_BUTTON.reissuePass, String(p.managedPersonId)),
      confirm: {
        title: plain("Reissue the pass?", 100),
        text: plain(
          `${p.personName}'s current code stops working at once; the new one goes to the requester's DM.`,
          300,
        ),
        confirm: plain(HOME_BUTTON.reissuePass, 30),
        deny: plain("Go back", 30),
      },
    });
  if (operator) buttons.push(offboardButton(p));
  const first = buttons[0];
  if (buttons.length === 1 && first) return [{ ...section(text), accessory: first }];
  const blocks: KnownBlock[] = [section(text)];
  if (buttons.length > 1) blocks.push({ type: "actions", elements: buttons });
  return blocks;
}

const FAILURE_LABEL: Record<HomeFailure["kind"], string> = {
  offboarding: "Offboarding failed",
  provisioning: "Access could not be set up",
  other: "Failure",
};

/** An open failure; a failed offboarding gets "Retry" (provisioning retries by itself). */
export function failureBlock(f: HomeFailure, timeZone: string): SectionBlock {
  // The summary quotes DoorFlow's error; a token in it must not reach Slack. Provisioning alerts
  // store it already escaped for mrkdwn: undo that so `mrkdwn` escapes it exactly once.
  const raw = f.summary.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
  const summary = clamp(String(redact(raw)), SUMMARY_MAX);
  const block = section(
    mrkdwn`*${FAILURE_LABEL[f.kind]}* since ${formatLocal(f.since, timeZone)}\n${summary}`,
  );
  if (f.offboardingId === null) return block;
  return { ...block, accessory: button(ACTION.retry, HOME_BUTTON.retry, String(f.offboardingId)) };
}
