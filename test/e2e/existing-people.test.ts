/**
 * Gatehouse never hands over someone else's access: a request whose email already belongs to a
 * DoorFlow person is an operator's explicit decision and reuses the person only in a clean state;
 * a live contract refuses a second request before anything is written; a collected card goes back
 * to the pool; offboarding gives mobile licence seats back. The real bot, signed Slack requests,
 * the DoorFlow sandbox.
 */
import { existsSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import { findManagedByDoorFlowId } from "../../src/db/repositories/managed-people.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { approve, latestApproval, submitContractor } from "../helpers/flows.js";
import { type ContractorInput, contractorValues, visitorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
afterEach(async () => {
  await s?.close();
});

const CHLOE = "chloe.dubois@harbourside.example";
/** Chloé's PIN in the sandbox seed: it must never be read out to anyone. */
const CHLOE_OLD_PIN = "7306194";

const today = () => localDateOf(new Date(), s.gatehouse.timeZone);
const chloe = () => {
  const p = s.doorflow.sandbox.state.people.find((x) => x.email === CHLOE);
  if (!p) throw new Error("no Chloé in the sandbox");
  return p;
};
const credentialsOf = (personId: number) =>
  s.doorflow.sandbox.state.credentials.filter((c) => c.personId === personId);
const pinOf = (personId: number) =>
  credentialsOf(personId).find((c) => c.credentialTypeId === s.doorflow.sandbox.credentialTypeId("pin"))
    ?.value;
/** Writes to people, credentials and access since call `n` (a sync pushes, it changes nothing). */
const writesSince = (n: number) =>
  s.doorflow.sandbox.calls.slice(n).filter((c) => c.method !== "GET" && c.path !== "/api/3/sync");
const auditOfRequest = (requestId: string) =>
  (
    s.gatehouse.db.$client
      .prepare("select action, details from audit_events where request_id = ? order by id")
      .all(requestId) as Array<{ action: string; details: string | null }>
  ).map((a) => ({ action: a.action, details: a.details ? (JSON.parse(a.details) as unknown) : null }));
const dmsTo = (userId: string) =>
  s.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === userId)
    .map((c) => JSON.stringify(c.args));

function contractor(overrides: ContractorInput = {}): ContractorInput {
  return {
    firstName: "Chloé",
    lastName: "Dubois",
    email: CHLOE,
    company: "Returning Contractors Ltd",
    groupIds: [5123],
    startDate: today(),
    endDate: addDays(today(), 30),
    credential: "card",
    cardNumber: "40010009",
    ...overrides,
  };
}

async function click(userId: string, actionId: string, request: { id: string; ts: string }) {
  await s.driver.blockAction({
    userId,
    actionId,
    value: request.id,
    message: { ts: request.ts, channel: CHANNELS.approval },
  });
  await s.gatehouse.idle();
}

/** Nothing anywhere carries the old PIN: not a Slack call, a log line, or the database file. */
async function expectOldPinNowhere() {
  await s.stopBot();
  const wal = `${s.databaseFile}-wal`;
  const db = Buffer.concat([
    readFileSync(s.databaseFile),
    existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0),
  ]).toString("latin1");
  expect(db).not.toContain(CHLOE_OLD_PIN);
  expect(s.logLines.join("\n")).not.toContain(CHLOE_OLD_PIN);
  expect(s.slack.calls.filter((c) => JSON.stringify(c.args).includes(CHLOE_OLD_PIN))).toEqual([]);
}

describe("an existing DoorFlow person", () => {
  it("a visitor request for a disabled ex-employee waits for an operator, then reuses them cleanly", async () => {
    s = await startTestStory({ catchUp: false, env: { VISITOR_APPROVAL: "false", LOG_LEVEL: "debug" } });
    const before = { ...chloe(), groupIds: [...chloe().groupIds] };
    expect(before.enabled).toBe(false);
    expect(pinOf(before.id)).toBe(CHLOE_OLD_PIN);
    const calls = s.doorflow.sandbox.calls.length;

    const res = await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.visitorRequest,
      values: visitorValues({
        firstName: "Chloé",
        lastName: "Dubois",
        email: CHLOE,
        company: "Visiting",
        doorIds: [1340],
        visitDate: today(),
      }),
    });
    expect(res.body).toBe("");
    await s.gatehouse.idle();
    // Visitors need no approval here, but this one is an existing person: posted for an operator.
    const posted = latestApproval(s);
    const message = JSON.stringify(s.slack.messages(CHANNELS.approval).at(-1));
    expect(message).toContain("Existing DoorFlow person");
    expect(message).toContain("groups: Loading dock, Server room");
    expect(message).toContain("card 40010009 not collected");
    expect(message).toContain('"confirm"');
    expect(dmsTo(CAST.requester.id).at(-1)).toContain("only an operator can approve");
    expect(writesSince(calls)).toEqual([]);
    expect(chloe().enabled).toBe(false);

    // An approver who is not an operator is refused, and nothing changes.
    await click(CAST.approver.id, ACTION.approve, posted);
    expect(JSON.stringify(s.slack.callsTo("response_url").at(-1)?.args)).toContain(
      "only an operator can approve it",
    );
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("requested");
    expect(writesSince(calls)).toEqual([]);
    const refused = auditOfRequest(posted.id).map((a) => a.action);
    expect(refused).toContain("request.decision_refused");

    await click(CAST.operator.id, ACTION.approve, posted);
    const after = chloe();
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("active");
    expect(after.id).toBe(before.id);
    expect(after.enabled).toBe(true);
    expect(after.groupIds).toEqual([]);
    expect(after.systemId).toBe("EMP-1009");
    expect([after.firstName, after.lastName]).toEqual(["Chloe", "Dubois"]);
    // Only a new PIN: the old PIN and the unreturned card are gone.
    const held = credentialsOf(after.id);
    expect(held).toHaveLength(1);
    const newPin = pinOf(after.id);
    expect(newPin).toMatch(/^\d{4,7}$/);
    expect(newPin).not.toBe(CHLOE_OLD_PIN);
    expect(s.doorflow.sandbox.state.reservations.filter((r) => r.personId === after.id)).toHaveLength(1);
    expect(dmsTo(CAST.requester.id).some((dm) => dm.includes(newPin ?? "none"))).toBe(true);

    const audit = auditOfRequest(posted.id);
    const started = audit.find((a) => a.action === "provision.person_reuse_started");
    expect(started?.details).toMatchObject({
      previous: { enabled: false, systemId: "EMP-1009", groupIds: [5122, 5124] },
    });
    expect(JSON.stringify(started?.details)).toContain("40010009");
    await expectOldPinNowhere();
  });

  it("a contractor request reuses them with only the new groups, their own card kept, a new PIN", async () => {
    s = await startTestStory({ catchUp: false, env: { LOG_LEVEL: "debug" } });
    const calls = s.doorflow.sandbox.calls.length;
    const posted = await submitContractor(s, contractor());
    expect(writesSince(calls)).toEqual([]);
    await approve(s, posted);
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("requested");
    expect(chloe().enabled).toBe(false);

    await approve(s, posted, CAST.operator.id);
    const after = chloe();
    expect(after.enabled).toBe(true);
    expect(after.groupIds).toEqual([]);
    expect(after.systemId).toBe("EMP-1009");
    const reservations = s.doorflow.sandbox.state.groupReservations.filter((g) => g.personId === after.id);
    expect(reservations.map((g) => g.groupIds)).toEqual([[5123]]);
    const card = credentialsOf(after.id).find(
      (c) => c.credentialTypeId === s.doorflow.sandbox.credentialTypeId("card_number"),
    );
    expect(card?.value).toBe("40010009");
    expect(pinOf(after.id)).not.toBe(CHLOE_OLD_PIN);
    expect(findManagedByDoorFlowId(s.gatehouse.db, after.id)?.requestId).toBe(posted.id);
    await expectOldPinNowhere();
  });

  it("refuses a second request for an active contractor's email at submit, writing nothing", async () => {
    s = await startTestStory({ catchUp: false });
    const first = await submitContractor(
      s,
      contractor({ firstName: "Jo", lastName: "Builder", email: "jo@build.example", cardNumber: "77001" }),
    );
    await approve(s, first);
    expect(getAccessRequest(s.gatehouse.db, first.id)?.state).toBe("active");

    const calls = s.doorflow.sandbox.calls.length;
    const requests = s.gatehouse.db.$client.prepare("select count(*) as n from access_requests").get();
    const res = await s.driver.viewSubmission({
      userId: CAST.approver2.id,
      callbackId: CALLBACK.contractorRequest,
      values: contractorValues(
        contractor({ firstName: "Jo", lastName: "Other", email: "JO@build.example", cardNumber: "77002" }),
      ),
    });
    const errors = (res.body as { errors?: Record<string, string> }).errors ?? {};
    expect(errors[FIELD.email.block]).toMatch(
      /^Jo Builder already has access until .+; use `\/contractor extend`\.$/,
    );
    await s.gatehouse.idle();
    expect(s.doorflow.sandbox.calls.length).toBe(calls);
    expect(s.gatehouse.db.$client.prepare("select count(*) as n from access_requests").get()).toEqual(
      requests,
    );
  });

  it("a pending request for the same email refuses the second one on the email field", async () => {
    s = await startTestStory({ catchUp: false });
    await submitContractor(s, contractor({ email: "twice@build.example", cardNumber: "77003" }));
    const res = await s.driver.viewSubmission({
      userId: CAST.approver2.id,
      callbackId: CALLBACK.contractorRequest,
      values: contractorValues(contractor({ email: "twice@build.example", cardNumber: "77004" })),
    });
    const errors = (res.body as { errors?: Record<string, string> }).errors ?? {};
    expect(errors[FIELD.email.block]).toContain("already waiting for approval");
  });
});

describe("cards back to the pool", () => {
  it("refuses a card still held, then provisions it for the next contractor once collected", async () => {
    s = await startTestStory({ catchUp: false });
    const first = await submitContractor(
      s,
      contractor({ firstName: "Ann", lastName: "First", email: "ann@pool.example", cardNumber: "88001" }),
    );
    await approve(s, first);
    const ann = s.doorflow.sandbox.personBySystemId(first.id);
    if (!ann) throw new Error("Ann was not provisioned");

    // Ann is offboarded now (the operator's /offboard); her card stays on her disabled record.
    await s.driver.command({ command: "/offboard", text: "ann@pool.example", userId: CAST.operator.id });
    await s.gatehouse.idle();
    const preview = s.slack
      .messages()
      .filter((m) => m.ephemeralTo === CAST.operator.id)
      .at(-1);
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardNow,
      message: { ts: preview?.ts ?? "", channel: preview?.channel ?? "" },
    });
    await s.gatehouse.idle();
    expect(ann.enabled).toBe(false);

    const next = () =>
      s.driver.viewSubmission({
        userId: CAST.requester.id,
        callbackId: CALLBACK.contractorRequest,
        values: contractorValues(
          contractor({ firstName: "Ben", lastName: "Next", email: "ben@pool.example", cardNumber: "88001" }),
        ),
      });
    const refused = (await next()).body as { errors?: Record<string, string> };
    expect(refused.errors?.[FIELD.cardNumber.block]).toBe(
      'Card 88001 is still assigned to Ann First (disabled, not collected). Collect it first ("Card collected"), or use another card.',
    );

    const reminder = s.slack.messages(CHANNELS.facilities).at(-1);
    expect(JSON.stringify(reminder)).toContain("88001");
    // Facilities cannot confirm it themselves: operators only.
    const managedId = findManagedByDoorFlowId(s.gatehouse.db, ann.id)?.id;
    for (const userId of [CAST.requester.id, CAST.operator.id]) {
      await s.driver.blockAction({
        userId,
        actionId: ACTION.cardCollected,
        value: String(managedId),
        message: { ts: reminder?.ts ?? "", channel: CHANNELS.facilities },
      });
      await s.gatehouse.idle();
    }
    expect(credentialsOf(ann.id).some((c) => c.value === "88001")).toBe(false);
    expect(s.doorflow.sandbox.state.people.find((p) => p.id === ann.id)?.deleted).toBe(false);
    const updated = s.slack.messages(CHANNELS.facilities).find((m) => m.ts === reminder?.ts);
    expect(JSON.stringify(updated)).toContain("Collected, confirmed by");
    const audit = listAuditFor(s.gatehouse.db, { doorflowPersonId: ann.id }).filter(
      (a) => a.action === "card.collected",
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe(CAST.operator.id);

    expect((await next()).body).toBe("");
    await s.gatehouse.idle();
    const second = latestApproval(s);
    await approve(s, second);
    const ben = s.doorflow.sandbox.personBySystemId(second.id);
    expect(getAccessRequest(s.gatehouse.db, second.id)?.state).toBe("active");
    expect(credentialsOf(ben?.id ?? 0).some((c) => c.value === "88001")).toBe(true);
  });

  it("`gatehouse card collected <email>` does the same from a terminal", async () => {
    s = await startTestStory({ catchUp: false });
    const { runCli } = await import("../../src/cli/run.js");
    const chloeId = chloe().id;
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      readLine: () => Promise.resolve(""),
    };
    const code = await runCli(["card", "collected", CHLOE], { io, env: s.env });
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.join("\n")).toContain("removed from DoorFlow: 40010009");
    expect(credentialsOf(chloeId).some((c) => c.value === "40010009")).toBe(false);
    expect(pinOf(chloeId)).toBe(CHLOE_OLD_PIN);
    expect(chloe().enabled).toBe(false);
    // An enabled person keeps their card.
    const amelia = await runCli(["card", "collected", "amelia.hart@harbourside.example"], { io, env: s.env });
    expect(amelia).toBe(1);
  });
});

describe("offboarding frees licences", () => {
  it("deletes a contractor's mobile credential, so the HID seat goes back", async () => {
    s = await startTestStory({ catchUp: false, doorflow: { mobileLicences: 1 } });
    const sandbox = s.doorflow.sandbox;
    const first = await submitContractor(
      s,
      contractor({
        firstName: "Mo",
        lastName: "Bile",
        email: "mo@mobile.example",
        credential: "mobile",
        cardNumber: null,
      }),
    );
    await approve(s, first);
    expect(getAccessRequest(s.gatehouse.db, first.id)?.state).toBe("active");
    expect(sandbox.mobileSeatsInUse()).toBe(1);

    // The only seat is taken: DoorFlow refuses the next invitation with limit_reached.
    const blocked = await submitContractor(
      s,
      contractor({
        firstName: "No",
        lastName: "Seat",
        email: "no@mobile.example",
        credential: "mobile",
        cardNumber: null,
      }),
    );
    await approve(s, blocked);
    expect(getAccessRequest(s.gatehouse.db, blocked.id)?.lastError).toContain("licence limit");

    const mo = sandbox.personBySystemId(first.id);
    await s.driver.command({ command: "/offboard", text: "mo@mobile.example", userId: CAST.operator.id });
    await s.gatehouse.idle();
    const preview = s.slack
      .messages()
      .filter((m) => m.ephemeralTo === CAST.operator.id)
      .at(-1);
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardNow,
      message: { ts: preview?.ts ?? "", channel: preview?.channel ?? "" },
    });
    await s.gatehouse.idle();
    expect(mo?.enabled).toBe(false);
    const completed = listAuditFor(s.gatehouse.db, { doorflowPersonId: mo?.id ?? 0 }).find(
      (a) => a.action === "offboard.completed",
    );
    expect(completed?.details).toMatchObject({ removed: { mobileCredentials: 1 }, verified: true });
    // DoorFlow revokes asynchronously (202, `revoking`); once it is done the seat is free again.
    sandbox.clock.advance(5_000);
    expect(sandbox.mobileSeatsInUse()).toBe(0);
    expect(credentialsOf(mo?.id ?? 0).filter((c) => c.status !== null)).toEqual([]);
  });
});

describe("/contractor status", () => {
  it("shows another requester's contractor only to approvers and operators", async () => {
    s = await startTestStory({ catchUp: false });
    const posted = await submitContractor(
      s,
      contractor({ firstName: "Pri", lastName: "Vate", email: "pri@private.example", cardNumber: "99001" }),
      CAST.approver2.id,
    );
    await approve(s, posted);
    const status = async (userId: string) => {
      await s.driver.command({ command: "/contractor", text: "status pri@private.example", userId });
      await s.gatehouse.idle();
      return JSON.stringify(s.slack.callsTo("response_url").at(-1)?.args);
    };
    expect(await status(CAST.requester.id)).not.toContain("Vate");
    expect(await status(CAST.operator.id)).toContain("Pri Vate");
  });
});
