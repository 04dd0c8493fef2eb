/**
 * App Home through the real bot: `app_home_opened` publishes each viewer's home with the parts their
 * roles allow, Approve and Deny work from the home tab (which carries no response URL), and the
 * homes of the approver and the requester are published again after the decision.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { findManagedByRequest } from "../../src/db/repositories/managed-people.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import type { SlackCall } from "../../tools/sandbox/slack/web-api.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { HOME_TITLE } from "../../src/slack/views/home.js";
import { contractorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Slack JSON

let s: TestStory;
beforeAll(async () => {
  s = await startTestStory();
});
afterAll(async () => {
  await s.close();
});

const today = () => localDateOf(new Date(), s.gatehouse.timeZone);

async function submitContractor(lastName: string): Promise<string> {
  await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.contractorRequest,
    values: contractorValues({
      firstName: "Homer",
      lastName,
      email: `${lastName.toLowerCase()}@spark.example`,
      company: "Spark Electrical",
      groupIds: [5123],
      startDate: today(),
      endDate: addDays(today(), 12),
      credential: "mobile",
    }),
  });
  await s.gatehouse.idle();
  const blocks = JSON.stringify(s.slack.messages(CHANNELS.approval).at(-1)?.blocks);
  const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(blocks)?.[1];
  if (!id) throw new Error("no request id in the approval message");
  return id;
}

/** Calls to views.publish so far, to wait for the next one. */
const seen = () => new Set(s.slack.callsTo("views.publish").map((c) => c.args));

/** The next home published for `userId` after the calls in `before`. */
async function nextHome(userId: string, before: Set<unknown>, timeoutMs = 5_000): Promise<Json> {
  const call: SlackCall = await s.slack.waitFor(
    "views.publish",
    (a) => a.user_id === userId && !before.has(a),
    timeoutMs,
  );
  expect(call.response).toMatchObject({ ok: true });
  return call.args.view as Json;
}

async function openHome(userId: string): Promise<Json> {
  const before = seen();
  await s.driver.event({ type: "app_home_opened", user: userId, tab: "home" });
  return nextHome(userId, before);
}

const headers = (v: Json): string[] =>
  (v.blocks as Json[]).filter((b) => b.type === "header").map((b) => b.text.text);
const text = (v: Json) => JSON.stringify(v.blocks);
function buttons(v: Json, actionId: string): Json[] {
  return (v.blocks as Json[])
    .flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])])
    .filter((e) => e.action_id === actionId);
}
function homeViewId(userId: string): string {
  const home = [...s.slack.views.values()].find((v) => v.userId === userId && v.view.type === "home");
  if (!home) throw new Error(`no home view for ${userId}`);
  return home.id;
}

describe("App Home", () => {
  let pending = "";

  it("publishes each viewer's home with the parts their roles allow", async () => {
    pending = await submitContractor("Pending");

    const requester = await openHome(CAST.requester.id);
    expect(headers(requester)).toEqual([
      "Gatehouse: building access",
      HOME_TITLE.requests,
      HOME_TITLE.peopleMine,
    ]);
    expect(text(requester)).toContain("*Homer Pending* (Spark Electrical)");
    expect(text(requester)).toContain("waiting for an approver");

    const approver = await openHome(CAST.approver.id);
    expect(headers(approver)).toContain(HOME_TITLE.approvals);
    expect(headers(approver)).not.toContain(HOME_TITLE.failures);
    expect(buttons(approver, ACTION.approve).map((b) => b.value)).toContain(pending);
    expect(buttons(approver, ACTION.deny).map((b) => b.value)).toContain(pending);

    const operator = await openHome(CAST.operator.id);
    expect(headers(operator)).toContain(HOME_TITLE.failures);
    expect(headers(operator)).toContain(HOME_TITLE.peopleAll);
    expect(buttons(operator, ACTION.approve)).toEqual([]);
  });

  it("draws nothing for the Messages tab", async () => {
    const before = seen();
    await s.driver.event({ type: "app_home_opened", user: CAST.stranger.id, tab: "messages" });
    const home = await openHome(CAST.stranger.id);
    expect(headers(home)).toContain(HOME_TITLE.requests);
    const mine = s.slack.callsTo("views.publish").filter((c) => !before.has(c.args));
    expect(mine.map((c) => c.args.user_id)).toEqual([CAST.stranger.id]);
  });

  it("approves from the home tab, provisions, and refreshes the approver's and the requester's homes", async () => {
    await openHome(CAST.approver2.id); // holds a stale Approve for the next test
    const before = seen();
    const res = await s.driver.blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.approve,
      value: pending,
      view: { id: homeViewId(CAST.approver.id) },
    });
    expect(res.status).toBe(200);
    await s.gatehouse.idle();

    expect(getAccessRequest(s.gatehouse.db, pending)?.state).toBe("active");
    expect(s.doorflow.sandbox.personBySystemId(pending)).toBeDefined();
    const message = s.slack
      .messages(CHANNELS.approval)
      .find((m) => JSON.stringify(m.blocks).includes(pending));
    expect(JSON.stringify(message?.blocks)).toContain(`Approved by <@${CAST.approver.id}>`);
    expect(JSON.stringify(message?.blocks)).not.toContain(ACTION.approve);

    const approverHome = await nextHome(CAST.approver.id, before);
    expect(buttons(approverHome, ACTION.approve).map((b) => b.value)).not.toContain(pending);
    const requesterCalls = s.slack
      .callsTo("views.publish")
      .filter((c) => c.args.user_id === CAST.requester.id && !before.has(c.args));
    expect(requesterCalls.length).toBeGreaterThan(0);
    const latest = requesterCalls.at(-1)?.args.view as Json;
    expect(text(latest)).toContain("*Homer Pending* (Spark Electrical)");
    expect(text(latest)).toContain("*active*");
    expect(buttons(latest, ACTION.extend)).toHaveLength(1);
  });

  it("answers a stale Approve on the home tab in a direct message, since there is no response URL", async () => {
    await s.driver.blockAction({
      userId: CAST.approver2.id,
      actionId: ACTION.approve,
      value: pending,
      view: { id: homeViewId(CAST.approver2.id) },
    });
    await s.gatehouse.idle();
    const told = await s.slack.waitFor(
      "chat.postMessage",
      (a) => a.channel === CAST.approver2.id && String(a.text).startsWith("Already approved by"),
    );
    expect(String(told.args.text)).toContain(`<@${CAST.approver.id}>`);
    expect(s.slack.callsTo("response_url").filter((c) => JSON.stringify(c.args).includes("Already"))).toEqual(
      [],
    );
  });

  it("denies from the home tab through the reason modal, and the requester's home says so", async () => {
    const id = await submitContractor("Denied");
    const home = await openHome(CAST.approver.id);
    expect(buttons(home, ACTION.deny).map((b) => b.value)).toContain(id);
    await s.driver.blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.deny,
      value: id,
      view: { id: homeViewId(CAST.approver.id) },
    });
    await s.gatehouse.idle();
    await s.slack.waitFor("views.open", (a) => JSON.stringify(a.view).includes(CALLBACK.denyReason));
    const before = seen();
    await s.driver.viewSubmission({
      userId: CAST.approver.id,
      callbackId: CALLBACK.denyReason,
      privateMetadata: id,
      values: {
        [FIELD.denyReason.block]: {
          [FIELD.denyReason.action]: { type: "plain_text_input", value: "No work permit" },
        },
      },
    });
    await s.gatehouse.idle();
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("denied");
    const requester = await nextHome(CAST.requester.id, before);
    expect(text(requester)).toContain(`denied by <@${CAST.approver.id}>: No work permit`);
  });

  it("shows the operator the new contractor with Extend and Offboard, and Extend opens the extension modal", async () => {
    const managed = findManagedByRequest(s.gatehouse.db, pending);
    if (!managed) throw new Error("the approved contractor is not managed");
    const home = await openHome(CAST.operator.id);
    expect(text(home)).toContain("*Homer Pending* (Spark Electrical)");
    expect(text(home)).toContain("12 days left");
    expect(buttons(home, ACTION.extend).map((b) => b.value)).toContain(String(managed.id));
    expect(buttons(home, ACTION.offboardNow).map((b) => b.value)).toContain(String(managed.doorflowPersonId));

    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.extend,
      value: String(managed.id),
      view: { id: homeViewId(CAST.operator.id) },
    });
    await s.gatehouse.idle();
    const modal = await s.slack.waitFor("views.open", (a) =>
      JSON.stringify(a.view).includes(CALLBACK.extensionRequest),
    );
    expect(JSON.stringify(modal.args.view)).toContain("Homer Pending");
  });
  it("offboards from the operator's home tab and answers in a direct message", async () => {
    const managed = findManagedByRequest(s.gatehouse.db, pending);
    if (!managed) throw new Error("the approved contractor is not managed");
    await openHome(CAST.operator.id);
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardNow,
      value: String(managed.doorflowPersonId),
      view: { id: homeViewId(CAST.operator.id) },
    });
    await s.gatehouse.idle();
    expect(s.doorflow.sandbox.state.people.find((p) => p.id === managed.doorflowPersonId)?.enabled).toBe(
      false,
    );
    const told = s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CAST.operator.id);
    expect(told.length).toBeGreaterThan(0);
  });
});
