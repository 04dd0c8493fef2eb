/**
 * What the hostile-input tests watch: unhandled rejections in this process (the bot runs in it),
 * listener failures Bolt swallowed after the acknowledgement, every write to the database, every
 * Slack and DoorFlow call, and what each Slack call would show (within Block Kit's limits, no live
 * special mention or link taken from input).
 */
import { expect } from "vitest";
import type { SlackCall } from "../../tools/sandbox/slack/web-api.js";
import type { TestStory } from "../helpers/story.js";
import { mrkdwnTexts, slackLimitViolations } from "../slack/views/slack-checks.js";

/** Runs per property: light in `npm test`; HOSTILE_RUNS=2000 for a long search before a release. */
export function runs(light: number): number {
  const wanted = Number(process.env.HOSTILE_RUNS);
  return Number.isInteger(wanted) && wanted > 0 ? wanted : light;
}

export interface RejectionWatch {
  seen: unknown[];
  stop(): void;
}

export function watchUnhandledRejections(): RejectionWatch {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", onRejection);
  return { seen, stop: () => process.off("unhandledRejection", onRejection) };
}

/** Counters of everything the bot can change or call. */
export interface Effects {
  /** Rows inserted, updated or deleted through the bot's one database connection. */
  dbChanges: number;
  slackCalls: number;
  doorflowCalls: number;
  logLines: number;
}

export function effects(s: TestStory): Effects {
  const row = s.gatehouse.db.$client.prepare("select total_changes() as n").get() as { n: number };
  return {
    dbChanges: row.n,
    slackCalls: s.slack.calls.length,
    doorflowCalls: s.doorflow.sandbox.calls.length,
    logLines: s.logLines.length,
  };
}

/** Waits out work the bot starts on its own at start (cache warming) that `idle()` does not track. */
export async function settle(s: TestStory): Promise<void> {
  await s.gatehouse.idle();
  let seen = -1;
  while (seen !== s.doorflow.sandbox.calls.length + s.slack.calls.length) {
    seen = s.doorflow.sandbox.calls.length + s.slack.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function expectNoEffect(s: TestStory, before: Effects): void {
  const after = effects(s);
  expect({ ...after, logLines: 0 }).toEqual({ ...before, logLines: 0 });
}

export const slackCallsSince = (s: TestStory, before: Effects): SlackCall[] =>
  s.slack.calls.slice(before.slackCalls);

export const logLinesSince = (s: TestStory, before: Effects) => s.logLines.slice(before.logLines);

/**
 * DoorFlow writes since `before`. A sync the bot wanted earlier that DoorFlow put off (429: about
 * one sync a 30 s) is sent later by the bot's timer, whatever input is being tried then (`idle()`
 * does not wait for it): a sync counts only when the bot wanted one since `before`.
 */
export const doorflowWritesSince = (s: TestStory, before: Effects) => {
  const syncWanted = logLinesSince(s, before).some((line) => line.includes("doorflow sync wanted"));
  return s.doorflow.sandbox.calls
    .slice(before.doorflowCalls)
    .filter((c) => c.method !== "GET" && (syncWanted || !(c.method === "POST" && c.path === "/api/3/sync")));
};

/**
 * Lines where Bolt reports a listener that threw (after `ack()`, the user is left with nothing) or
 * a request nobody acknowledged. Either means hostile input found a path the code did not expect.
 */
function listenerFailures(lines: string[]): string[] {
  return lines.filter((line) => /unhandled error|not acknowledged|MultipleListenerError/i.test(line));
}

/** `<!channel>`-style broadcasts and links: Slack acts on them only when they reach mrkdwn unescaped. */
const LIVE_ENTITY = /<(!channel|!here|!everyone|!subteam\^|https?:\/\/evil)/;

/**
 * What the bot asked Slack to show in one call: a message (postMessage, update, ephemeral, response
 * URL) or a view (open, update, push, publish); null for calls that show nothing.
 */
function shown(call: SlackCall): Record<string, unknown> | null {
  const a = call.args;
  if (call.method.startsWith("views.")) return (a.view as Record<string, unknown> | undefined) ?? null;
  if (
    call.method === "response_url" ||
    call.method.startsWith("chat.post") ||
    call.method === "chat.update"
  ) {
    if (a.text === undefined && a.blocks === undefined) return null;
    return { text: a.text, blocks: Array.isArray(a.blocks) ? a.blocks : [] };
  }
  return null;
}

/** Everything these calls showed respects Slack's limits and carries no live entity from input. */
function expectSafeToShow(calls: SlackCall[]): void {
  for (const call of calls) {
    const x = shown(call);
    if (!x) continue;
    const where = `${call.method} ${JSON.stringify(x).slice(0, 200)}`;
    // A home tab has a view's limits, which the checker applies to modals.
    const asChecked = x.type === "home" ? { ...x, type: "modal" } : x;
    if (Array.isArray(x.blocks) && x.blocks.length > 0)
      expect(slackLimitViolations(asChecked as never), where).toEqual([]);
    for (const text of mrkdwnTexts(x)) expect(text, where).not.toMatch(LIVE_ENTITY);
  }
}

/** Slack took every message and view the bot sent (a refused one is lost on the user); look-ups may fail. */
function expectSlackAccepted(calls: SlackCall[]): void {
  for (const call of calls) {
    if (call.method === "response_url" || shown(call) === null) continue;
    expect(call.response, `${call.method} ${JSON.stringify(call.args).slice(0, 200)}`).toMatchObject({
      ok: true,
    });
  }
}

/**
 * A modal submission's acknowledgement: 200 with an empty body (accepted, the modal closes) or
 * `response_action: "errors"` naming only fields of this modal, each with a sentence to act on.
 */
export function submissionErrors(
  res: { status: number; body: unknown },
  blockIds: string[],
): Record<string, string> | null {
  expect(res.status).toBe(200);
  if (res.body === "") return null;
  expect(res.body).toMatchObject({ response_action: "errors" });
  const errors = (res.body as { errors: Record<string, unknown> }).errors;
  expect(Object.keys(errors).length).toBeGreaterThan(0);
  for (const [block, message] of Object.entries(errors)) {
    expect(blockIds).toContain(block);
    expect(typeof message).toBe("string");
    expect((message as string).trim().length).toBeGreaterThan(3);
  }
  return errors as Record<string, string>;
}

/** What must hold after any hostile request once the bot is idle again. */
export function expectHandledCleanly(s: TestStory, before: Effects, rejections: RejectionWatch): void {
  expect(rejections.seen).toEqual([]);
  expect(listenerFailures(logLinesSince(s, before))).toEqual([]);
  const calls = slackCallsSince(s, before);
  expectSlackAccepted(calls);
  expectSafeToShow(calls);
}
