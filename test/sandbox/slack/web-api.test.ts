import { webApi } from "@slack/bolt";
import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackStandIn, startSlackStandIn } from "../../../tools/sandbox/slack/web-api.js";
import { quietLogger } from "./support.js";

const { WebClient, WebAPIPlatformError, WebAPIHTTPError, WebAPIRateLimitedError } = webApi;

let standIn: SlackStandIn;
let client: InstanceType<typeof WebClient>;

beforeEach(async () => {
  standIn = await startSlackStandIn({
    users: [
      { id: "U0REQ00001", name: "rosa", realName: "Rosa Delgado", email: "rosa@harbourside.example" },
      { id: "U0APP00001", name: "sam", realName: "Sam Okafor", email: "Sam.Okafor@harbourside.example" },
      { id: "U0GONE0001", name: "old", email: "old@harbourside.example", deleted: true },
    ],
    usergroups: { S0APPROVERS: ["U0APP00001"] },
    channels: [
      { id: "C0APPROVAL", name: "access-approvals", members: ["U0APP00001"] },
      { id: "C0SECURITY", name: "security", botIsMember: false },
    ],
  });
  client = new WebClient("xoxb-sandbox", {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    logger: quietLogger,
  });
});

afterEach(async () => {
  await standIn.close();
});

describe("Slack stand-in used by a real WebClient", () => {
  it("answers auth.test with the bot's identity", async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      team_id: standIn.teamId,
      user_id: standIn.botUserId,
      bot_id: standIn.botId,
    });
    expect(standIn.calls[0]).toMatchObject({ method: "auth.test", token: "xoxb-sandbox", status: 200 });
  });

  it("posts and updates a message, decoding the JSON-encoded blocks of the form body", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Ana* needs access" } }];
    const posted = await client.chat.postMessage({ channel: "C0APPROVAL", text: "Ana needs access", blocks });
    expect(posted.channel).toBe("C0APPROVAL");
    expect(posted.message?.bot_id).toBe(standIn.botId);

    const second = await client.chat.postMessage({ channel: "C0APPROVAL", text: "another" });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));

    const recorded = await standIn.waitFor("chat.postMessage");
    expect(recorded.args.blocks).toEqual(blocks);

    const newBlocks = [{ type: "section", text: { type: "mrkdwn", text: "Approved by <@U0APP00001>" } }];
    const updated = await client.chat.update({
      channel: "C0APPROVAL",
      ts: posted.ts!,
      text: "Approved",
      blocks: newBlocks,
    });
    expect(updated.ts).toBe(posted.ts);
    const [first] = standIn.messages("C0APPROVAL");
    expect(first).toMatchObject({ ts: posted.ts, text: "Approved", blocks: newBlocks });
    expect(first?.editedTs).toBeDefined();
  });

  it("reports Slack's logical errors with HTTP 200 and ok:false", async () => {
    await expect(client.chat.postMessage({ channel: "C0NOPE", text: "x" })).rejects.toMatchObject({
      code: "slack_webapi_platform_error",
      data: { ok: false, error: "channel_not_found" },
    });
    await expect(client.chat.postMessage({ channel: "C0SECURITY", text: "x" })).rejects.toMatchObject({
      data: { error: "not_in_channel" },
    });
    await expect(
      client.chat.update({ channel: "C0APPROVAL", ts: "1.000001", text: "x" }),
    ).rejects.toMatchObject({
      data: { error: "message_not_found" },
    });
    await expect(client.apiCall("contractors.list")).rejects.toMatchObject({
      data: { error: "unknown_method" },
    });
    expect(standIn.calls.map((c) => c.status)).toEqual([200, 200, 200, 200]);
  });

  it("opens one DM channel per user and posts into it by user id", async () => {
    const opened = await client.conversations.open({ users: "U0REQ00001" });
    expect(opened.channel?.id).toMatch(/^D/);
    const again = await client.conversations.open({ users: "U0REQ00001", return_im: true });
    expect(again.channel).toMatchObject({ id: opened.channel?.id, is_im: true, user: "U0REQ00001" });

    const posted = await client.chat.postMessage({ channel: "U0REQ00001", text: "Your card is ready" });
    expect(posted.channel).toBe(opened.channel?.id);
    await expect(client.conversations.open({ users: "U0GONE0001" })).rejects.toMatchObject({
      data: { error: "user_disabled" },
    });

    const members = await client.conversations.members({ channel: "C0APPROVAL", limit: 1 });
    expect(members.members).toEqual(["U0APP00001"]);
    const rest = await client.conversations.members({
      channel: "C0APPROVAL",
      cursor: members.response_metadata!.next_cursor!,
    });
    expect(rest.members).toEqual([standIn.botUserId]);
    const info = await client.conversations.info({ channel: "C0SECURITY" });
    expect(info.channel).toMatchObject({ name: "security", is_member: false });
  });

  it("opens and updates a modal, refusing an update with a stale hash", async () => {
    const view = {
      type: "modal" as const,
      callback_id: "new_contractor",
      title: { type: "plain_text" as const, text: "New contractor" },
      blocks: [],
      private_metadata: "req-1",
    };
    const opened = await client.views.open({ trigger_id: "123.456.abc", view });
    const id = opened.view!.id!;
    expect(opened.view).toMatchObject({
      callback_id: "new_contractor",
      private_metadata: "req-1",
      root_view_id: id,
    });
    expect((await standIn.waitFor("views.open")).args.trigger_id).toBe("123.456.abc");

    const updated = await client.views.update({
      view_id: id,
      hash: opened.view!.hash!,
      view: { ...view, blocks: [] },
    });
    expect(updated.view?.id).toBe(id);
    expect(updated.view?.hash).not.toBe(opened.view!.hash);
    await expect(client.views.update({ view_id: id, hash: opened.view!.hash!, view })).rejects.toMatchObject({
      data: { error: "hash_conflict" },
    });
    await expect(client.views.open({ trigger_id: "", view })).rejects.toMatchObject({
      data: { error: "invalid_arguments" },
    });
    expect(standIn.views.get(id)?.hash).toBe(updated.view?.hash);
  });

  it("looks people up by id, email and user group", async () => {
    const info = await client.users.info({ user: "U0REQ00001" });
    expect(info.user).toMatchObject({ id: "U0REQ00001", real_name: "Rosa Delgado", deleted: false });
    expect(info.user?.profile?.email).toBe("rosa@harbourside.example");

    const byEmail = await client.users.lookupByEmail({ email: "sam.okafor@HARBOURSIDE.example" });
    expect(byEmail.user?.id).toBe("U0APP00001");
    await expect(client.users.lookupByEmail({ email: "nobody@example.com" })).rejects.toMatchObject({
      data: { error: "users_not_found" },
    });
    await expect(client.users.info({ user: "U0NOBODY" })).rejects.toMatchObject({
      data: { error: "user_not_found" },
    });

    const group = await client.usergroups.users.list({ usergroup: "S0APPROVERS" });
    expect(group.users).toEqual(["U0APP00001"]);
  });

  it("accepts JSON bodies too, and asks for a token", async () => {
    const res = await request(`${standIn.url}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: "Bearer xoxb-sandbox" },
      body: JSON.stringify({ channel: "C0APPROVAL", text: "json", blocks: [{ type: "divider" }] }),
    });
    expect(await res.body.json()).toMatchObject({ ok: true, channel: "C0APPROVAL" });
    expect(standIn.messages("C0APPROVAL")[0]?.blocks).toEqual([{ type: "divider" }]);

    const anonymous = new WebClient(undefined, {
      slackApiUrl: standIn.url,
      retryConfig: { retries: 0 },
      logger: quietLogger,
    });
    await expect(anonymous.auth.test()).rejects.toMatchObject({ data: { error: "not_authed" } });
  });
});

describe("Slack stand-in faults", () => {
  it("answers 429 with a Retry-After the client reads", async () => {
    standIn.faults.add({ method: "chat.postMessage", status: 429, retryAfterSeconds: 7, times: 1 });
    const strict = new WebClient("xoxb-sandbox", {
      slackApiUrl: standIn.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: quietLogger,
    });
    const error = await strict.chat
      .postMessage({ channel: "C0APPROVAL", text: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as InstanceType<typeof WebAPIRateLimitedError>).retryAfter).toBe(7);
    expect(await strict.chat.postMessage({ channel: "C0APPROVAL", text: "x" })).toMatchObject({ ok: true });
  });

  it("lets a retrying client through once the rate limit lapses", async () => {
    standIn.faults.add({ method: "chat.postMessage", status: 429, retryAfterSeconds: 0, times: 1 });
    const retrying = new WebClient("xoxb-sandbox", {
      slackApiUrl: standIn.url,
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
      logger: quietLogger,
    });
    expect(await retrying.chat.postMessage({ channel: "C0APPROVAL", text: "x" })).toMatchObject({ ok: true });
    expect(standIn.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429, 200]);
    expect(standIn.messages("C0APPROVAL")).toHaveLength(1);
  });

  it("answers 5xx and ok:false faults, and stops when removed", async () => {
    const remove = standIn.faults.add({ method: "users.info", status: 503 });
    const error = await client.users.info({ user: "U0REQ00001" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect((error as InstanceType<typeof WebAPIHTTPError>).statusCode).toBe(503);
    remove();

    standIn.faults.add({ method: "*", error: "ratelimited", times: 1 });
    const platform = await client.users.info({ user: "U0REQ00001" }).catch((e: unknown) => e);
    expect(platform).toBeInstanceOf(WebAPIPlatformError);
    expect(await client.users.info({ user: "U0REQ00001" })).toMatchObject({ ok: true });
  });

  it("delays answers by latencyMs, so a client with a shorter timeout gives up", async () => {
    const slow = await startSlackStandIn({ latencyMs: 300 });
    try {
      const impatient = new WebClient("xoxb-sandbox", {
        slackApiUrl: slow.url,
        retryConfig: { retries: 0 },
        timeout: 30,
        logger: quietLogger,
      });
      await expect(impatient.auth.test()).rejects.toMatchObject({ code: "slack_webapi_request_error" });
    } finally {
      await slow.close();
    }
  });

  it("waitFor resolves on a later call and rejects with what it saw instead", async () => {
    const waiting = standIn.waitFor("chat.postMessage", (args) => args.text === "second");
    await client.chat.postMessage({ channel: "C0APPROVAL", text: "first" });
    await client.chat.postMessage({ channel: "C0APPROVAL", text: "second" });
    expect((await waiting).args.text).toBe("second");
    await expect(standIn.waitFor("views.open", undefined, 20)).rejects.toThrow(/chat\.postMessage/);
  });
});
