/**
 * The rest of the offboarding surface end to end: "Card collected" on the facilities reminder,
 * "Schedule…" a last day that the daily job then offboards, and "Retry" on a failed offboarding's
 * security alert. Gatehouse's clock is moved forward past the due time; DoorFlow's keeps real time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import { findOpenOffboarding, getOffboarding } from "../../src/db/repositories/offboardings.js";
import { addDays, localDateOf, zonedInstant } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { contractorValues } from "../helpers/forms.js";
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
const person = (email: string) => {
  const p = s.doorflow.sandbox.state.people.find((x) => x.email === email);
  if (!p) throw new Error(`no sandbox person ${email}`);
  return p;
};

async function preview(email: string) {
  await s.driver.command({ command: "/offboard", text: email, userId: CAST.operator.id });
  await s.gatehouse.idle();
  const message = s.slack
    .messages()
    .filter((m) => m.ephemeralTo === CAST.operator.id)
    .at(-1);
  return { ts: message?.ts ?? "", channel: message?.channel ?? "", json: JSON.stringify(message?.blocks) };
}

const submitLastDay = (personId: number, lastDay: string) =>
  s.driver.viewSubmission({
    userId: CAST.operator.id,
    callbackId: CALLBACK.offboardSchedule,
    privateMetadata: String(personId),
    values: {
      [FIELD.lastDay.block]: { [FIELD.lastDay.action]: { type: "datepicker", selected_date: lastDay } },
    },
  });

/** Moves Gatehouse's clock a minute past `at` and runs the daily job. */
async function runDailyAfter(at: Date): Promise<void> {
  offsetMs = Math.max(offsetMs, at.getTime() - Date.now() + 60_000);
  await s.gatehouse.runDaily();
  await s.gatehouse.idle();
}

/** The last answer shown beside a message to the one who clicked it. */
const lastEphemeral = () =>
  JSON.stringify(
    s.slack
      .callsTo("response_url")
      .filter((c) => c.args.replace_original === false)
      .at(-1)?.args,
  );

describe("offboarding follow-ups", () => {
  it("lets an operator confirm the card was collected, once, and records it", async () => {
    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.contractorRequest,
      values: contractorValues({
        ...{ firstName: "Cara", lastName: "Carder", email: "cara@cards.example", company: "Cards Ltd" },
        ...{ groupIds: [5122], startDate: today(), endDate: addDays(today(), 5) },
        ...{ credential: "card", cardNumber: "71000001" },
      }),
    });
    await s.gatehouse.idle();
    const approval = s.slack.messages(CHANNELS.approval).at(-1);
    await s.driver.blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.approve,
      message: { ts: approval?.ts ?? "", channel: CHANNELS.approval },
    });
    await s.gatehouse.idle();
    const cara = await preview("cara@cards.example");
    expect(cara.json).toContain("Yes (contractor)");
    await s.driver.blockAction({ userId: CAST.operator.id, actionId: ACTION.offboardNow, message: cara });
    await s.gatehouse.idle();
    expect(person("cara@cards.example").enabled).toBe(false);

    const reminder = s.slack.messages(CHANNELS.facilities).at(-1);
    expect(JSON.stringify(reminder?.blocks)).toContain("71000001");
    // Captured now: a second click comes from a screen that still shows the button.
    const managedId = /"value":"(\d+)"/.exec(JSON.stringify(reminder?.blocks))?.[1];
    const click = (userId: string) =>
      s.driver
        .blockAction({
          userId,
          actionId: ACTION.cardCollected,
          value: managedId,
          message: { ts: reminder?.ts ?? "", channel: CHANNELS.facilities },
        })
        .then(() => s.gatehouse.idle());

    await click(CAST.requester.id);
    expect(lastEphemeral()).toContain("Only Gatehouse operators can confirm");
    expect(JSON.stringify(reminder?.blocks)).toContain(ACTION.cardCollected);

    await click(CAST.operator.id);
    const updated = s.slack.messages(CHANNELS.facilities).find((m) => m.ts === reminder?.ts);
    expect(JSON.stringify(updated?.blocks)).toContain("Collected, confirmed by <@U0OPERATE1>");
    expect(JSON.stringify(updated?.blocks)).toContain("71000001");
    expect(JSON.stringify(updated?.blocks)).not.toContain(ACTION.cardCollected);
    const audit = listAuditFor(s.gatehouse.db, { email: "cara@cards.example" });
    expect(audit.filter((a) => a.action === "card.collected").map((a) => a.actor)).toEqual([
      CAST.operator.id,
    ]);

    await click(CAST.operator.id);
    expect(lastEphemeral()).toContain("Already confirmed by <@U0OPERATE1>");
    expect(listAuditFor(s.gatehouse.db, { email: "cara@cards.example" }).length).toBe(audit.length);
  });

  it("schedules a last day from the preview, and the daily job offboards them once it is due", async () => {
    const freya = person("freya.lindqvist@harbourside.example");
    const shown = await preview("freya.lindqvist@harbourside.example");
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardSchedule,
      message: shown,
    });
    await s.gatehouse.idle();
    const modal = s.slack.callsTo("views.open").at(-1)?.args.view as Record<string, unknown>;
    expect(modal.callback_id).toBe(CALLBACK.offboardSchedule);
    expect(modal.private_metadata).toBe(String(freya.id));
    expect(JSON.stringify(modal)).toContain("Freya Lindqvist");

    // Metadata that names no person (a forged or mangled submission) is answered on the field.
    const calls = s.doorflow.sandbox.calls.length;
    const forged = await submitLastDay(Number.NaN, addDays(today(), 1));
    expect(JSON.stringify(forged.body)).toContain("names no DoorFlow person");
    expect(s.doorflow.sandbox.calls.length).toBe(calls);

    const past = await submitLastDay(freya.id, addDays(today(), -1));
    expect(past.body).toMatchObject({ response_action: "errors" });
    expect(JSON.stringify(past.body)).toContain("cannot be in the past");
    expect(findOpenOffboarding(s.gatehouse.db, freya.id)).toBeUndefined();

    const lastDay = addDays(today(), 1);
    const ok = await submitLastDay(freya.id, lastDay);
    expect(ok.body).toBe("");
    await s.gatehouse.idle();
    const scheduled = findOpenOffboarding(s.gatehouse.db, freya.id);
    expect(scheduled?.lastDay).toBe(lastDay);
    expect(scheduled?.dueAt.toISOString()).toBe(
      zonedInstant(lastDay, "17:00", s.gatehouse.timeZone).toISOString(),
    );
    const told = s.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === CAST.operator.id)
      .at(-1);
    expect(JSON.stringify(told?.args)).toContain("will be offboarded on their last day");
    expect((await preview("freya.lindqvist@harbourside.example")).json).toContain(
      `\\"lastDay\\":\\"${lastDay}\\"`,
    );

    await s.gatehouse.runDaily();
    await s.gatehouse.idle();
    expect(freya.enabled).toBe(true);

    await runDailyAfter(scheduled?.dueAt ?? new Date());
    expect(freya.enabled).toBe(false);
    expect(getOffboarding(s.gatehouse.db, scheduled?.id ?? 0)?.status).toBe("completed");
    expect(JSON.stringify(s.slack.messages(CHANNELS.facilities).at(-1))).toContain("40010020");
  });

  it("retries a failed offboarding from its alert for operators, and the alert is resolved", async () => {
    const ibrahim = person("ibrahim.khan@harbourside.example");
    const removeFault = s.doorflow.sandbox.faults.add({
      method: "PUT",
      path: `/api/3/people/${ibrahim.id}`,
      status: 500,
    });
    expect((await submitLastDay(ibrahim.id, today())).body).toBe("");
    await s.gatehouse.idle();
    const offboarding = findOpenOffboarding(s.gatehouse.db, ibrahim.id);
    await runDailyAfter(offboarding?.dueAt ?? new Date());
    const alerts = () =>
      s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.security);
    expect(alerts()).toHaveLength(1);
    const alert = s.slack.messages(CHANNELS.security).at(-1);
    expect(JSON.stringify(alert?.blocks)).toContain(ACTION.retry);
    const retry = (userId: string) =>
      s.driver
        .blockAction({
          userId,
          actionId: ACTION.retry,
          value: String(offboarding?.id),
          message: { ts: alert?.ts ?? "", channel: CHANNELS.security },
        })
        .then(() => s.gatehouse.idle());

    await retry(CAST.requester.id);
    expect(lastEphemeral()).toContain("Only Gatehouse operators can retry");
    await retry(CAST.operator.id);
    expect(lastEphemeral()).toContain("failed again");
    expect(ibrahim.enabled).toBe(true);
    expect(alerts()).toHaveLength(1);

    removeFault();
    await retry(CAST.operator.id);
    expect(lastEphemeral()).toContain("is offboarded and checked");
    expect(ibrahim.enabled).toBe(false);
    expect(alerts()).toHaveLength(1);
    const resolved = s.slack.messages(CHANNELS.security).find((m) => m.ts === alert?.ts);
    expect(JSON.stringify(resolved?.blocks)).toContain("Resolved");
    expect(JSON.stringify(resolved?.blocks)).not.toContain(ACTION.retry);

    await retry(CAST.operator.id);
    expect(lastEphemeral()).toContain("Nothing to retry");
  });
});
