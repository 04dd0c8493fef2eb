/**
 * DoorFlow failing during provisioning: a transient failure is retried later and reported once to
 * the security channel and the requester; a permanent one ends the request as failed and disables
 * the person we created, so nobody keeps access nobody asked to keep.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { provisionContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory | undefined;
let offsetMs = 0;
afterEach(async () => {
  await s?.close();
  s = undefined;
  offsetMs = 0;
});

const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 1_000 };

function approveNew(story: TestStory, email: string): Promise<string> {
  const today = localDateOf(new Date(), story.gatehouse.timeZone);
  return provisionContractor(story, {
    firstName: "Fay",
    lastName: "Lure",
    email,
    company: "Flaky Co",
    groupIds: [5123],
    startDate: today,
    endDate: addDays(today, 7),
    credential: "card",
    cardNumber: "4242",
  });
}

const securityAlerts = (story: TestStory) =>
  story.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.security);
const toldRequester = (story: TestStory) =>
  story.slack
    .callsTo("chat.postMessage")
    .filter(
      (c) => c.args.channel === CAST.requester.id && String(c.args.text).includes("could not be set up"),
    );

describe("provisioning failures", () => {
  it("retries a transient failure later, alerting once, and completes when DoorFlow recovers", async () => {
    s = await startTestStory({ doorflowRetry: FAST_RETRY, now: () => new Date(Date.now() + offsetMs) });
    const story = s;
    const removeFault = story.doorflow.sandbox.faults.add({
      method: "POST",
      path: "/api/3/group_reservations",
      status: 503,
      body: { error: "unavailable" },
    });
    const id = await approveNew(story, "fay.transient@flaky.example");
    const failed = getAccessRequest(story.gatehouse.db, id);
    expect(failed).toMatchObject({ state: "approved", step: "access" });
    expect(failed?.lastError).toContain("503");
    expect(securityAlerts(story)).toHaveLength(1);
    expect(JSON.stringify(securityAlerts(story)[0]?.args)).toContain("fay.transient@flaky.example");
    expect(toldRequester(story)).toHaveLength(1);

    offsetMs = 2 * 60_000;
    await story.gatehouse.housekeeping();
    await story.gatehouse.idle();
    expect(getAccessRequest(story.gatehouse.db, id)?.attempts).toBe(2);
    expect(securityAlerts(story)).toHaveLength(1);
    expect(toldRequester(story)).toHaveLength(1);

    removeFault();
    offsetMs = 20 * 60_000;
    await story.gatehouse.housekeeping();
    await story.gatehouse.idle();
    expect(getAccessRequest(story.gatehouse.db, id)?.state).toBe("active");
    const person = story.doorflow.sandbox.personBySystemId(id);
    expect(
      story.doorflow.sandbox.state.people.filter((p) => p.email === "fay.transient@flaky.example"),
    ).toHaveLength(1);
    expect(
      story.doorflow.sandbox.state.groupReservations.filter((g) => g.personId === person?.id),
    ).toHaveLength(1);
    // The one alert now says it is resolved, as an offboarding's does after a successful retry.
    expect(securityAlerts(story)).toHaveLength(1);
    const alert = story.slack
      .messages(CHANNELS.security)
      .find((m) => m.ts === (securityAlerts(story)[0]?.response as { ts?: string } | undefined)?.ts);
    expect(alert?.text).toMatch(/^Resolved: Access for Fay Lure could not be set up/);
    expect(JSON.stringify(alert?.blocks)).toContain("is set up");
  });

  it("fails a permanent refusal at once and disables the person it created", async () => {
    s = await startTestStory({ doorflowRetry: FAST_RETRY });
    const story = s;
    story.doorflow.sandbox.faults.add({
      method: "POST",
      path: "/api/3/group_reservations",
      status: 422,
      body: {
        error: "unprocessable_entity",
        error_description: "Validation failed",
        errors: { group_ids: ["are not valid"] },
      },
    });
    const id = await approveNew(story, "fay.permanent@flaky.example");
    const failed = getAccessRequest(story.gatehouse.db, id);
    expect(failed?.state).toBe("failed");
    const person = story.doorflow.sandbox.personBySystemId(id);
    expect(person?.enabled).toBe(false);
    expect(securityAlerts(story)).toHaveLength(1);
    expect(JSON.stringify(securityAlerts(story)[0]?.args)).toContain("disabled");
    expect(toldRequester(story)).toHaveLength(1);
    await story.gatehouse.housekeeping();
    await story.gatehouse.idle();
    expect(securityAlerts(story)).toHaveLength(1);
  });
});
