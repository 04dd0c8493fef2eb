/**
 * `/offboard bulk` end to end: the modal, field errors for what is not a list of emails, and a run
 * with mixed outcomes reported in one message updated in place, each failure alerted once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, bulkEmailsField, CALLBACK } from "../../src/slack/ids.js";
import { createProgressUpdater, PROGRESS_THROTTLE } from "../../src/slack/bulk-progress.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
beforeAll(async () => {
  s = await startTestStory({
    catchUp: false,
    doorflowRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 500 },
  });
});
afterAll(async () => {
  await s.close();
});

const person = (local: string) => {
  const p = s.doorflow.sandbox.state.people.find((x) => x.email === `${local}@harbourside.example`);
  if (!p) throw new Error(`no sandbox person ${local}`);
  return p;
};

function boxes(...texts: string[]) {
  return Object.fromEntries(
    texts.map((value, i) => {
      const f = bulkEmailsField(i + 1);
      return [f.block, { [f.action]: { type: "plain_text_input", value } }];
    }),
  );
}

const submit = (userId: string, ...texts: string[]) =>
  s.driver.viewSubmission({ userId, callbackId: CALLBACK.offboardBulk, values: boxes(...texts) });

describe("/offboard bulk", () => {
  it("opens the modal for an operator only", async () => {
    await s.driver.command({ command: "/offboard", text: "bulk", userId: CAST.requester.id });
    await s.gatehouse.idle();
    expect(s.slack.callsTo("views.open")).toHaveLength(0);
    expect(JSON.stringify(s.slack.callsTo("response_url").at(-1)?.args)).toContain(
      "Only Gatehouse operators",
    );

    await s.driver.command({ command: "/offboard", text: "bulk", userId: CAST.operator.id });
    await s.gatehouse.idle();
    const opened = s.slack.callsTo("views.open");
    expect(opened).toHaveLength(1);
    const view = JSON.stringify(opened[0]?.args.view);
    expect(view).toContain(CALLBACK.offboardBulk);
    expect(view).toContain(bulkEmailsField(1).block);
    expect(view).toContain('"multiline":true');
  });

  it("shows what is not an email, or too many, on the box itself and offboards nobody", async () => {
    const putsBefore = s.doorflow.sandbox.calls.filter((c) => c.method === "PUT").length;
    const bad = await submit(CAST.operator.id, "grace.okafor@harbourside.example", "not an email");
    expect(bad.body).toMatchObject({ response_action: "errors" });
    const errors = (bad.body as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual([bulkEmailsField(2).block]);
    expect(errors[bulkEmailsField(2).block]).toContain("not an email");

    const many = Array.from({ length: 501 }, (_, i) => `p${i}@many.example`).join("\n");
    const tooMany = await submit(CAST.operator.id, many);
    expect(JSON.stringify(tooMany.body)).toContain("At most 500");

    const empty = await submit(CAST.operator.id, "  \n ");
    expect(JSON.stringify(empty.body)).toContain(bulkEmailsField(1).block);

    const stranger = await submit(CAST.requester.id, "grace.okafor@harbourside.example");
    expect(JSON.stringify(stranger.body)).toContain("Only Gatehouse operators");
    await s.gatehouse.idle();
    expect(s.doorflow.sandbox.calls.filter((c) => c.method === "PUT").length).toBe(putsBefore);
    expect(person("grace.okafor").enabled).toBe(true);
  });

  it("offboards a mixed list, updates one message in place, and alerts the failure once", async () => {
    const mei = person("mei.chen");
    s.doorflow.sandbox.faults.add({ method: "PUT", path: `/api/3/people/${mei.id}`, status: 500 });
    const list = [
      "grace.okafor@harbourside.example",
      "Hannah.Price@harbourside.example",
      "chloe.dubois@harbourside.example",
      "nobody.here@harbourside.example",
      "mei.chen@harbourside.example",
      "grace.okafor@harbourside.example",
    ];
    const ok = await submit(CAST.operator.id, list.slice(0, 3).join("\n"), list.slice(3).join("\r\n"));
    expect(ok.status).toBe(200);
    expect(ok.body).toBe("");
    await s.gatehouse.idle();

    expect(person("grace.okafor").enabled).toBe(false);
    expect(person("hannah.price").enabled).toBe(false);
    expect(person("chloe.dubois").enabled).toBe(false);
    expect(mei.enabled).toBe(true);

    // One message to the operator, then only updates of that message.
    const posts = s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CAST.operator.id);
    expect(posts).toHaveLength(1);
    const ts = (posts[0]?.response as { ts: string }).ts;
    const updates = s.slack.callsTo("chat.update").filter((c) => c.args.ts === ts);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    const summary = JSON.stringify(updates.at(-1)?.args);
    expect(summary).toContain("2 offboarded, 1 already disabled, 1 not found, 1 failed");
    expect(summary).toContain("Bulk offboarding: 5 emails");
    expect(summary).toContain("nobody.here@harbourside.example");
    expect(summary).toMatch(/mei\.chen@harbourside\.example \(Mei Chen\)|mei\.chen@harbourside\.example: /);
    expect(summary).toContain("500");
    const stored = s.slack.messages().find((m) => m.ts === ts);
    expect(JSON.stringify(stored?.blocks)).toContain("1 failed");

    // The one failure is alerted on its own, with Retry (the job's retries will not alert it again).
    const alerts = s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.security);
    expect(alerts).toHaveLength(1);
    const alert = JSON.stringify(alerts[0]?.args);
    expect(alert).toContain("Offboarding Mei Chen failed");
    expect(alert).toContain("mei.chen@harbourside.example");
    expect(alert).toContain(ACTION.retry);
    expect(alert).not.toContain("grace.okafor");

    // Facilities hear about the two people just offboarded and the one already disabled, each with the card.
    const facilities = JSON.stringify(s.slack.messages(CHANNELS.facilities));
    expect(facilities).toContain("40010007");
    expect(facilities).toContain("40010010");
    expect(facilities).toContain("40010009");
    expect(facilities).not.toContain("40010014");
  });
});

describe("the bulk progress message", () => {
  // A hand-moved clock: which reports become chat.update calls depends only on the rule.
  function updater() {
    let now = 0;
    const sent: number[] = [];
    let release: (() => void) | undefined;
    const u = createProgressUpdater(
      async (done) => {
        sent.push(done);
        await new Promise<void>((resolve) => (release = resolve));
      },
      { ...PROGRESS_THROTTLE, clock: () => now },
    );
    return { u, sent, at: (ms: number) => void (now = ms), release: () => release?.() };
  }

  it("updates on 10% steps or after a quiet spell, never twice within a second, one at a time", async () => {
    const { u, sent, at, release } = updater();
    const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
    at(500);
    u.report(50, 100);
    expect(sent).toEqual([]); // within a second of the message being posted
    at(1_100);
    u.report(51, 100);
    expect(sent).toEqual([51]);
    at(1_500);
    u.report(80, 100);
    expect(sent).toEqual([51]); // within a second of the last update
    at(2_200);
    u.report(52, 100);
    expect(sent).toEqual([51]); // 1% on, and not quiet for 2 s
    u.report(62, 100);
    at(3_300);
    u.report(75, 100);
    u.report(100, 100); // the summary replaces the message at the end
    // 62 and 75 are 10% steps, but the update before is still in flight: only the latest follows it.
    expect(sent).toEqual([51]);
    release();
    await flush();
    expect(sent).toEqual([51, 75]);
    release();
    at(5_400);
    u.report(76, 100);
    await flush();
    expect(sent).toEqual([51, 75, 76]); // after 2 s of quiet, any progress is shown
    release();
    await u.settled();
  });
});
