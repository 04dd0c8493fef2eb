/** Who may decide, exactly-once decisions under concurrent clicks, deny with a reason, and validation on the fields. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { contractorValues, visitorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
beforeAll(async () => {
  s = await startTestStory();
});
afterAll(async () => {
  await s.close();
});

const today = () => localDateOf(new Date(), s.gatehouse.timeZone);

async function submitContractor(email: string, requesterId: string = CAST.requester.id): Promise<string> {
  const before = s.slack.messages(CHANNELS.approval).length;
  const res = await s.driver.viewSubmission({
    userId: requesterId,
    callbackId: CALLBACK.contractorRequest,
    values: contractorValues({
      firstName: "Kit",
      lastName: email.split("@")[0] ?? "X",
      email,
      company: "Spark Electrical",
      groupIds: [5123],
      startDate: today(),
      endDate: addDays(today(), 10),
      credential: "mobile",
    }),
  });
  expect(res.status).toBe(200);
  await s.gatehouse.idle();
  const messages = s.slack.messages(CHANNELS.approval);
  expect(messages.length).toBe(before + 1);
  const blocks = JSON.stringify(messages.at(-1)?.blocks);
  const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(blocks)?.[1];
  if (!id) throw new Error("no request id in the approval message");
  return id;
}

/** A click on the approval message that holds this request, as Slack would send it. */
function click(userId: string, actionId: string, requestId: string) {
  const message = s.slack
    .messages(CHANNELS.approval)
    .find((m) => JSON.stringify(m.blocks).includes(requestId));
  if (!message) throw new Error("approval message not found");
  return s.driver.blockAction({
    userId,
    actionId,
    value: requestId,
    message: { ts: message.ts, channel: CHANNELS.approval },
  });
}

function lastEphemeralTo(userId: string): string {
  const replies = s.slack.callsTo("response_url").filter((c) => JSON.stringify(c.args).length > 0);
  const mine = s.slack.messages().filter((m) => m.ephemeralTo === userId);
  return mine.at(-1)?.text ?? JSON.stringify(replies.at(-1)?.args ?? {});
}

describe("approval rules", () => {
  it("refuses a stranger and the requester's own approval, and changes nothing", async () => {
    const id = await submitContractor("stranger.case@spark.example", CAST.approver.id);
    await click(CAST.stranger.id, ACTION.approve, id);
    await s.gatehouse.idle();
    expect(lastEphemeralTo(CAST.stranger.id)).toContain("Only approvers");
    await click(CAST.approver.id, ACTION.approve, id);
    await s.gatehouse.idle();
    expect(lastEphemeralTo(CAST.approver.id)).toContain("your own request");
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("requested");
    expect(s.doorflow.sandbox.personBySystemId(id)).toBeUndefined();
  });

  it("provisions once when twenty approvers click at once, and tells the others who decided", async () => {
    const id = await submitContractor("twenty.clicks@spark.example");
    const clicks = Array.from({ length: 20 }, (_, i) =>
      click(i % 2 ? CAST.approver.id : CAST.approver2.id, ACTION.approve, id),
    );
    const answers = await Promise.all(clicks);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await s.gatehouse.idle();
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("active");
    const people = s.doorflow.sandbox.state.people.filter((p) => p.systemId === id);
    expect(people).toHaveLength(1);
    const creates = s.doorflow.sandbox.calls.filter((c) => c.method === "POST" && c.path === "/api/3/people");
    expect(creates.filter((c) => c.status < 300).length).toBeGreaterThanOrEqual(1);
    const grs = s.doorflow.sandbox.state.groupReservations.filter((g) => g.personId === people[0]?.id);
    expect(grs).toHaveLength(1);
    const told = s.slack.messages().filter((m) => m.ephemeralTo && m.text.startsWith("Already approved by"));
    expect(told.length).toBe(19);
  });

  it("asks a denier for a reason, tells the requester, and updates the message", async () => {
    const id = await submitContractor("deny.me@spark.example");
    await click(CAST.approver2.id, ACTION.deny, id);
    await s.gatehouse.idle();
    const modal = await s.slack.waitFor("views.open", (a) =>
      JSON.stringify(a.view).includes(CALLBACK.denyReason),
    );
    expect(modal).toBeDefined();
    const empty = await s.driver.viewSubmission({
      userId: CAST.approver2.id,
      callbackId: CALLBACK.denyReason,
      privateMetadata: id,
      values: {
        [FIELD.denyReason.block]: { [FIELD.denyReason.action]: { type: "plain_text_input", value: " " } },
      },
    });
    expect(empty.body).toMatchObject({ response_action: "errors" });
    await s.driver.viewSubmission({
      userId: CAST.approver2.id,
      callbackId: CALLBACK.denyReason,
      privateMetadata: id,
      values: {
        [FIELD.denyReason.block]: {
          [FIELD.denyReason.action]: { type: "plain_text_input", value: "No site induction yet" },
        },
      },
    });
    await s.gatehouse.idle();
    const r = getAccessRequest(s.gatehouse.db, id);
    expect(r).toMatchObject({
      state: "denied",
      decidedBy: CAST.approver2.id,
      denyReason: "No site induction yet",
    });
    const dm = s.slack.messages(CAST.requester.id).concat(
      s.slack
        .callsTo("chat.postMessage")
        .filter((c) => c.args.channel === CAST.requester.id)
        .map((c) => ({ text: String(c.args.text) }) as never),
    );
    expect(dm.some((m: { text: string }) => m.text.includes("No site induction yet"))).toBe(true);
    expect(s.doorflow.sandbox.personBySystemId(id)).toBeUndefined();
  });

  it.each([
    ["names missing", { firstName: "", lastName: " " }, ["first_name", "last_name"]],
    ["a bad email", { email: "not-an-email" }, ["email"]],
    ["a start in the past", { startDate: "2020-01-01" }, ["start_date"]],
    ["an end before the start", { endDate: "offset:-1" }, ["end_date"]],
    ["an end beyond the maximum", { endDate: "offset:184" }, ["end_date"]],
    ["letters in the card number", { cardNumber: "12AB" }, ["card_number"]],
    ["a card without a number", { cardNumber: "" }, ["card_number"]],
    ["no access group", { groupIds: [] }, ["access_groups"]],
    ["an unknown access group", { groupIds: [999999] }, ["access_groups"]],
  ] as const)("shows %s on the field", async (_name, overrides, fields) => {
    const start = addDays(today(), 1);
    const o: Record<string, unknown> = { ...overrides };
    if (typeof o.endDate === "string" && o.endDate.startsWith("offset:"))
      o.endDate = addDays(start, Number(o.endDate.slice(7)));
    const res = await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.contractorRequest,
      values: contractorValues({
        firstName: "Val",
        lastName: "Idation",
        email: "val@acme.example",
        company: "Acme",
        groupIds: [5122],
        startDate: start,
        endDate: addDays(start, 5),
        credential: "card",
        cardNumber: "1234",
        ...(o as object),
      }),
    });
    expect(res.status).toBe(200);
    const body = res.body as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors).sort()).toEqual([...fields].sort());
    for (const message of Object.values(body.errors)) expect(message.length).toBeGreaterThan(10);
  });

  it("validates the visitor form too", async () => {
    const res = await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.visitorRequest,
      values: visitorValues({
        firstName: "Vi",
        lastName: "Sitor",
        email: "nope",
        company: "",
        doorIds: [],
        visitDate: "2020-02-02",
      }),
    });
    const body = res.body as { errors: Record<string, string> };
    expect(Object.keys(body.errors).sort()).toEqual(["company", "doors", "email", "visit_date"]);
  });
});
