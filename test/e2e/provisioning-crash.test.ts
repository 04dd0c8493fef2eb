/**
 * A crash during provisioning, then a restart on the same database: whatever DoorFlow did before
 * the crash, the request ends with exactly one fully provisioned person. The crash is the bot
 * stopping (database closed) while DoorFlow is carrying out a write it never hears back about.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { contractorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { until } from "../helpers/until.js";

const stories: TestStory[] = [];
afterEach(async () => {
  for (const s of stories.splice(0).reverse()) await s.close();
});

async function approveOne(s: TestStory): Promise<string> {
  const today = localDateOf(new Date(), s.gatehouse.timeZone);
  await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.contractorRequest,
    values: contractorValues({
      firstName: "Cai",
      lastName: "Crash",
      email: "cai.crash@resilient.example",
      company: "Resilient Ltd",
      groupIds: [5122],
      startDate: today,
      endDate: addDays(today, 14),
      credential: "card",
      cardNumber: "77001234",
    }),
  });
  await s.gatehouse.idle();
  const message = s.slack.messages(CHANNELS.approval).at(-1);
  const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1] ?? "";
  void s.driver.blockAction({
    userId: CAST.approver.id,
    actionId: ACTION.approve,
    value: id,
    message: { ts: message?.ts ?? "", channel: CHANNELS.approval },
  });
  return id;
}

const CRASH_POINTS = [
  { name: "the person create", method: "POST", path: /^\/api\/3\/people$/ },
  { name: "the person step was recorded", method: "GET", path: /^\/api\/3\/people\/\d+\/credentials$/ },
  { name: "the group reservation", method: "POST", path: /^\/api\/3\/group_reservations$/ },
];

describe("crash during provisioning, then restart", () => {
  it.each(CRASH_POINTS)("after $name ends with one fully provisioned person", async (point) => {
    const first = await startTestStory();
    stories.push(first);
    // DoorFlow carries the write out, but the answer comes too late: the bot is gone by then.
    first.doorflow.sandbox.faults.add({
      method: point.method,
      path: point.path,
      latencyMs: 1_500,
      processed: true,
      times: 1,
    });
    const id = await approveOne(first);
    await until(
      () => first.doorflow.sandbox.calls.some((c) => c.method === point.method && point.path.test(c.path)),
      `${point.method} ${point.path.source}`,
    );
    expect(getAccessRequest(first.gatehouse.db, id)?.state).toBe("provisioning");
    await first.gatehouse.stop().catch(() => undefined);

    // The restarted bot runs three minutes later: the dead process's lease has lapsed.
    const later = () => new Date(Date.now() + 3 * 60_000);
    const second = await startTestStory({
      sandbox: first.doorflow,
      slack: first.slack,
      databaseFile: first.databaseFile,
      now: later,
    });
    stories.push(second);
    await until(
      () => getAccessRequest(second.gatehouse.db, id)?.state === "active",
      "the request to become active",
    );
    await second.gatehouse.idle();

    const sandbox = first.doorflow.sandbox;
    const people = sandbox.state.people.filter((p) => p.email === "cai.crash@resilient.example");
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ systemId: id, enabled: true });
    const live = sandbox.state.groupReservations.filter(
      (g) => g.personId === people[0]?.id && g.deactivatedAt === null,
    );
    expect(live).toHaveLength(1);
    const creds = sandbox.state.credentials.filter((c) => c.personId === people[0]?.id);
    expect(creds.map((c) => c.credentialTypeId).sort()).toEqual(
      [sandbox.credentialTypeId("card_number"), sandbox.credentialTypeId("pin")].sort(),
    );
    const dms = first.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === CAST.requester.id && String(c.args.text).includes("is ready"));
    expect(dms).toHaveLength(1);
  });
});
