/** /contractor help, list and status answered to the caller alone; pending requests expire and the requester is told. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { contractorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
let offsetMs = 0;
beforeAll(async () => {
  s = await startTestStory({ now: () => new Date(Date.now() + offsetMs) });
});
afterAll(async () => {
  await s.close();
});

const today = () => localDateOf(new Date(Date.now() + offsetMs), s.gatehouse.timeZone);

async function request(email: string, endInDays: number): Promise<{ id: string; ts: string }> {
  await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.contractorRequest,
    values: contractorValues({
      firstName: "Lee",
      lastName: email.split("@")[0] ?? "",
      email,
      company: "Listco",
      groupIds: [5121],
      startDate: today(),
      endDate: addDays(today(), endInDays),
      credential: "mobile",
    }),
  });
  await s.gatehouse.idle();
  const message = s.slack.messages(CHANNELS.approval).at(-1);
  const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1] ?? "";
  return { id, ts: message?.ts ?? "" };
}

async function command(userId: string, text: string): Promise<string> {
  const before = s.slack.callsTo("response_url").length;
  await s.driver.command({ command: "/contractor", text, userId });
  await s.gatehouse.idle();
  const reply = s.slack.callsTo("response_url").slice(before);
  expect(reply).toHaveLength(1);
  expect(reply[0]?.args.response_type).toBe("ephemeral");
  return JSON.stringify(reply[0]?.args);
}

describe("/contractor sub-commands", () => {
  it("lists active contractors ending soonest first, all of them to an approver and their own to a requester", async () => {
    for (const [email, days] of [
      ["late@list.example", 40],
      ["soon@list.example", 3],
    ] as const) {
      const r = await request(email, days);
      await s.driver.blockAction({
        userId: CAST.approver.id,
        actionId: ACTION.approve,
        value: r.id,
        message: { ts: r.ts, channel: CHANNELS.approval },
      });
      await s.gatehouse.idle();
    }
    const forApprover = await command(CAST.approver.id, "list");
    expect(forApprover.indexOf("soon@list.example")).toBeGreaterThan(-1);
    expect(forApprover.indexOf("soon@list.example")).toBeLessThan(forApprover.indexOf("late@list.example"));
    expect(await command(CAST.requester.id, "list")).toContain("late@list.example");
    expect(await command(CAST.stranger.id, "list")).not.toContain("list.example");
  });

  it("shows a person's status, and help for help and for anything unknown", async () => {
    const status = await command(CAST.approver.id, "status <mailto:soon@list.example|soon@list.example>");
    expect(status).toContain("active");
    expect(await command(CAST.stranger.id, "status soon@list.example")).not.toContain("active");
    const help = await command(CAST.requester.id, "help");
    expect(help).toContain("/contractor visitor");
    expect(await command(CAST.requester.id, "frobnicate")).toBe(help);
  });
});

describe("pending requests", () => {
  it("expire after PENDING_APPROVAL_HOURS: the message loses its buttons, the requester is told, a late click is refused", async () => {
    const r = await request("too.slow@expiry.example", 10);
    offsetMs = 73 * 3_600_000;
    await s.driver.blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.approve,
      value: r.id,
      message: { ts: r.ts, channel: CHANNELS.approval },
    });
    await s.gatehouse.idle();
    expect(getAccessRequest(s.gatehouse.db, r.id)?.state).toBe("expired");
    const late = s.slack
      .messages()
      .filter((m) => m.ephemeralTo === CAST.approver.id)
      .at(-1);
    expect(late?.text).toContain("expired");
    const updated = s.slack.messages(CHANNELS.approval).find((m) => m.ts === r.ts);
    expect(JSON.stringify(updated?.blocks)).not.toContain(ACTION.approve);
    const told = s.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === CAST.requester.id && String(c.args.text).includes("expired"));
    expect(told).toHaveLength(1);
    expect(s.doorflow.sandbox.state.people.some((p) => p.email === "too.slow@expiry.example")).toBe(false);
  });
});
