/**
 * Requests correctly signed but naming another workspace (team_id) or another app (api_app_id) are
 * acknowledged and dropped: no listener runs, nothing is written or called, and the warning names
 * which id did not match without any of the payload. The bot learns its own ids from Slack at
 * start (auth.test, then bots.info), again for a request while it does not know them, and in the
 * background; until it knows them, it refuses everything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { createSlackDriver, type SlackDriver } from "../../tools/sandbox/slack/driver.js";
import { startSlackStandIn } from "../../tools/sandbox/slack/web-api.js";
import { CAST, CHANNELS, SIGNING_SECRET } from "../../tools/sandbox/story.js";
import { STARTING_TEXT } from "../../src/slack/acknowledge.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { submitContractor } from "../helpers/flows.js";
import { contractorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import {
  effects,
  expectNoEffect,
  logLinesSince,
  type RejectionWatch,
  settle,
  watchUnhandledRejections,
} from "./support.js";

let s: TestStory;
let rejections: RejectionWatch;
beforeAll(async () => {
  rejections = watchUnhandledRejections();
  const slack = await startSlackStandIn({
    users: Object.values(CAST).map((u) => ({ ...u })),
    channels: [
      { id: CHANNELS.approval, name: "access-approvals", members: [CAST.approver.id, CAST.approver2.id] },
      { id: CHANNELS.security, name: "security-alerts", members: [CAST.operator.id] },
      { id: CHANNELS.facilities, name: "facilities", members: [CAST.operator.id] },
    ],
  });
  // Slack cannot say which app the bot belongs to: at start, and for the first request after it.
  slack.faults.add({ method: "bots.info", error: "fatal_error", times: 2 });
  // Lookups are left to requests here: the background retry would come after a minute.
  s = await startTestStory({ slack, catchUp: false, startupRecheckMs: [60_000] });
});
afterAll(async () => {
  await s?.close();
  await s?.slack.close();
  rejections.stop();
});

const today = () => localDateOf(new Date(), s.gatehouse.timeZone);
const foreign = (ids: { teamId?: string; appId?: string }): SlackDriver =>
  createSlackDriver({
    eventsUrl: `${s.gatehouse.http.url}/slack/events`,
    signingSecret: SIGNING_SECRET,
    standIn: s.slack,
    ...ids,
  });

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

/** The four kinds of request Slack sends, each with something only it would carry. */
const MARK = "foreign.visitor@elsewhere.example";
function requests(d: SlackDriver, pending: { id: string; ts: string }) {
  return {
    command: () => d.command({ command: "/contractor", text: `status ${MARK}`, userId: CAST.requester.id }),
    submission: () =>
      d.viewSubmission({
        userId: CAST.requester.id,
        callbackId: CALLBACK.contractorRequest,
        values: contractorValues({
          ...{ firstName: "Far", lastName: "Away", email: MARK, company: "Elsewhere" },
          ...{ groupIds: [5121], startDate: today(), endDate: addDays(today(), 2), credential: "mobile" },
        }),
      }),
    click: () =>
      d.blockAction({
        userId: CAST.approver.id,
        actionId: ACTION.approve,
        value: pending.id,
        message: { ts: pending.ts, channel: CHANNELS.approval },
      }),
    event: () => d.event({ type: "app_home_opened", user: CAST.requester.id, tab: "home" }),
  };
}

describe("requests from another workspace or app", () => {
  it("refuses everything until the bot knows its own workspace and app, then learns them from Slack", async () => {
    await until(() => s.logLines.some((l) => l.includes("could not learn the Slack workspace and app yet")));
    await settle(s);
    const before = effects(s);
    const res = await s.driver.command({ command: "/contractor", userId: CAST.requester.id });
    // Acknowledged at once, with a line for the person (only they see it) and nothing else.
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ response_type: "ephemeral", text: STARTING_TEXT });
    await s.gatehouse.idle();
    // Two lookups of its own ids failed (start, this request); nothing else happened.
    expectNoEffect(s, { ...before, slackCalls: before.slackCalls + 2 });
    expect(s.slack.calls.slice(before.slackCalls).map((c) => c.method)).toEqual(["auth.test", "bots.info"]);
    expect(logLinesSince(s, before).join("\n")).toContain(
      "the bot's own workspace and app are not known yet",
    );

    const again = await s.driver.command({ command: "/contractor", userId: CAST.requester.id });
    await s.gatehouse.idle();
    expect(s.slack.callsTo("views.open").filter((c) => c.args.trigger_id === again.triggerId)).toHaveLength(
      1,
    );
    const lookups = s.slack.callsTo("bots.info");
    expect(lookups).toHaveLength(3);
    expect(lookups.every((c) => c.args.bot === s.slack.botId)).toBe(true);
    expect(lookups.at(-1)?.response).toMatchObject({ ok: true, bot: { app_id: s.slack.appId } });
    expect(
      s.logLines.some((l) => l.includes("serving one Slack workspace and app") && l.includes(s.slack.teamId)),
    ).toBe(true);
  });

  it.each<[string, { teamId?: string; appId?: string }]>([
    ["workspace", { teamId: "T0FOREIGN1" }],
    ["app", { appId: "A0FOREIGN1" }],
    ["workspace and app", { teamId: "T0FOREIGN1", appId: "A0FOREIGN1" }],
  ])("drops a command, a submission, a click and an event from another %s", async (what, ids) => {
    const pending = await submitContractor(s, {
      ...{
        firstName: "Near",
        lastName: "By",
        email: `near.${ids.teamId ?? ""}${ids.appId ?? ""}@spark.example`,
      },
      ...{
        company: "Spark",
        groupIds: [5121],
        startDate: today(),
        endDate: addDays(today(), 2),
        credential: "mobile",
      },
    });
    for (const [kind, send] of Object.entries(requests(foreign(ids), pending))) {
      const before = effects(s);
      const res = await send();
      expect(res.status, kind).toBe(200);
      expect(res.body, kind).toBe("");
      await s.gatehouse.idle();
      expectNoEffect(s, before);
      const logged = logLinesSince(s, before);
      expect(logged, kind).toHaveLength(1);
      const line = JSON.parse(logged[0] ?? "{}") as Record<string, unknown>;
      expect(line).toMatchObject({
        level: "warn",
        msg: `refused a Slack request from another ${what.split(" ")[0]}`,
      });
      // Which ids, never what the request said or who sent it.
      for (const content of [MARK, pending.id, CAST.requester.id, CAST.approver.id, "Far"])
        expect(logged[0]).not.toContain(content);
    }
    expect(getAccessRequest(s.gatehouse.db, pending.id)?.state).toBe("requested");
    expect(rejections.seen).toEqual([]);

    // The same requests from this workspace and app do what they say.
    const ours = requests(s.driver, pending);
    await ours.click();
    await s.gatehouse.idle();
    expect(getAccessRequest(s.gatehouse.db, pending.id)?.state).toBe("active");
  });

  it("drops a signed payload that names no workspace or app at all", async () => {
    const payload = {
      type: "block_actions",
      user: { id: CAST.operator.id },
      actions: [
        { type: "button", action_id: ACTION.offboardNow, value: "40201", block_id: "b", action_ts: "1" },
      ],
      trigger_id: "1.2.3",
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const before = effects(s);
    const res = await s.driver.raw(body, {
      "content-type": "application/x-www-form-urlencoded",
      ...s.driver.signatureHeaders(body),
    });
    expect(res.status).toBe(200);
    await s.gatehouse.idle();
    expectNoEffect(s, before);
    expect(s.doorflow.sandbox.state.people.find((p) => p.id === 40201)?.enabled).toBe(true);
  });
});
