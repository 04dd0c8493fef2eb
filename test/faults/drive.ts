/**
 * The people of a fault scenario, played through signed Slack requests to the real bot: requesters
 * submit, an approver approves, an operator offboards one by one and in bulk. Nothing here waits
 * on a step's success: under faults the bot must cope, and the checks read what it left behind.
 */
import { listRequestsByEmail } from "../../src/db/repositories/access-requests.js";
import type { StoredMessage } from "../../tools/sandbox/slack/types.js";
import { CAST, CHANNELS, type Story } from "../../tools/sandbox/story.js";
import { ACTION, bulkEmailsField, CALLBACK } from "../../src/slack/ids.js";
import { contractorValues, visitorValues } from "../helpers/forms.js";
import type { Leaver, RequestForm } from "./world.js";

/** What the operator saw for one "Offboard now": the outcome message, or the preview never came. */
export type OperatorView = "offboarded" | "failed" | "no_preview";

/** Submits every form at once; one refused because DoorFlow could not be reached is sent again, as a person would. */
export async function submitRequests(s: Story, forms: RequestForm[]): Promise<void> {
  await Promise.all(
    forms.map(async (form) => {
      const values = form.kind === "contractor" ? contractorValues(form.input) : visitorValues(form.input);
      const callbackId = form.kind === "contractor" ? CALLBACK.contractorRequest : CALLBACK.visitorRequest;
      let last: unknown;
      for (let attempt = 0; attempt < 5; attempt++) {
        const res = await s.driver.viewSubmission({ userId: form.requesterId, callbackId, values });
        if (res.status === 200 && res.body === "") return;
        last = res.body;
        // Only "DoorFlow could not be reached, submit again" is worth another try.
        if (res.status !== 200 || !JSON.stringify(res.body).includes("could not reach DoorFlow")) break;
      }
      throw new Error(`the bot did not accept the request for ${form.input.email}: ${JSON.stringify(last)}`);
    }),
  );
  await s.gatehouse.idle();
}

/** The one recorded request for each form's email (more or fewer is itself a finding). */
export function requestIdsOf(s: Story, forms: RequestForm[]): { ids: string[]; problems: string[] } {
  const ids: string[] = [];
  const problems: string[] = [];
  for (const form of forms) {
    const found = listRequestsByEmail(s.gatehouse.db, form.input.email);
    if (found.length !== 1) problems.push(`${found.length} requests recorded for ${form.input.email}`);
    if (found[0]) ids.push(found[0].id);
  }
  return { ids, problems };
}

/** The approver clicks Approve on every request at once (on the channel message when it was posted). */
export async function approveAll(s: Story, ids: string[]): Promise<void> {
  await Promise.all(
    ids.map((id) => {
      const ts = s.slack.messages(CHANNELS.approval).find((m) => blocksOf(m).includes(`"value":"${id}"`))?.ts;
      return s.driver.blockAction({
        userId: CAST.approver.id,
        actionId: ACTION.approve,
        value: id,
        message: { ts: ts ?? "1000000000.000001", channel: CHANNELS.approval },
      });
    }),
  );
  await s.gatehouse.idle();
}

const blocksOf = (m: StoredMessage) => JSON.stringify(m.blocks);

function operatorMessageFor(s: Story, personId: number): StoredMessage | undefined {
  return s.slack
    .messages()
    .filter(
      (m) =>
        m.ephemeralTo === CAST.operator.id &&
        blocksOf(m).includes(ACTION.offboardNow) &&
        blocksOf(m).includes(`"value":"${personId}"`),
    )
    .at(-1);
}

/** `/offboard <email>`, then "Offboard now" on the preview; the command is run again if DoorFlow could not be read. */
export async function offboardNow(s: Story, leaver: Leaver): Promise<OperatorView> {
  let preview: StoredMessage | undefined;
  for (let attempt = 0; attempt < 3 && !preview; attempt++) {
    await s.driver.command({ command: "/offboard", text: leaver.email, userId: CAST.operator.id });
    await s.gatehouse.idle();
    preview = operatorMessageFor(s, leaver.personId);
  }
  if (!preview) return "no_preview";
  return clickOffboardNow(s, leaver, preview);
}

/** "Offboard now" on a preview, or on a failed outcome (which offers the button again). */
export async function clickOffboardNow(
  s: Story,
  leaver: Leaver,
  message = operatorMessageFor(s, leaver.personId),
): Promise<OperatorView> {
  if (!message) return "no_preview";
  await s.driver.blockAction({
    userId: CAST.operator.id,
    actionId: ACTION.offboardNow,
    value: String(leaver.personId),
    message: { ts: message.ts, channel: message.channel },
  });
  await s.gatehouse.idle();
  const outcome = s.slack.messages().find((m) => m.ts === message.ts && m.channel === message.channel);
  const text = outcome?.text ?? "";
  return /is offboarded|was already disabled/.test(text) ? "offboarded" : "failed";
}

/** `/offboard bulk` submitted with the leavers' emails and one that DoorFlow does not know. */
export async function offboardBulk(s: Story, emails: string[]): Promise<void> {
  const f = bulkEmailsField(1);
  const res = await s.driver.viewSubmission({
    userId: CAST.operator.id,
    callbackId: CALLBACK.offboardBulk,
    values: { [f.block]: { [f.action]: { type: "plain_text_input", value: emails.join("\n") } } },
  });
  if (res.status !== 200 || res.body !== "") throw new Error(`bulk refused: ${JSON.stringify(res.body)}`);
  await s.gatehouse.idle();
}
