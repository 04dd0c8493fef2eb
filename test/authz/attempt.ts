/**
 * How a cell of the authorisation matrix is tried: a row per command or button says how a user
 * tries it (the command or click, and the modal submission that follows, sent even when no modal
 * was offered, as a stale or replayed one would be) and whether it took effect, read from DoorFlow,
 * our records or what the user was shown. A row knows nothing of who should be allowed: the matrix
 * in matrix.test.ts says that.
 */
import { FIELD } from "../../src/slack/ids.js";
import type { TestStory } from "../helpers/story.js";
import { shownTo } from "./fixtures.js";

interface Attempt {
  /** The action did what it is for. */
  effect: boolean;
  /** Everything the user was shown, including the modal acknowledgement. */
  shown: string;
}

/** DoorFlow writes made by the last attempt's own steps (not its subject's set-up). */
export const lastAttempt = { doorflowWrites: [] as string[] };

export interface Row {
  /** What a refused user is told; absent where a refusal is simply not seeing something. */
  refusal?: RegExp;
  /** What a refused user must not even be shown on the way to the refusal. */
  hidden?: RegExp;
  attempt(s: TestStory, userId: string): Promise<Attempt>;
}

/** Runs `steps` as `userId`, waits for the bot, and collects what they were shown. */
export async function as(s: TestStory, userId: string, steps: () => Promise<unknown[]>): Promise<string> {
  const since = s.slack.calls.length;
  const doorflowSince = s.doorflow.sandbox.calls.length;
  const acks = await steps();
  await s.gatehouse.idle();
  lastAttempt.doorflowWrites = s.doorflow.sandbox.calls
    .slice(doorflowSince)
    .filter((c) => c.method !== "GET")
    .map((c) => `${c.method} ${c.path}`);
  return [
    ...acks.map((a) => JSON.stringify((a as { body?: unknown }).body ?? "")),
    shownTo(s, userId, since),
  ].join("\n");
}

export const command = (s: TestStory, userId: string, name: string, text: string) =>
  s.driver.command({ command: name, text, userId });

/** A click on a message as it sits in `channel` (for previews: in the clicker's DM, seen by them only). */
export const click = (
  s: TestStory,
  userId: string,
  actionId: string,
  value: string,
  at?: { ts: string; channel: string },
) => {
  const message =
    at ??
    (() => {
      const channel = s.slack.workspace.openIm(userId).conversation.id;
      const m = s.slack.workspace.addMessage({
        channel,
        text: "preview",
        blocks: [],
        user: s.slack.botUserId,
        via: "response_url",
        ephemeralTo: userId,
      });
      return { ts: m.ts, channel };
    })();
  return s.driver.blockAction({ userId, actionId, value, message });
};

export const submit = (
  s: TestStory,
  userId: string,
  callbackId: string,
  values: never,
  privateMetadata?: string,
) =>
  s.driver.viewSubmission({
    userId,
    callbackId,
    values,
    ...(privateMetadata !== undefined ? { privateMetadata } : {}),
  });

export const reason = {
  [FIELD.denyReason.block]: {
    [FIELD.denyReason.action]: { type: "plain_text_input", value: "Not this week" },
  },
} as never;

export const requestsBy = (s: TestStory, userId: string, email: string) =>
  s.gatehouse.db.$client
    .prepare("select count(*) as n from access_requests where requester_id = ? and email = ?")
    .get(userId, email) as { n: number };
export const extensionsBy = (s: TestStory, userId: string, managedId: number) =>
  s.gatehouse.db.$client
    .prepare("select count(*) as n from extensions where requester_id = ? and managed_person_id = ?")
    .get(userId, managedId) as { n: number };

/** The last home published for `userId` in what they were shown. */
export async function home(s: TestStory, userId: string): Promise<string> {
  return as(s, userId, async () => [
    await s.driver.event({ type: "app_home_opened", user: userId, tab: "home" }),
  ]);
}

export const notARequester = /not on the list of people who may request/;
export const onlyOperators = /Only Gatehouse operators/;
export const onlyApprovers = /Only approvers/;
