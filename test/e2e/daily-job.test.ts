/**
 * The daily job with a fixed clock: an offboarding falls due at the first OFFBOARD_CRON run on the
 * last day in the account zone (across the 2027 daylight-saving changes, in New York and in a zone
 * east of UTC), a missed run is caught up at start, two processes on one database offboard each
 * person once, and a DoorFlow failure is alerted once and resolved by a later success.
 */
import { afterEach, describe, expect, it } from "vitest";
import { listOpenAlerts } from "../../src/db/repositories/alerts.js";
import { findOffboardingForRequest } from "../../src/db/repositories/offboardings.js";
import { webhookDeliveries } from "../../src/db/schema.js";
import { nextCronRun } from "../../src/jobs/schedule.js";
import { addDays } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION } from "../../src/slack/ids.js";
import { provisionContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const stories: TestStory[] = [];
afterEach(async () => {
  for (const s of stories.splice(0).reverse()) await s.close();
});

interface Clock {
  now: () => Date;
  set(iso: string): void;
}

function clock(iso: string): Clock {
  let at = new Date(iso).getTime();
  return { now: () => new Date(at), set: (next) => void (at = new Date(next).getTime()) };
}

async function story(
  c: Clock,
  zone: string,
  extra: Parameters<typeof startTestStory>[0] = {},
): Promise<TestStory> {
  const s = await startTestStory({
    now: c.now,
    catchUp: false,
    doorflow: { timeZone: zone, now: c.now(), ticking: false },
    env: { ACCOUNT_TIMEZONE: zone },
    doorflowRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 500 },
    ...extra,
  });
  stories.push(s);
  return s;
}

let cards = 0;

async function provision(s: TestStory, c: Clock, email: string, start: string, end: string): Promise<string> {
  s.doorflow.sandbox.clock.set(c.now());
  return provisionContractor(s, {
    firstName: "Dee",
    lastName: email.split("@")[0] ?? "",
    email,
    company: "Due Co",
    groupIds: [5122],
    startDate: start,
    endDate: end,
    credential: "card",
    cardNumber: String(60000000 + ++cards),
  });
}

async function runAt(s: TestStory, c: Clock, iso: string): Promise<void> {
  c.set(iso);
  s.doorflow.sandbox.clock.set(c.now());
  await s.gatehouse.runDaily();
  await s.gatehouse.idle();
}

describe("the daily offboarding job", () => {
  it.each([
    // New York: EDT starts on 14 March 2027 (17:00 is 21:00Z), ends on 7 November (17:00 is 22:00Z).
    [
      "America/New_York",
      "2027-03-10T15:00:00Z",
      "2027-03-14",
      "2027-03-14T20:59:00Z",
      "2027-03-14T21:00:00Z",
    ],
    [
      "America/New_York",
      "2027-11-02T15:00:00Z",
      "2027-11-07",
      "2027-11-07T21:59:00Z",
      "2027-11-07T22:00:00Z",
    ],
    // Sydney, east of UTC: daylight saving ends on 4 April 2027 (17:00 AEST is 07:00Z).
    [
      "Australia/Sydney",
      "2027-03-30T01:00:00Z",
      "2027-04-04",
      "2027-04-04T06:59:00Z",
      "2027-04-04T07:00:00Z",
    ],
  ])(
    "in %s a contract ending on %s is offboarded at 17:00 local, not before",
    async (zone, start, lastDay, before, at) => {
      const c = clock(start);
      const s = await story(c, zone);
      const startDay = new Date(start).toLocaleDateString("en-CA", { timeZone: zone });
      const id = await provision(
        s,
        c,
        `dst.${zone.split("/")[1]?.toLowerCase()}@due.example`,
        startDay,
        lastDay,
      );
      expect(findOffboardingForRequest(s.gatehouse.db, id)?.dueAt.toISOString()).toBe(
        new Date(at).toISOString(),
      );
      const person = s.doorflow.sandbox.personBySystemId(id);
      expect(person?.enabled).toBe(true);

      await runAt(s, c, before);
      expect(s.doorflow.sandbox.personBySystemId(id)?.enabled).toBe(true);
      await runAt(s, c, at);
      expect(s.doorflow.sandbox.personBySystemId(id)?.enabled).toBe(false);
      expect(s.doorflow.sandbox.state.people.filter((p) => p.systemId === id)).toHaveLength(1);
      const card = s.slack.callsTo("chat.postMessage").filter((m) => m.args.channel === CHANNELS.facilities);
      expect(card).toHaveLength(1);
      // The croner schedule, read in the account zone, fires at that same instant.
      expect(nextCronRun("0 17 * * *", zone, new Date(new Date(at).getTime() - 60_000))?.toISOString()).toBe(
        new Date(at).toISOString(),
      );
    },
  );

  it("catches up a run missed while the bot was down, at start", async () => {
    const c = clock("2027-06-01T09:00:00Z");
    const first = await story(c, "Europe/London");
    const id = await provision(first, c, "missed.run@due.example", "2027-06-01", "2027-06-03");
    await first.stopBot();
    // The bot was down over the 17:00 run on 3 June; it comes back the next morning.
    c.set("2027-06-04T08:00:00Z");
    first.doorflow.sandbox.clock.set(c.now());
    const second = await story(c, "Europe/London", {
      sandbox: first.doorflow,
      slack: first.slack,
      databaseFile: first.databaseFile,
      catchUp: true,
    });
    await new Promise((r) => setTimeout(r, 50));
    await second.gatehouse.idle();
    expect(first.doorflow.sandbox.personBySystemId(id)?.enabled).toBe(false);
    // No open offboarding is left for the request: it completed.
    expect(findOffboardingForRequest(second.gatehouse.db, id)).toBeUndefined();
  });

  it("forgets webhook delivery ids after 30 days, in the daily run", async () => {
    const c = clock("2027-06-01T09:00:00Z");
    const s = await story(c, "Europe/London");
    const day = 24 * 3600_000;
    const at = (daysAgo: number) => new Date(c.now().getTime() - daysAgo * day);
    for (const [deliveryId, daysAgo] of [
      ["dlv-40-days", 40],
      ["dlv-31-days", 31],
      ["dlv-29-days", 29],
      ["dlv-today", 0],
    ] as const) {
      s.gatehouse.db
        .insert(webhookDeliveries)
        .values({ deliveryId, event: "passes.permits.issued", receivedAt: at(daysAgo), status: "processed" })
        .run();
    }
    await s.gatehouse.runDaily();
    const left = s.gatehouse.db.select({ id: webhookDeliveries.deliveryId }).from(webhookDeliveries).all();
    expect(left.map((r) => r.id).sort()).toEqual(["dlv-29-days", "dlv-today"]);
    expect(
      s.logLines.some((l) => l.includes("daily run finished") && l.includes('"deliveriesPruned":2')),
    ).toBe(true);
  });

  it("offboards each person once when two processes run the job at once on one database", async () => {
    const c = clock("2027-06-01T09:00:00Z");
    const a = await story(c, "Europe/London");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(await provision(a, c, `twin${i}@due.example`, "2027-06-01", "2027-06-02"));
    const b = await story(c, "Europe/London", {
      sandbox: a.doorflow,
      slack: a.slack,
      databaseFile: a.databaseFile,
    });
    c.set("2027-06-02T16:05:00Z");
    a.doorflow.sandbox.clock.set(c.now());
    const disablesBefore = a.doorflow.sandbox.calls.filter((x) => x.method === "PUT").length;
    await Promise.all([a.gatehouse.runDaily(), b.gatehouse.runDaily()]);
    await Promise.all([a.gatehouse.idle(), b.gatehouse.idle()]);
    for (const id of ids) expect(a.doorflow.sandbox.personBySystemId(id)?.enabled).toBe(false);
    const disables = a.doorflow.sandbox.calls.filter((x) => x.method === "PUT").length - disablesBefore;
    expect(disables).toBe(ids.length);
    const reminders = a.slack
      .callsTo("chat.postMessage")
      .filter((m) => m.args.channel === CHANNELS.facilities);
    expect(reminders).toHaveLength(ids.length);
  });

  it("alerts a DoorFlow failure once, retries with backoff, and resolves the alert on success", async () => {
    const c = clock("2027-06-01T09:00:00Z");
    const s = await story(c, "Europe/London");
    const id = await provision(s, c, "flaky.end@due.example", "2027-06-01", "2027-06-02");
    const person = s.doorflow.sandbox.personBySystemId(id);
    const remove = s.doorflow.sandbox.faults.add({
      method: "PUT",
      path: `/api/3/people/${person?.id}`,
      status: 503,
      body: { error: "unavailable" },
    });
    const alerts = () =>
      s.slack.callsTo("chat.postMessage").filter((m) => m.args.channel === CHANNELS.security);

    await runAt(s, c, "2027-06-02T16:00:00Z");
    expect(alerts()).toHaveLength(1);
    expect(JSON.stringify(alerts()[0]?.args)).toContain("flaky.end@due.example");
    expect(JSON.stringify(alerts()[0]?.args)).toContain(ACTION.retry);
    expect(findOffboardingForRequest(s.gatehouse.db, id)?.status).toBe("failed");
    // Within the backoff nothing is tried; after it, a failing attempt alerts no more.
    await runAt(s, c, "2027-06-02T16:03:00Z");
    expect(findOffboardingForRequest(s.gatehouse.db, id)?.attempts).toBe(1);
    await runAt(s, c, "2027-06-02T16:06:00Z");
    expect(findOffboardingForRequest(s.gatehouse.db, id)?.attempts).toBe(2);
    expect(alerts()).toHaveLength(1);

    remove();
    await runAt(s, c, "2027-06-02T16:30:00Z");
    expect(s.doorflow.sandbox.personBySystemId(id)?.enabled).toBe(false);
    expect(alerts()).toHaveLength(1);
    const resolved = s.slack.callsTo("chat.update").filter((m) => m.args.channel === CHANNELS.security);
    expect(JSON.stringify(resolved.at(-1)?.args)).toContain("Resolved");
    expect(listOpenAlerts(s.gatehouse.db).filter((a) => a.kind === "offboarding_failed")).toHaveLength(0);
  });

  it("reminds the requester 7 days and 1 day before the end, once each, with Extend", async () => {
    const c = clock("2027-06-01T09:00:00Z");
    const s = await story(c, "Europe/London");
    await provision(s, c, "remind.me@due.example", "2027-06-01", addDays("2027-06-01", 10));
    const reminders = () =>
      s.slack
        .callsTo("chat.postMessage")
        .filter(
          (m) => m.args.channel === CAST.requester.id && JSON.stringify(m.args).includes(ACTION.extend),
        );
    await runAt(s, c, "2027-06-04T16:00:00Z");
    await runAt(s, c, "2027-06-04T16:30:00Z");
    expect(reminders()).toHaveLength(1);
    await runAt(s, c, "2027-06-10T16:00:00Z");
    expect(reminders()).toHaveLength(2);
  });
  it("retries a failed offboarding on its backoff from the few-minute tick, not only at the next daily run", async () => {
    const c = clock("2027-06-01T09:00:00Z");
    const s = await story(c, "Europe/London");
    const id = await provision(s, c, "tick.retry@due.example", "2027-06-01", "2027-06-02");
    const person = s.doorflow.sandbox.personBySystemId(id);
    const remove = s.doorflow.sandbox.faults.add({
      method: "PUT",
      path: `/api/3/people/${person?.id}`,
      status: 503,
      body: { error: "unavailable" },
    });
    await runAt(s, c, "2027-06-02T16:00:00Z");
    expect(s.doorflow.sandbox.personBySystemId(id)?.enabled).toBe(true);
    remove();
    // Within the 5-minute backoff the tick leaves it; after it, the tick offboards.
    c.set("2027-06-02T16:03:00Z");
    await s.gatehouse.housekeeping();
    await s.gatehouse.idle();
    expect(s.doorflow.sandbox.personBySystemId(id)?.enabled).toBe(true);
    c.set("2027-06-02T16:06:00Z");
    s.doorflow.sandbox.clock.set(c.now());
    await s.gatehouse.housekeeping();
    await s.gatehouse.idle();
    expect(s.doorflow.sandbox.personBySystemId(id)?.enabled).toBe(false);
  });
});
