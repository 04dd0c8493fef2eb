/**
 * Who the audit trail names for an offboarding the job carries out, and why: a contract's end and a
 * scheduled last day are the job's; a bulk or "Offboard now" offboarding the job retries after a
 * failure stays the operator's, with its own reason. A refused Deny is on record like a refused
 * Approve.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditEvent, listAuditFor } from "../../src/db/repositories/audit.js";
import { findOpenOffboarding, findOffboardingForRequest } from "../../src/db/repositories/offboardings.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, bulkEmailsField, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { provisionContractor, submitContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
beforeAll(async () => {
  s = await startTestStory({
    now,
    catchUp: false,
    doorflowRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 500 },
  });
});
afterAll(async () => {
  await s.close();
});

const today = () => localDateOf(now(), s.gatehouse.timeZone);
const person = (local: string) => {
  const p = s.doorflow.sandbox.state.people.find((x) => x.email === `${local}@harbourside.example`);
  if (!p) throw new Error(`no sandbox person ${local}`);
  return p;
};

/** Moves Gatehouse's clock a minute past `at`, then runs the daily job and the few-minute tick. */
async function jobsAfter(at: Date): Promise<void> {
  offsetMs = Math.max(offsetMs, at.getTime() - Date.now() + 60_000);
  await s.gatehouse.runDaily();
  await s.gatehouse.housekeeping();
  await s.gatehouse.idle();
}

const completed = (events: AuditEvent[]) =>
  events
    .filter((e) => e.action === "offboard.completed")
    .map((e) => ({ actor: e.actor, reason: (e.details as { reason?: string } | null)?.reason }));

describe("the audit of offboardings the job carries out", () => {
  it("names the job and the contract's end for a contract ending today", async () => {
    const id = await provisionContractor(s, {
      firstName: "Enda",
      lastName: "Today",
      email: "enda.today@ends.example",
      company: "Ends Ltd",
      groupIds: [5121],
      startDate: today(),
      endDate: today(),
      credential: "mobile",
    });
    await jobsAfter(findOffboardingForRequest(s.gatehouse.db, id)?.dueAt ?? now());
    expect(completed(listAuditFor(s.gatehouse.db, { email: "enda.today@ends.example" }))).toEqual([
      { actor: "job", reason: "contract_end" },
    ]);
  });

  it("names the job and the scheduled last day for a day an operator scheduled", async () => {
    const daniel = person("daniel.evans");
    await s.driver.viewSubmission({
      userId: CAST.operator.id,
      callbackId: CALLBACK.offboardSchedule,
      privateMetadata: String(daniel.id),
      values: {
        [FIELD.lastDay.block]: { [FIELD.lastDay.action]: { type: "datepicker", selected_date: today() } },
      },
    });
    await s.gatehouse.idle();
    await jobsAfter(findOpenOffboarding(s.gatehouse.db, daniel.id)?.dueAt ?? now());
    expect(daniel.enabled).toBe(false);
    expect(completed(listAuditFor(s.gatehouse.db, { doorflowPersonId: daniel.id }))).toEqual([
      { actor: "job", reason: "scheduled" },
    ]);
  });

  it("names the operator and the bulk run for a bulk failure the job retries", async () => {
    const tomasz = person("tomasz.nowak");
    const removeFault = s.doorflow.sandbox.faults.add({
      method: "PUT",
      path: `/api/3/people/${tomasz.id}`,
      status: 500,
    });
    const f = bulkEmailsField(1);
    await s.driver.viewSubmission({
      userId: CAST.operator.id,
      callbackId: CALLBACK.offboardBulk,
      values: {
        [f.block]: { [f.action]: { type: "plain_text_input", value: "tomasz.nowak@harbourside.example" } },
      },
    });
    await s.gatehouse.idle();
    expect(tomasz.enabled).toBe(true);
    removeFault();
    const failed = findOpenOffboarding(s.gatehouse.db, tomasz.id);
    expect(failed?.status).toBe("failed");
    await jobsAfter(failed?.nextAttemptAt ?? now());
    expect(tomasz.enabled).toBe(false);
    expect(completed(listAuditFor(s.gatehouse.db, { doorflowPersonId: tomasz.id }))).toEqual([
      { actor: CAST.operator.id, reason: "bulk" },
    ]);
  });
});

describe("a refused decision", () => {
  it("is audited for Deny as for Approve", async () => {
    const request = await submitContractor(s, {
      firstName: "Den",
      lastName: "Ied",
      email: "den.ied@refused.example",
      company: "Refused Ltd",
      groupIds: [5121],
      startDate: today(),
      endDate: addDays(today(), 3),
      credential: "mobile",
    });
    for (const actionId of [ACTION.approve, ACTION.deny]) {
      await s.driver.blockAction({
        userId: CAST.stranger.id,
        actionId,
        value: request.id,
        message: { ts: request.ts, channel: CHANNELS.approval },
      });
    }
    await s.gatehouse.idle();
    expect(s.slack.callsTo("views.open")).toHaveLength(0);
    const refused = listAuditFor(s.gatehouse.db, { email: "den.ied@refused.example" })
      .filter((e) => e.action === "request.decision_refused")
      .map((e) => ({ actor: e.actor, outcome: e.outcome, details: e.details }));
    expect(refused).toEqual([
      {
        actor: CAST.stranger.id,
        outcome: "failed",
        details: { reason: "not an approver", outcome: "approve" },
      },
      {
        actor: CAST.stranger.id,
        outcome: "failed",
        details: { reason: "not an approver", outcome: "deny" },
      },
    ]);
  });
});
