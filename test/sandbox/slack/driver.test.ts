import type { App } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackDriver, createSlackDriver } from "../../../tools/sandbox/slack/driver.js";
import { type SlackStandIn, startSlackStandIn } from "../../../tools/sandbox/slack/web-api.js";
import { SIGNING_SECRET, startBoltApp } from "./support.js";

const REQUESTER = "U0REQ00001";
const APPROVER = "U0APP00001";

const modal = {
  type: "modal" as const,
  callback_id: "new_contractor",
  private_metadata: "from-command",
  title: { type: "plain_text" as const, text: "New contractor" },
  submit: { type: "plain_text" as const, text: "Request" },
  blocks: [
    {
      type: "actions",
      block_id: "dates",
      elements: [{ type: "datepicker", action_id: "end_date" }],
    },
    {
      type: "input",
      block_id: "email",
      label: { type: "plain_text" as const, text: "Email" },
      element: { type: "email_text_input", action_id: "email_input" },
    },
  ],
};

let standIn: SlackStandIn;
let bolt: Awaited<ReturnType<typeof startBoltApp>>;
let driver: SlackDriver;
let seen: Record<string, unknown>[];

function listeners(app: App) {
  app.command("/contractor", async ({ ack, body, client, respond }) => {
    seen.push(body);
    await ack();
    if (body.text === "help") await respond({ text: "Usage: /contractor [visitor]" });
    else await client.views.open({ trigger_id: body.trigger_id, view: modal });
  });
  app.action("approve", async ({ ack, body, respond }) => {
    seen.push(body as unknown as Record<string, unknown>);
    await ack();
    await respond({ replace_original: true, text: "Approved by Sam" });
  });
  app.action("end_date", async ({ ack, body }) => {
    seen.push(body as unknown as Record<string, unknown>);
    await ack();
  });
  app.view("new_contractor", async ({ ack, body, view }) => {
    seen.push(body as unknown as Record<string, unknown>);
    const email = view.state.values.email?.email_input?.value ?? "";
    if (email.includes("@")) await ack();
    else await ack({ response_action: "errors", errors: { email: "Enter an email address" } });
  });
  app.event("app_home_opened", async ({ event, body, client }) => {
    seen.push(body);
    await client.views.publish({
      user_id: event.user,
      view: { type: "home", blocks: [{ type: "divider" }] },
    });
  });
}

beforeEach(async () => {
  seen = [];
  standIn = await startSlackStandIn({
    users: [
      { id: REQUESTER, name: "rosa", email: "rosa@harbourside.example" },
      { id: APPROVER, name: "sam", email: "sam@harbourside.example" },
    ],
    channels: [{ id: "C0APPROVAL", name: "access-approvals", members: [APPROVER] }],
  });
  bolt = await startBoltApp(standIn.url, listeners);
  driver = createSlackDriver({ eventsUrl: bolt.eventsUrl, signingSecret: SIGNING_SECRET, standIn });
});

afterEach(async () => {
  await bolt.stop();
  await standIn.close();
});

describe("Slack driver against a real Bolt app", () => {
  it("sends a signed slash command that Bolt accepts, with a trigger the stand-in ties to the user", async () => {
    const res = await driver.command({ command: "/contractor", text: "", userId: REQUESTER });
    expect(res.status).toBe(200);
    expect(seen[0]).toMatchObject({
      command: "/contractor",
      user_id: REQUESTER,
      user_name: "rosa",
      team_id: standIn.teamId,
      api_app_id: standIn.appId,
      trigger_id: res.triggerId,
      response_url: res.responseUrl,
    });
    expect(String(seen[0]?.channel_id)).toMatch(/^D/);
    const open = await standIn.waitFor("views.open");
    expect(open.args.trigger_id).toBe(res.triggerId);
    const [view] = [...standIn.views.values()];
    expect(view).toMatchObject({ userId: REQUESTER, view: { callback_id: "new_contractor" } });
  });

  it("gives a response URL that lands on the stand-in as an ephemeral reply", async () => {
    const res = await driver.command({ command: "/contractor", text: "help", userId: REQUESTER });
    const reply = await standIn.waitFor("response_url");
    expect(reply.args.text).toBe("Usage: /contractor [visitor]");
    expect(res.responseUrl.startsWith(standIn.origin)).toBe(true);
    expect(standIn.messages().find((m) => m.via === "response_url")).toMatchObject({
      ephemeralTo: REQUESTER,
    });
  });

  it("clicks a button in a posted message and lets the listener replace it", async () => {
    const blocks = [
      { type: "section", text: { type: "mrkdwn", text: "Ana Silva needs access" } },
      {
        type: "actions",
        block_id: "decision",
        elements: [
          {
            type: "button",
            action_id: "approve",
            value: "req-42",
            text: { type: "plain_text", text: "Approve" },
          },
        ],
      },
    ];
    const posted = await bolt.app.client.chat.postMessage({ channel: "C0APPROVAL", text: "Request", blocks });
    const res = await driver.blockAction({
      userId: APPROVER,
      actionId: "approve",
      message: { ts: posted.ts!, channel: "C0APPROVAL" },
    });
    expect(res.status).toBe(200);
    await standIn.waitFor("response_url");
    expect(seen[0]).toMatchObject({
      type: "block_actions",
      user: { id: APPROVER },
      container: { type: "message", message_ts: posted.ts, channel_id: "C0APPROVAL" },
      channel: { id: "C0APPROVAL", name: "access-approvals" },
      message: { ts: posted.ts, blocks },
      actions: [{ type: "button", action_id: "approve", block_id: "decision", value: "req-42" }],
    });
    expect(standIn.messages("C0APPROVAL")).toMatchObject([
      { ts: posted.ts, text: "Approved by Sam", blocks: [] },
    ]);
  });

  it("submits the modal the command opened, and returns Bolt's response_action", async () => {
    await driver.command({ command: "/contractor", userId: REQUESTER });
    const opened = await standIn.waitFor("views.open");
    const viewId = (opened.response as { view: { id: string } }).view.id;

    const rejected = await driver.viewSubmission({
      userId: REQUESTER,
      callbackId: "new_contractor",
      values: { email: { email_input: { type: "email_text_input", value: "not-an-email" } } },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toEqual({ response_action: "errors", errors: { email: "Enter an email address" } });
    expect(seen[1]).toMatchObject({
      type: "view_submission",
      view: { id: viewId, private_metadata: "from-command", blocks: modal.blocks },
    });

    const accepted = await driver.viewSubmission({
      userId: REQUESTER,
      callbackId: "new_contractor",
      values: { email: { email_input: { type: "email_text_input", value: "ana@contractor.example" } } },
    });
    expect(accepted).toMatchObject({ status: 200, body: "" });
  });

  it("picks a date inside the open modal, as a block_actions payload with the view as container", async () => {
    await driver.command({ command: "/contractor", userId: REQUESTER });
    const opened = await standIn.waitFor("views.open");
    const viewId = (opened.response as { view: { id: string } }).view.id;
    const res = await driver.blockAction({
      userId: REQUESTER,
      actionId: "end_date",
      selectedDate: "2025-03-30",
      view: {
        id: viewId,
        state: { dates: { end_date: { type: "datepicker", selected_date: "2025-03-30" } } },
      },
    });
    expect(res.status).toBe(200);
    expect(seen[1]).toMatchObject({
      type: "block_actions",
      container: { type: "view", view_id: viewId },
      view: { id: viewId, callback_id: "new_contractor", state: { values: { dates: { end_date: {} } } } },
      actions: [
        { type: "datepicker", action_id: "end_date", block_id: "dates", selected_date: "2025-03-30" },
      ],
    });
    expect(seen[1]).not.toHaveProperty("response_url");
  });

  it("delivers an app_home_opened event in an event_callback envelope", async () => {
    const res = await driver.event({ type: "app_home_opened", user: REQUESTER, tab: "home" });
    expect(res.status).toBe(200);
    const publish = await standIn.waitFor("views.publish");
    expect(publish.args.user_id).toBe(REQUESTER);
    expect(seen[0]).toMatchObject({
      type: "event_callback",
      event_id: res.eventId,
      team_id: standIn.teamId,
      event: { type: "app_home_opened", user: REQUESTER, tab: "home" },
      authorizations: [{ user_id: standIn.botUserId, is_bot: true }],
    });
  });
});

describe("Bolt's request verification against the driver's signatures", () => {
  const form = "command=%2Fcontractor&text=&user_id=U0REQ00001&team_id=T0GATEHSE1&trigger_id=1.2.3";

  it("accepts a correctly signed raw request", async () => {
    const headers = { "content-type": "application/x-www-form-urlencoded", ...driver.signatureHeaders(form) };
    expect((await driver.raw(form, headers)).status).toBe(200);
  });

  it("refuses a forged signature with 401", async () => {
    const forged = createSlackDriver({ eventsUrl: bolt.eventsUrl, signingSecret: "not-the-secret", standIn });
    const res = await forged.command({ command: "/contractor", userId: REQUESTER });
    expect(res.status).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it("refuses a correctly signed but stale request with 401", async () => {
    const sixMinutesAgo = () => new Date(Date.now() - 6 * 60_000);
    const stale = createSlackDriver({
      eventsUrl: bolt.eventsUrl,
      signingSecret: SIGNING_SECRET,
      now: sixMinutesAgo,
    });
    const res = await stale.command({ command: "/contractor", userId: REQUESTER });
    expect(res.status).toBe(401);
    expect(seen).toHaveLength(0);
  });

  it("shows why the content type must be exact: with a charset Bolt cannot parse the form", async () => {
    const headers = {
      "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
      ...driver.signatureHeaders(form),
    };
    expect((await driver.raw(form, headers)).status).toBe(400);
  });
});
