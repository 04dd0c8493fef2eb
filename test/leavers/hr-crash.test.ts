/**
 * What HR was answered 202 for is done even when the bot dies right after answering: the event is
 * in the database before the answer, and the next start acts on it — whether the process died
 * before taking it up or while holding its lease.
 */
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { getAlert } from "../../src/db/repositories/alerts.js";
import { claimLeaverEvent, findLeaverEventByKey } from "../../src/db/repositories/leaver-events.js";
import { hrSignatureHeaders } from "../../src/http/hr-signature.js";
import { recordHrEvent } from "../../src/domain/leaver-intake.js";
import { CHANNELS } from "../../tools/sandbox/story.js";
import { newLeaseOwnerId } from "../../src/wiring/lease-owner.js";
import { getLeaverEvent } from "../helpers/db-reads.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const SECRET = "hr-webhook-secret-for-tests-0123";
const stories: TestStory[] = [];
afterEach(async () => {
  for (const s of stories.reverse()) await s.close();
  stories.length = 0;
});

/** An owner id of a process on this host that has started and exited. */
async function goneOwner(): Promise<string> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  const [instance, boot, , ...host] = newLeaseOwnerId().split("/").reverse();
  return [host.reverse().join("/"), child.pid, boot, instance].join("/");
}

describe("HR events survive a crash after the answer", () => {
  it("acts at start on events recorded but never acted on, and on those a dead process held", async () => {
    const first = await startTestStory({ catchUp: false, env: { HR_WEBHOOK_SECRET: SECRET } });
    stories.push(first);
    const { db } = first.gatehouse;
    // As the webhook leaves them when the process dies between answering 202 and acting.
    const waiting = recordHrEvent(
      db,
      { id: "evt_crash_1", type: "employee.terminated", email: "grace.okafor@harbourside.example" },
      new Date(),
    ).event;
    const held = recordHrEvent(
      db,
      { id: "evt_crash_2", type: "employee.terminated", email: "mei.chen@harbourside.example" },
      new Date(),
    ).event;
    // A process on this host whose pid no longer exists: its lease is taken over at start.
    claimLeaverEvent(db, held.id, await goneOwner(), 5 * 60_000, new Date());
    await first.stopBot();

    const second = await startTestStory({
      catchUp: false,
      env: { HR_WEBHOOK_SECRET: SECRET },
      databaseFile: first.databaseFile,
      sandbox: first.doorflow,
      slack: first.slack,
    });
    stories.push(second);
    await second.gatehouse.idle();

    const people = second.doorflow.sandbox.state.people;
    expect(people.find((p) => p.email === "grace.okafor@harbourside.example")?.enabled).toBe(false);
    expect(people.find((p) => p.email === "mei.chen@harbourside.example")?.enabled).toBe(false);
    expect(getLeaverEvent(second.gatehouse.db, waiting.id)?.state).toBe("offboarded");
    expect(getLeaverEvent(second.gatehouse.db, held.id)?.state).toBe("offboarded");
    const summaries = second.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === CHANNELS.security && JSON.stringify(c.args).includes("offboarded"));
    expect(summaries).toHaveLength(2);
  });

  it("keeps an event DoorFlow could not be read for, alerts once, and acts on it when DoorFlow is back", async () => {
    const story = await startTestStory({
      catchUp: false,
      env: { HR_WEBHOOK_SECRET: SECRET },
      doorflowRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 500 },
    });
    stories.push(story);
    await story.gatehouse.idle();
    const removeFault = story.doorflow.sandbox.faults.add({
      method: "GET",
      path: "/api/3/people",
      status: 503,
    });
    const body = JSON.stringify({
      id: "evt_down_1",
      type: "employee.terminated",
      email: "liam.murphy@harbourside.example",
    });
    const res = await request(`${story.gatehouse.http.url}/webhooks/hr`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...hrSignatureHeaders(SECRET, body) },
    });
    expect(res.statusCode).toBe(202);
    await res.body.text();
    await story.gatehouse.idle();
    const liam = story.doorflow.sandbox.state.people.find(
      (p) => p.email === "liam.murphy@harbourside.example",
    );
    const event = () => findLeaverEventByKey(story.gatehouse.db, "hr:evt_down_1");
    expect(event()).toMatchObject({ state: "received", attempts: 1 });
    const alerts = () =>
      story.slack
        .callsTo("chat.postMessage")
        .filter(
          (c) =>
            c.args.channel === CHANNELS.security &&
            JSON.stringify(c.args).includes("Could not act on a leaver"),
        );
    expect(alerts()).toHaveLength(1);
    await story.gatehouse.housekeeping();
    await story.gatehouse.idle();
    expect(event()).toMatchObject({ state: "received", attempts: 2 });
    expect(alerts()).toHaveLength(1);
    expect(liam?.enabled).toBe(true);

    removeFault();
    await story.gatehouse.housekeeping();
    await story.gatehouse.idle();
    expect(event()?.state).toBe("offboarded");
    expect(liam?.enabled).toBe(false);
    expect(getAlert(story.gatehouse.db, `leaver:${event()?.id}`)?.status).toBe("resolved");
  });
});
