/**
 * Forged, stale and unsigned requests are refused with 401 and leave no trace: no database write,
 * no Slack call, no DoorFlow call. Each request is first caught as the driver would send it, tried
 * in every forged form, then sent once correctly signed to show that it does have an effect.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { signSlackBody } from "../../tools/sandbox/slack/driver.js";
import { CAST, CHANNELS, SIGNING_SECRET } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { submitContractor } from "../helpers/flows.js";
import { contractorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { type Captured, type Recorder, startRecorder } from "./recorder.js";
import { effects, expectNoEffect, type RejectionWatch, watchUnhandledRejections } from "./support.js";

let s: TestStory;
let recorder: Recorder;
let rejections: RejectionWatch;
beforeAll(async () => {
  rejections = watchUnhandledRejections();
  s = await startTestStory({ catchUp: false });
  await s.gatehouse.idle();
  recorder = await startRecorder(s.slack);
});
afterAll(async () => {
  await recorder?.close();
  await s?.close();
  rejections.stop();
});

const FORM = "application/x-www-form-urlencoded";
const nowSec = () => Math.floor(Date.now() / 1000);

/** Every way to get a request past a careless signature check, built from one real request. */
function forgeries(r: Captured): Array<{ name: string; body: string; headers: Record<string, string> }> {
  const type = { "content-type": r.headers["content-type"] ?? FORM };
  const at = nowSec();
  const signed = (body: string, ts: number | string, secret = SIGNING_SECRET) => ({
    ...type,
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": signSlackBody(secret, Number(ts), body),
  });
  const valid = signed(r.body, at);
  const altered = r.body.replace(/U0[A-Z0-9]{8}/, CAST.approver2.id);
  expect(altered).not.toBe(r.body);
  return [
    { name: "unsigned", body: r.body, headers: type },
    {
      name: "no timestamp",
      body: r.body,
      headers: { ...type, "x-slack-signature": valid["x-slack-signature"] },
    },
    {
      name: "no signature",
      body: r.body,
      headers: { ...type, "x-slack-request-timestamp": valid["x-slack-request-timestamp"] },
    },
    { name: "empty signature", body: r.body, headers: { ...valid, "x-slack-signature": "v0=" } },
    { name: "another secret", body: r.body, headers: signed(r.body, at, "not-the-signing-secret") },
    { name: "six minutes old", body: r.body, headers: signed(r.body, at - 360) },
    {
      name: "old signature, new timestamp",
      body: r.body,
      headers: { ...signed(r.body, at - 360), "x-slack-request-timestamp": String(at) },
    },
    { name: "body altered after signing", body: altered, headers: valid },
    {
      name: "another version",
      body: r.body,
      headers: { ...valid, "x-slack-signature": valid["x-slack-signature"].replace("v0=", "v1=") },
    },
    {
      name: "timestamp not a number",
      body: r.body,
      headers: { ...valid, "x-slack-request-timestamp": "soon" },
    },
  ];
}

/** Sends every forgery (each must be refused and change nothing), then the real thing. */
async function refusedUnlessSigned(r: Captured): Promise<void> {
  for (const forged of forgeries(r)) {
    const before = effects(s);
    const res = await s.driver.raw(forged.body, forged.headers);
    expect(res.status, forged.name).toBe(401);
    await s.gatehouse.idle();
    expectNoEffect(s, before);
  }
  expect(rejections.seen).toEqual([]);
  const res = await s.driver.raw(r.body, { ...r.headers, ...s.driver.signatureHeaders(r.body) });
  expect(res.status).toBe(200);
  await s.gatehouse.idle();
}

const today = () => localDateOf(new Date(), s.gatehouse.timeZone);

describe("Slack request signatures", () => {
  it("a slash command opens nothing unless signed", async () => {
    const r = await recorder.capture((d) => d.command({ command: "/contractor", userId: CAST.requester.id }));
    const opened = s.slack.callsTo("views.open").length;
    await refusedUnlessSigned(r);
    expect(s.slack.callsTo("views.open")).toHaveLength(opened + 1);
  });

  it("a modal submission records nothing unless signed", async () => {
    const values = contractorValues({
      ...{ firstName: "Sig", lastName: "Checked", email: "sig.checked@spark.example", company: "Spark" },
      ...{ groupIds: [5121], startDate: today(), endDate: addDays(today(), 3), credential: "mobile" },
    });
    const r = await recorder.capture((d) =>
      d.viewSubmission({ userId: CAST.requester.id, callbackId: CALLBACK.contractorRequest, values }),
    );
    const count = () => s.slack.messages(CHANNELS.approval).length;
    const before = count();
    await refusedUnlessSigned(r);
    expect(count()).toBe(before + 1);
  });

  it("an Approve click provisions nothing unless signed", async () => {
    const request = await submitContractor(s, {
      ...{ firstName: "Sig", lastName: "Approve", email: "sig.approve@spark.example", company: "Spark" },
      ...{ groupIds: [5121], startDate: today(), endDate: addDays(today(), 3), credential: "mobile" },
    });
    const r = await recorder.capture((d) =>
      d.blockAction({
        userId: CAST.approver.id,
        actionId: ACTION.approve,
        value: request.id,
        message: { ts: request.ts, channel: CHANNELS.approval },
      }),
    );
    await refusedUnlessSigned(r);
    expect(getAccessRequest(s.gatehouse.db, request.id)?.state).toBe("active");
    expect(s.doorflow.sandbox.personBySystemId(request.id)).toBeDefined();
  });

  it("refuses a signed body that is too large or cannot be read, with a 4xx and no effect", async () => {
    const huge = `payload=${"x".repeat(5 * 1024 * 1024)}`;
    const unreadable = "payload=%7Bnot%20json";
    for (const [body, status] of [
      [huge, 413],
      [unreadable, 400],
    ] as const) {
      const before = effects(s);
      // The bot answers 413 before reading the rest: close that connection rather than reuse it.
      const res = await s.driver.raw(body, {
        "content-type": FORM,
        connection: "close",
        ...s.driver.signatureHeaders(body),
      });
      expect(res.status).toBe(status);
      await s.gatehouse.idle();
      expectNoEffect(s, before);
    }
  });

  it("an event publishes nothing unless signed", async () => {
    const r = await recorder.capture((d) =>
      d.event({ type: "app_home_opened", user: CAST.stranger.id, tab: "home" }),
    );
    const published = s.slack.callsTo("views.publish").length;
    await refusedUnlessSigned(r);
    expect(s.slack.callsTo("views.publish")).toHaveLength(published + 1);
  });
});
