/**
 * Property: any click on any of Gatehouse's buttons, from anyone, carrying any value (real ids,
 * stale ids, junk, forged JSON), in any place the button really appears (the approval channel, a
 * direct message, an ephemeral preview, the security or facilities channel, App Home), is answered
 * 200 at once, never fails behind the acknowledgement, tells the clicker something, and changes
 * nothing (in DoorFlow or in our records other than the audit trail) unless the clicker holds the
 * role the button needs.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { provisionContractor, submitContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { anyText } from "./arbitraries.js";
import {
  doorflowWritesSince,
  effects,
  expectHandledCleanly,
  type RejectionWatch,
  runs,
  slackCallsSince,
  watchUnhandledRejections,
} from "./support.js";

let s: TestStory;
let rejections: RejectionWatch;
const ids: Record<"requests" | "extensions" | "managed" | "people" | "offboardings", string[]> = {
  requests: [],
  extensions: [],
  managed: [],
  people: [],
  offboardings: [],
};
const column = (sql: string) =>
  (s.gatehouse.db.$client.prepare(sql).all() as Array<{ v: unknown }>).map((r) => String(r.v));

/** Our records other than the append-only audit trail, to see that a refused click changed nothing. */
const records = () =>
  ["access_requests", "extensions", "managed_people", "offboardings", "alerts", "reminders"]
    .map((t) => JSON.stringify(s.gatehouse.db.$client.prepare(`select * from ${t} order by rowid`).all()))
    .join("\n");

beforeAll(async () => {
  rejections = watchUnhandledRejections();
  s = await startTestStory({
    catchUp: false,
    doorflowRetry: { maxAttempts: 1, baseDelayMs: 1, maxElapsedMs: 200 },
  });
  const today = localDateOf(new Date(), s.gatehouse.timeZone);
  const contractor = (n: number) => ({
    ...{ firstName: "Click", lastName: `Target${n}`, email: `click${n}@spark.example`, company: "Spark" },
    ...{ groupIds: [5122], startDate: today, endDate: addDays(today, 5 + n), credential: "mobile" as const },
  });
  for (const n of [1, 2]) await provisionContractor(s, contractor(n));
  for (const n of [3, 4, 5]) await submitContractor(s, contractor(n));
  await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.extensionRequest,
    values: {
      [FIELD.contractor.block]: {
        [FIELD.contractor.action]: { type: "static_select", selected_option: { value: "1", text: "x" } },
      },
      [FIELD.newEndDate.block]: {
        [FIELD.newEndDate.action]: { type: "datepicker", selected_date: addDays(today, 40) },
      },
    },
  });
  for (const user of Object.values(CAST))
    await s.driver.event({ type: "app_home_opened", user: user.id, tab: "home" });
  await s.gatehouse.idle();
  ids.requests = column("select id as v from access_requests");
  ids.extensions = column("select id as v from extensions");
  ids.managed = column("select id as v from managed_people");
  ids.people = column("select doorflow_person_id as v from managed_people");
  ids.offboardings = column("select id as v from offboardings");
  expect(ids.extensions).toHaveLength(1);
});
afterAll(async () => {
  await s?.close();
  rejections.stop();
});

type Place = "approval" | "dm" | "preview" | "security" | "facilities" | "home";

/** Where each button really appears, the role that may use it, and the real ids its value carries. */
const BUTTONS: Array<{ actionId: string; places: Place[]; role: string[]; real: () => string[] }> = [
  {
    actionId: ACTION.approve,
    places: ["approval", "home"],
    role: [CAST.approver.id, CAST.approver2.id],
    real: () => ids.requests,
  },
  {
    actionId: ACTION.deny,
    places: ["approval", "home"],
    role: [CAST.approver.id, CAST.approver2.id],
    real: () => ids.requests,
  },
  { actionId: ACTION.showPin, places: ["dm"], role: [CAST.requester.id], real: () => ids.requests },
  { actionId: ACTION.extend, places: ["dm", "home"], role: [CAST.operator.id], real: () => ids.managed },
  {
    actionId: ACTION.extensionApprove,
    places: ["approval"],
    role: [CAST.approver.id, CAST.approver2.id],
    real: () => ids.extensions,
  },
  {
    actionId: ACTION.extensionDeny,
    places: ["approval"],
    role: [CAST.approver.id, CAST.approver2.id],
    real: () => ids.extensions,
  },
  {
    actionId: ACTION.offboardNow,
    places: ["preview", "home"],
    role: [CAST.operator.id],
    real: () => ids.people,
  },
  {
    actionId: ACTION.offboardSchedule,
    places: ["preview"],
    role: [CAST.operator.id],
    real: () => ids.people.map((p) => JSON.stringify({ personId: Number(p), name: "<!channel>" })),
  },
  { actionId: ACTION.offboardCancel, places: ["preview"], role: [CAST.operator.id], real: () => [""] },
  // No Buzz-in community here: real ids are DoorFlow people's rows, which it must leave alone.
  {
    actionId: ACTION.offboardBuzzinNow,
    places: ["preview", "home"],
    role: [CAST.operator.id],
    real: () => ids.managed,
  },
  {
    actionId: ACTION.retry,
    places: ["security", "home"],
    role: [CAST.operator.id],
    real: () => ids.offboardings,
  },
  {
    actionId: ACTION.cardCollected,
    places: ["facilities"],
    role: [CAST.operator.id],
    real: () => ids.managed,
  },
];

const junk = fc.oneof(
  anyText,
  fc.constantFrom(
    "",
    "0",
    "-1",
    "1.5",
    "1e3",
    "99999999",
    "gh_doesnotexist",
    "ext_nope",
    "{}",
    "[]",
    '{"personId":"x"}',
  ),
);

/** The message or view a click comes from, as Slack would describe it. */
function container(place: Place, userId: string) {
  if (place === "home") {
    const home = [...s.slack.views.values()].find((v) => v.userId === userId && v.view.type === "home");
    return { view: { id: home?.id ?? "V0NOHOME01" } };
  }
  const channel = {
    approval: CHANNELS.approval,
    security: CHANNELS.security,
    facilities: CHANNELS.facilities,
    dm: s.slack.workspace.openIm(userId).conversation.id,
    preview: s.slack.workspace.openIm(userId).conversation.id,
  }[place];
  const message = s.slack.workspace.addMessage({
    channel,
    text: "a message with Gatehouse's buttons",
    blocks: [],
    user: s.slack.botUserId,
    via: place === "preview" ? "response_url" : "api",
    ...(place === "preview" ? { ephemeralTo: userId } : {}),
  });
  return { message: { ts: message.ts, channel } };
}

describe("hostile button clicks", () => {
  it("any button, any value, anyone: answered, and nothing changes without the button's role", async () => {
    const click = fc.constantFrom(...BUTTONS).chain((b) =>
      fc.record({
        button: fc.constant(b),
        place: fc.constantFrom(...b.places),
        userId: fc.constantFrom(...Object.values(CAST).map((p) => p.id)),
        value: fc.oneof(
          { weight: 2, arbitrary: fc.nat().map((i) => b.real()[i % b.real().length] ?? "") },
          { weight: 1, arbitrary: junk },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(click, async ({ button, place, userId, value }) => {
        const before = effects(s);
        const kept = records();
        const res = await s.driver.blockAction({
          userId,
          actionId: button.actionId,
          value,
          ...container(place, userId),
        });
        expect(res.status).toBe(200);
        expect(res.body).toBe("");
        await s.gatehouse.idle();
        expectHandledCleanly(s, before, rejections);

        const calls = slackCallsSince(s, before);
        const answered = calls.some(
          (c) =>
            c.method === "response_url" ||
            c.method === "chat.update" ||
            (c.method === "views.open" && c.args.trigger_id === res.triggerId) ||
            (c.method === "chat.postMessage" && c.args.channel === userId),
        );
        // Cancel on a preview deletes it (the answer is its absence); everything else says something.
        if (button.actionId !== ACTION.offboardCancel) expect(answered).toBe(true);
        if (!button.role.includes(userId)) {
          expect(doorflowWritesSince(s, before)).toEqual([]);
          expect(records()).toBe(kept);
        }
      }),
      { numRuns: runs(100) },
    );
  });
});
