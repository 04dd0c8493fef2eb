/** The request → approval moves most end-to-end tests start from, played through signed Slack requests. */
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { type ContractorInput, contractorValues } from "./forms.js";
import type { TestStory } from "./story.js";

export interface PostedRequest {
  /** Our request id (the DoorFlow person's system_id). */
  id: string;
  /** The approval message's ts in the approval channel. */
  ts: string;
}

/** The request id on the newest approval message. */
export function latestApproval(s: TestStory): PostedRequest {
  const message = s.slack.messages(CHANNELS.approval).at(-1);
  const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1];
  if (!message || !id) throw new Error("no approval message with a request id");
  return { id, ts: message.ts };
}

/** Submits "New contractor" as `requesterId` and waits for the approval message. */
export async function submitContractor(
  s: TestStory,
  input: ContractorInput,
  requesterId: string = CAST.requester.id,
): Promise<PostedRequest> {
  const res = await s.driver.viewSubmission({
    userId: requesterId,
    callbackId: CALLBACK.contractorRequest,
    values: contractorValues(input),
  });
  if (res.status !== 200 || res.body !== "")
    throw new Error(`the request was not accepted: ${JSON.stringify(res.body)}`);
  await s.gatehouse.idle();
  return latestApproval(s);
}

/** An approver clicks Approve on the request's message; waits for provisioning. */
export async function approve(
  s: TestStory,
  request: PostedRequest,
  approverId: string = CAST.approver.id,
): Promise<void> {
  await s.driver.blockAction({
    userId: approverId,
    actionId: ACTION.approve,
    value: request.id,
    message: { ts: request.ts, channel: CHANNELS.approval },
  });
  await s.gatehouse.idle();
}

/** Submit and approve: returns the request id once provisioning has run. */
export async function provisionContractor(s: TestStory, input: ContractorInput): Promise<string> {
  const request = await submitContractor(s, input);
  await approve(s, request);
  return request.id;
}
