/**
 * Offboarding a DoorFlow contractor ends their access request, whichever path offboards them
 * (Offboard now, bulk, the daily job, the CLI): the request is `ended`, "Show PIN" answers that the
 * access has ended instead of reading the PIN back, and App Home and `/contractor status` stop
 * saying active. Show PIN also checks the person Gatehouse manages, so a request left active by an
 * older version does not give a PIN away either.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { findManagedByRequest, markOffboarded } from "../../src/db/repositories/managed-people.js";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import { findOffboardingForRequest, getOffboarding } from "../../src/db/repositories/offboardings.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, bulkEmailsField, CALLBACK } from "../../src/slack/ids.js";
import { fakeTerminal } from "../cli/support.js";
import { provisionContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
beforeAll(async () => {
  s = await startTestStory({ now, catchUp: false });
});
afterAll(async () => {
  await s.close();
});

const today = () => localDateOf(now(), s.gatehouse.timeZone);

const contractor = (local: string, endInDays = 10) =>
  provisionContractor(s, {
    firstName: "Pat",
    lastName: local,
    email: `${local}@ending.example`,
    company: "Ending Ltd",
    groupIds: [5121],
    startDate: today(),
    endDate: addDays(today(), endInDays),
    credential: "card",
    cardNumber: String(88_000_000 + local.length * 1000 + local.charCodeAt(0)),
  });

const personOf = (id: string) => {
  const p = s.doorflow.sandbox.personBySystemId(id);
  if (!p) throw new Error(`no DoorFlow person for ${id}`);
  return p;
};

/** The requester clicks Show PIN in their direct message; returns what they were answered. */
async function showPin(id: string): Promise<{ answer: string; pinShown: boolean }> {
  const views = s.slack.callsTo("views.open").length;
  const answers = s.slack.callsTo("response_url").length;
  await s.driver.blockAction({
    userId: CAST.requester.id,
    actionId: ACTION.showPin,
    value: id,
    message: { ts: "1.1", channel: CAST.requester.id },
  });
  await s.gatehouse.idle();
  const opened = s.slack.callsTo("views.open").slice(views);
  return {
    answer: JSON.stringify(s.slack.callsTo("response_url").slice(answers).at(-1)?.args.text ?? ""),
    pinShown: opened.some((c) => JSON.stringify(c.args).includes("pin_view")),
  };
}

async function status(email: string): Promise<string> {
  const before = s.slack.callsTo("response_url").length;
  await s.driver.command({ command: "/contractor", text: `status ${email}`, userId: CAST.requester.id });
  await s.gatehouse.idle();
  return JSON.stringify(s.slack.callsTo("response_url").slice(before).at(-1)?.args);
}

async function offboardNow(id: string): Promise<void> {
  await s.driver.blockAction({
    userId: CAST.operator.id,
    actionId: ACTION.offboardNow,
    value: String(personOf(id).id),
  });
  await s.gatehouse.idle();
}

async function expectEnded(id: string, email: string): Promise<void> {
  expect(personOf(id).enabled).toBe(false);
  expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("ended");
  const shown = await showPin(id);
  expect(shown.pinShown).toBe(false);
  expect(shown.answer).toContain("access has ended");
  const said = await status(email);
  expect(said).toContain("*ended*");
  expect(said).not.toContain("*active*");
}

describe("offboarding ends the access request", () => {
  it("by Offboard now: Show PIN, App Home and /contractor status say the access has ended", async () => {
    const id = await contractor("now");
    expect((await showPin(id)).pinShown).toBe(true);
    await offboardNow(id);
    await expectEnded(id, "now@ending.example");
    await s.driver.event({ type: "app_home_opened", user: CAST.requester.id, tab: "home" });
    await s.gatehouse.idle();
    const home = s.slack
      .callsTo("views.publish")
      .filter((c) => c.args.user_id === CAST.requester.id)
      .at(-1);
    const rows = JSON.stringify(home?.args);
    expect(rows).toMatch(/\*Pat now\* \(Ending Ltd\)[^•]*— ended/);
  });

  it("by a bulk list", async () => {
    const id = await contractor("bulk");
    const f = bulkEmailsField(1);
    await s.driver.viewSubmission({
      userId: CAST.operator.id,
      callbackId: CALLBACK.offboardBulk,
      values: { [f.block]: { [f.action]: { type: "plain_text_input", value: "bulk@ending.example" } } },
    });
    await s.gatehouse.idle();
    await expectEnded(id, "bulk@ending.example");
  });

  it("by the daily job at the contract's end", async () => {
    const id = await contractor("daily", 0);
    const due = findOffboardingForRequest(s.gatehouse.db, id)?.dueAt ?? now();
    offsetMs = Math.max(offsetMs, due.getTime() - Date.now() + 60_000);
    await s.gatehouse.runDaily();
    await s.gatehouse.idle();
    await expectEnded(id, "daily@ending.example");
  });

  it("by the operator CLI", async () => {
    const id = await contractor("cli");
    const t = fakeTerminal();
    expect(await runCli(["offboard", "cli@ending.example"], { io: t, env: s.env })).toBe(0);
    await expectEnded(id, "cli@ending.example");
  });

  it("Show PIN checks the managed person too, for a request an older version left active", async () => {
    const id = await contractor("legacy");
    const managed = findManagedByRequest(s.gatehouse.db, id);
    markOffboarded(s.gatehouse.db, managed?.id ?? 0, now());
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("active");
    const shown = await showPin(id);
    expect(shown.pinShown).toBe(false);
    expect(shown.answer).toContain("access has ended");
  });
});

describe("the operator CLI's offboard", () => {
  it("closes the scheduled offboarding like Offboard now: the job does not offboard them again", async () => {
    const id = await contractor("once", 0);
    const open = findOffboardingForRequest(s.gatehouse.db, id);
    expect(open?.status).toBe("scheduled");
    expect(await runCli(["offboard", "once@ending.example"], { io: fakeTerminal(), env: s.env })).toBe(0);
    expect(findOffboardingForRequest(s.gatehouse.db, id)).toBeUndefined();
    expect(getOffboarding(s.gatehouse.db, open?.id ?? 0)?.status).toBe("completed");

    offsetMs = Math.max(offsetMs, (open?.dueAt ?? now()).getTime() - Date.now() + 60_000);
    await s.gatehouse.runDaily();
    await s.gatehouse.idle();
    const person = personOf(id);
    const completed = listAuditFor(s.gatehouse.db, { doorflowPersonId: person.id }).filter(
      (e) => e.action === "offboard.completed",
    );
    expect(completed.map((e) => e.actor)).toEqual(["cli"]);
    const card = getAccessRequest(s.gatehouse.db, id)?.cardNumber ?? "";
    const reminders = s.slack.messages(CHANNELS.facilities).filter((m) => m.text.includes(card));
    expect(reminders).toHaveLength(1);
  });
});
