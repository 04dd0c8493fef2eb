/**
 * The HR webhook end to end: the real bot over HTTP, signed requests as an HR relay sends them, the
 * DoorFlow sandbox and the Slack stand-in. Each test uses a different seeded person.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offboardDue } from "../../src/cli/offboard-due.js";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import {
  findOpenOffboarding,
  getOffboarding,
  scheduleOffboarding,
} from "../../src/db/repositories/offboardings.js";
import { leaverEvents } from "../../src/db/schema.js";
import { hrSignatureHeaders } from "../../src/http/hr-signature.js";
import { addDays, localDateOf, zonedInstant } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION } from "../../src/slack/ids.js";
import { fakeTerminal } from "../cli/support.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const SECRET = "hr-webhook-secret-for-tests-0123";
let s: TestStory;
beforeAll(async () => {
  s = await startTestStory({ catchUp: false, env: { HR_WEBHOOK_SECRET: SECRET } });
});
afterAll(async () => {
  await s.close();
});

const url = () => `${s.gatehouse.http.url}/webhooks/hr`;
const person = (local: string) => {
  const p = s.doorflow.sandbox.state.people.find((x) => x.email === `${local}@harbourside.example`);
  if (!p) throw new Error(`no sandbox person ${local}`);
  return p;
};
const today = () => localDateOf(new Date(), s.gatehouse.timeZone);

async function post(body: string, headers: Record<string, string>) {
  const res = await request(url(), {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function send(event: Record<string, unknown>) {
  const body = JSON.stringify(event);
  const answer = await post(body, hrSignatureHeaders(SECRET, body));
  await s.gatehouse.idle();
  return answer;
}

const securityPosts = () =>
  s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.security);
const rows = () => s.gatehouse.db.select().from(leaverEvents).all();
const writes = () => s.doorflow.sandbox.calls.filter((c) => c.method !== "GET");

describe("POST /webhooks/hr", () => {
  it("offboards a terminated employee without a last day now: disabled, synced, audited as hr, told once", async () => {
    const amelia = person("amelia.hart");
    const syncsBefore = s.doorflow.sandbox.calls.filter((c) => c.path === "/api/3/sync").length;
    const postsBefore = securityPosts().length;

    const answer = await send({
      id: "evt_1001",
      type: "employee.terminated",
      email: "Amelia.Hart@harbourside.example",
      name: "Amelia Hart",
    });

    expect(answer).toEqual({ status: 202, json: { ok: true, id: "evt_1001" } });
    expect(amelia.enabled).toBe(false);
    expect(s.doorflow.sandbox.calls.filter((c) => c.path === "/api/3/sync").length).toBeGreaterThan(
      syncsBefore,
    );
    const audit = listAuditFor(s.gatehouse.db, { doorflowPersonId: amelia.id });
    expect(audit.find((a) => a.action === "offboard.completed")).toMatchObject({
      actor: "hr",
      details: expect.objectContaining({ reason: "hr", verified: true }),
    });
    expect(audit.find((a) => a.action === "leaver.hr.terminated")).toMatchObject({
      actor: "hr",
      details: expect.objectContaining({ eventId: "evt_1001", state: "offboarded" }),
    });
    const posts = securityPosts().slice(postsBefore);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.args)).toContain("HR: Amelia Hart offboarded");
    expect(JSON.stringify(posts[0]?.args)).toContain("evt_1001");
    expect(JSON.stringify(s.slack.messages(CHANNELS.facilities).at(-1))).toContain("40010001");
    expect(rows().find((r) => r.externalId === "evt_1001")).toMatchObject({ state: "offboarded" });

    // The relay re-sends it (a timeout on its side): recognised, nothing done twice.
    const writesBefore = writes().length;
    const again = await send({
      id: "evt_1001",
      type: "employee.terminated",
      email: "amelia.hart@harbourside.example",
    });
    expect(again).toEqual({ status: 200, json: { ok: true, duplicate: true, id: "evt_1001" } });
    expect(writes()).toHaveLength(writesBefore);
    expect(securityPosts().slice(postsBefore)).toHaveLength(1);
    expect(rows().filter((r) => r.externalId === "evt_1001")).toHaveLength(1);
  });

  it("schedules a future last day at the first OFFBOARD_CRON run that day, which the dry run then lists", async () => {
    const oliver = person("oliver.bennett");
    const lastDay = addDays(today(), 3);
    const answer = await send({
      id: "evt_1002",
      type: "employee.terminated",
      email: "oliver.bennett@harbourside.example",
      last_day: lastDay,
    });
    expect(answer.status).toBe(202);
    expect(oliver.enabled).toBe(true);
    const scheduled = findOpenOffboarding(s.gatehouse.db, oliver.id);
    expect(scheduled).toMatchObject({ reason: "hr", requestedBy: "hr", lastDay, status: "scheduled" });
    expect(scheduled?.dueAt.toISOString()).toBe(
      zonedInstant(lastDay, "17:00", s.gatehouse.timeZone).toISOString(),
    );
    expect(JSON.stringify(securityPosts().at(-1)?.args)).toContain("scheduled for offboarding");

    const dueAt = scheduled?.dueAt ?? new Date();
    const dryRun = async (at: Date) => {
      const io = fakeTerminal();
      expect(await offboardDue({ io, env: s.env }, { dryRun: true, now: () => at })).toBe(0);
      return io.text();
    };
    const dayBefore = await dryRun(new Date(dueAt.getTime() - 86_400_000));
    expect(dayBefore).not.toMatch(/Due now \(\d+\)[^]*Oliver Bennett/);
    const onTheDay = await dryRun(new Date(dueAt.getTime() + 60_000));
    expect(onTheDay).toMatch(/Due now \(\d+\)[^]*Oliver Bennett <oliver.bennett@harbourside.example>/);
    expect(oliver.enabled).toBe(true);

    // HR takes it back: the schedule goes, the person keeps their access.
    const cancel = await send({
      id: "evt_1003",
      type: "employee.termination_cancelled",
      email: "oliver.bennett@harbourside.example",
    });
    expect(cancel.status).toBe(202);
    expect(findOpenOffboarding(s.gatehouse.db, oliver.id)).toBeUndefined();
    expect(getOffboarding(s.gatehouse.db, scheduled?.id ?? 0)?.status).toBe("cancelled");
    expect(await dryRun(new Date(dueAt.getTime() + 60_000))).not.toContain("Oliver Bennett");
    expect(JSON.stringify(securityPosts().at(-1)?.args)).toContain("termination of");
    expect(
      listAuditFor(s.gatehouse.db, { doorflowPersonId: oliver.id }).map((a) => [a.actor, a.action]),
    ).toEqual(
      expect.arrayContaining([
        ["hr", "offboard.scheduled"],
        ["hr", "offboard.cancelled"],
      ]),
    );
  });

  it("never moves an earlier offboarding later, and a cancel restores the earlier one HR moved", async () => {
    const sam = person("sam.lee");
    const { db } = s.gatehouse;
    const early = addDays(today(), 2);
    await send({
      id: "evt_1010",
      type: "employee.terminated",
      email: "sam.lee@harbourside.example",
      last_day: early,
    });
    const first = findOpenOffboarding(db, sam.id);
    await send({
      id: "evt_1011",
      type: "employee.terminated",
      email: "sam.lee@harbourside.example",
      last_day: addDays(today(), 9),
    });
    expect(findOpenOffboarding(db, sam.id)).toMatchObject({ id: first?.id, lastDay: early });
    expect(rows().find((r) => r.externalId === "evt_1011")?.detail).toContain("Already due earlier");

    // An operator's later date is moved earlier by HR; HR's cancel puts the operator's date back.
    const hannah = person("hannah.price");
    const operatorDay = addDays(today(), 20);
    scheduleOffboarding(
      db,
      {
        doorflowPersonId: hannah.id,
        personName: "Hannah Price",
        email: "hannah.price@harbourside.example",
        reason: "scheduled",
        lastDay: operatorDay,
        dueAt: s.gatehouse.deps.settings.offboardingDueAt(operatorDay),
        requestedBy: CAST.operator.id,
      },
      new Date(),
    );
    await send({
      id: "evt_1012",
      type: "employee.terminated",
      email: "hannah.price@harbourside.example",
      last_day: early,
    });
    expect(findOpenOffboarding(db, hannah.id)).toMatchObject({ reason: "hr", lastDay: early });
    await send({
      id: "evt_1013",
      type: "employee.termination_cancelled",
      email: "hannah.price@harbourside.example",
    });
    expect(findOpenOffboarding(db, hannah.id)).toMatchObject({
      reason: "scheduled",
      lastDay: operatorDay,
      requestedBy: CAST.operator.id,
    });
  });

  it("refuses forged, stale and unsigned requests with 401, recording and writing nothing", async () => {
    const recorded = rows().length;
    const before = writes().length;
    const body = JSON.stringify({
      id: "evt_forged",
      type: "employee.terminated",
      email: "grace.okafor@harbourside.example",
    });
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      hrSignatureHeaders("not-the-secret-at-all-0000", body),
      hrSignatureHeaders(SECRET, body, now - 301),
      hrSignatureHeaders(SECRET, body, now + 400),
      { "x-gatehouse-timestamp": String(now) },
      {},
      { ...hrSignatureHeaders(SECRET, body), "x-gatehouse-signature": "v1=zz" },
      // Signed for another body: the signature covers every byte.
      hrSignatureHeaders(SECRET, body.replace("grace", "graze")),
    ];
    for (const headers of attempts) {
      const answer = await post(body, headers);
      expect(answer).toEqual({ status: 401, json: { error: "unauthorized" } });
    }
    await s.gatehouse.idle();
    expect(rows()).toHaveLength(recorded);
    expect(writes()).toHaveLength(before);
    expect(person("grace.okafor").enabled).toBe(true);
  });

  it("says what is wrong with a signed body that is not an HR event, and refuses one over 64 KB", async () => {
    const recorded = rows().length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ id: "x", type: "employee.hired", email: "a@b.example" }, "type: one of employee.terminated"],
      [{ id: "x", type: "employee.terminated", email: "not an email" }, "email: an email address"],
      [{ id: "x", type: "employee.terminated", email: "a@b.example", last_day: "31/12/2027" }, "last_day"],
      [{ type: "employee.terminated", email: "a@b.example" }, "id"],
      [
        { id: "x", type: "employee.terminated", email: "a@b.example", extra: 1 },
        "Unexpected field(s): extra",
      ],
    ];
    for (const [event, problem] of cases) {
      const answer = await send(event);
      expect(answer.status).toBe(400);
      expect(String(answer.json.error)).toContain(problem);
    }
    const notJson = "{not json";
    expect(await post(notJson, hrSignatureHeaders(SECRET, notJson))).toEqual({
      status: 400,
      json: { error: "The body is not JSON." },
    });
    const big = JSON.stringify({
      id: "big",
      type: "employee.terminated",
      email: "a@b.example",
      name: "x".repeat(70_000),
    });
    expect((await post(big, hrSignatureHeaders(SECRET, big))).status).toBe(413);
    expect(rows()).toHaveLength(recorded);
  });

  it("alerts once naming the email when nobody has it, and lists candidates with Offboard buttons when several do", async () => {
    const postsBefore = securityPosts().length;
    await send({ id: "evt_1020", type: "employee.terminated", email: "nobody.here@harbourside.example" });
    const missing = securityPosts().slice(postsBefore);
    expect(missing).toHaveLength(1);
    expect(JSON.stringify(missing[0]?.args)).toContain("nobody.here@harbourside.example");
    expect(rows().find((r) => r.externalId === "evt_1020")?.state).toBe("not_found");

    const priya = person("priya.shah");
    const twin = {
      ...priya,
      id: s.doorflow.sandbox.state.nextIds.person++,
      firstName: "Pri",
      systemId: null,
    };
    s.doorflow.sandbox.state.people.push(twin);
    await send({ id: "evt_1021", type: "employee.terminated", email: "priya.shah@harbourside.example" });
    const alert = securityPosts().at(-1);
    const json = JSON.stringify(alert?.args);
    expect(json).toContain("2 DoorFlow people have priya.shah@harbourside.example");
    expect(json).toContain(`"value":"${priya.id}"`);
    expect(json).toContain(`"value":"${twin.id}"`);
    expect(json).toContain(ACTION.offboardNow);
    expect(priya.enabled).toBe(true);
    expect(twin.enabled).toBe(true);

    // An operator picks one: the ordinary "Offboard now" (authorised on the click).
    const message = s.slack.messages(CHANNELS.security).at(-1);
    await s.driver.blockAction({
      userId: CAST.requester.id,
      actionId: ACTION.offboardNow,
      value: String(twin.id),
      message: { ts: message?.ts ?? "", channel: CHANNELS.security },
    });
    await s.gatehouse.idle();
    expect(twin.enabled).toBe(true);
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardNow,
      value: String(twin.id),
      message: { ts: message?.ts ?? "", channel: CHANNELS.security },
    });
    await s.gatehouse.idle();
    expect(twin.enabled).toBe(false);
    expect(priya.enabled).toBe(true);
  });

  it("shows operators the last leavers and their state on App Home, and nobody else", async () => {
    const home = async (userId: string) => {
      const before = s.slack.callsTo("views.publish").length;
      await s.driver.event({ type: "app_home_opened", user: userId, tab: "home" });
      const deadline = Date.now() + 5_000;
      while (s.slack.callsTo("views.publish").length === before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return JSON.stringify(s.slack.callsTo("views.publish").at(-1)?.args);
    };
    const operator = await home(CAST.operator.id);
    expect(operator).toContain("Leavers detected");
    expect(operator).toContain("several DoorFlow people: operators choose*  priya.shah@harbourside.example");
    expect(operator).toContain("scheduled*");
    // Eight are shown; Amelia's, the first, is among the earlier ones counted.
    expect(operator).not.toContain("Amelia Hart");
    expect(operator).toMatch(/and \d+ earlier; the audit trail has every one/);
    expect(operator).toContain("not found in DoorFlow*  nobody.here@harbourside.example");
    expect(operator).toContain("cancelled by HR");
    expect(await home(CAST.requester.id)).not.toContain("Leavers detected");
  });

  it("accepts an event sent by the README's signer", async () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const code = /<!-- hr-signer -->\s*```js\n([^]*?)```/.exec(readme)?.[1];
    expect(code).toContain("createHmac");
    const dir = mkdtempSync(join(tmpdir(), "hr-signer-"));
    const script = join(dir, "hr-send.mjs");
    writeFileSync(script, code ?? "");
    const body = JSON.stringify({
      id: "evt_readme",
      type: "employee.terminated",
      email: "jack.robinson@harbourside.example",
    });
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [script, url(), body],
        { env: { ...process.env, HR_WEBHOOK_SECRET: SECRET } },
        (error, stdout) => resolve({ code: error ? (error.code as number) : 0, out: stdout }),
      );
    });
    rmSync(dir, { recursive: true, force: true });
    expect(run).toMatchObject({ code: 0 });
    expect(run.out).toContain("202");
    await s.gatehouse.idle();
    expect(rows().find((r) => r.externalId === "evt_readme")?.state).toBe("offboarded");
  });
});
