/** `/contractor help`, also the answer to a subcommand Gatehouse does not know. */
import type { SlackMessage } from "./text.js";
import { context, header, section } from "./text.js";

// Plain strings: section() escapes them, so "<email>" is shown as typed; *bold* is untouched.
const REQUESTS = [
  "*Requests*",
  "• */contractor* — ask for a contractor's access (card or mobile credential, up to the end date you choose)",
  "• */contractor visitor* — ask for a visitor's one-day PIN",
  "• */contractor buzzin* — a contractor's work permit in a Buzz-in community (where Buzz-in is set up)",
  "• */contractor extend [email]* — ask for more time for a contractor",
  "• */contractor list* — active contractors, ending soonest first (only you see it)",
  "• */contractor status <email>* — where a person's requests and access stand",
  "• */contractor help* — this message",
].join("\n");

const APPROVING = [
  "*Approving*",
  "Requests arrive in the approval channel with *Approve* and *Deny*. You cannot approve your own request.",
].join("\n");

const OFFBOARDING = [
  "*Offboarding*",
  "• */offboard <email | @user>* — see who would be offboarded, then offboard now or schedule it",
  "• */offboard bulk* — offboard a list of emails",
  "• */offboard help* — details",
].join("\n");

export interface HelpMessageData {
  isApprover: boolean;
  isOperator: boolean;
}

export function buildHelpMessage(data: HelpMessageData): SlackMessage {
  const blocks: SlackMessage["blocks"] = [header("Gatehouse: building access from Slack"), section(REQUESTS)];
  if (data.isApprover) blocks.push(section(APPROVING));
  if (data.isOperator) blocks.push(section(OFFBOARDING));
  blocks.push(
    context("The card number and PIN are sent to the requester in a direct message, never in a channel."),
  );
  return { text: "Gatehouse commands: /contractor, /contractor visitor, extend, list, status, help", blocks };
}
