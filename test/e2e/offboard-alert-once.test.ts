/**
 * One alert per failed person-offboarding, whatever path found the failure: a bulk list, "Offboard
 * now" or the job. The job's retries do not alert again, and a later success, by the job or by hand,
 * edits that one alert to say it is resolved. A bulk line that never became an offboarding (DoorFlow could
 * not be searched for the email) is still reported in the bulk run's own alert.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findOpenOffboarding } from "../../src/db/repositories/offboardings.js";
import type { StoredMessage } from "../../tools/sandbox/slack/types.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, bulkEmailsField, CALLBACK } from "../../src/slack/ids.js";
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

const person = (local: string) => {
  const p = s.doorflow.sandbox.state.people.find((x) => x.email === `${local}@harbourside.example`);
  if (!p) throw new Error(`no sandbox person ${local}`);
  return p;
};

const failPut = (personId: number) =>
  s.doorflow.sandbox.faults.add({ method: "PUT", path: `/api/3/people/${personId}`, status: 500 });

/** Security-channel messages that name this email (posted once each; edits change them in place). */
const alertsAbout = (email: string): StoredMessage[] =>
  s.slack.messages(CHANNELS.security).filter((m) => JSON.stringify(m).includes(email));

/** Moves Gatehouse's clock past the offboarding's backoff and runs the few-minute tick. */
async function retryTick(personId: number): Promise<void> {
  const next = findOpenOffboarding(s.gatehouse.db, personId)?.nextAttemptAt ?? now();
  offsetMs = Math.max(offsetMs, next.getTime() - Date.now() + 60_000);
  await s.gatehouse.housekeeping();
  await s.gatehouse.idle();
}

async function bulk(...emails: string[]): Promise<void> {
  const f = bulkEmailsField(1);
  await s.driver.viewSubmission({
    userId: CAST.operator.id,
    callbackId: CALLBACK.offboardBulk,
    values: { [f.block]: { [f.action]: { type: "plain_text_input", value: emails.join("\n") } } },
  });
  await s.gatehouse.idle();
}

describe("a failed offboarding is alerted once", () => {
  it("from a bulk list, not again by the job's retries, and resolved when the job succeeds", async () => {
    const noah = person("noah.fraser");
    const removeFault = failPut(noah.id);
    await bulk("noah.fraser@harbourside.example", "sofia.rossi@harbourside.example");
    expect(person("sofia.rossi").enabled).toBe(false);
    expect(alertsAbout("noah.fraser@harbourside.example")).toHaveLength(1);

    await retryTick(noah.id);
    await retryTick(noah.id);
    expect(noah.enabled).toBe(true);
    expect(alertsAbout("noah.fraser@harbourside.example")).toHaveLength(1);

    removeFault();
    await retryTick(noah.id);
    expect(noah.enabled).toBe(false);
    const [alert] = alertsAbout("noah.fraser@harbourside.example");
    expect(alert?.text).toMatch(/^Resolved/);
    expect(JSON.stringify(alert?.blocks)).not.toContain(ACTION.retry);
  });

  it("from Offboard now, resolved when the operator's next Offboard now succeeds", async () => {
    const aisha = person("aisha.begum");
    const removeFault = failPut(aisha.id);
    const click = () =>
      s.driver
        .blockAction({ userId: CAST.operator.id, actionId: ACTION.offboardNow, value: String(aisha.id) })
        .then(() => s.gatehouse.idle());
    await click();
    expect(aisha.enabled).toBe(true);
    expect(alertsAbout("aisha.begum@harbourside.example")).toHaveLength(1);
    await retryTick(aisha.id);
    expect(alertsAbout("aisha.begum@harbourside.example")).toHaveLength(1);

    removeFault();
    await click();
    expect(aisha.enabled).toBe(false);
    const alerts = alertsAbout("aisha.begum@harbourside.example");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toMatch(/^Resolved/);
  });

  it("keeps a bulk line that never became an offboarding in the bulk run's own alert", async () => {
    s.doorflow.sandbox.faults.add({
      method: "GET",
      path: "/api/3/people",
      status: 503,
      times: 10,
    });
    await bulk("hannah.price@harbourside.example");
    const grouped = s.slack
      .messages(CHANNELS.security)
      .filter((m) => m.text.startsWith("Bulk offboarding") && JSON.stringify(m).includes("hannah.price"));
    expect(grouped).toHaveLength(1);
    expect(person("hannah.price").enabled).toBe(true);
  });
});
