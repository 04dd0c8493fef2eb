/**
 * A short DoorFlow or Slack outage at start-up does not stop the bot: it starts degraded (/healthz
 * says so and names the problem), acknowledges Slack, accepts webhooks, and checks again in the
 * background; once the service answers, it serves as usual. Configuration errors still stop the
 * start (test/e2e/startup-check.test.ts).
 */
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { BUZZIN_DELIVERY_HEADER, BUZZIN_TOKEN_HEADER } from "../../src/buzzin/events.js";
import { startDoorFlowSandbox } from "../../tools/sandbox/doorflow/server.js";
import { CAST, startStorySlack } from "../../tools/sandbox/story.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function health(s: TestStory): Promise<{ status: string; problems?: string[]; timeZone?: string }> {
  const res = await request(`${s.gatehouse.http.url}/healthz`);
  expect(res.statusCode).toBe(200);
  return (await res.body.json()) as { status: string; problems?: string[] };
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A /contractor from the requester: acknowledged at once; whether a modal opened after it. */
async function contractor(s: TestStory) {
  const opened = s.slack.callsTo("views.open").length;
  const res = await s.driver.command({ command: "/contractor", userId: CAST.requester.id });
  await s.gatehouse.idle();
  return {
    status: res.status,
    body: res.body,
    ms: res.ms,
    opened: s.slack.callsTo("views.open").length > opened,
  };
}

describe("start-up during an outage", () => {
  it("DoorFlow answering 503: starts degraded, acknowledges Slack, then serves once DoorFlow is back", async () => {
    const doorflow = await startDoorFlowSandbox({});
    closers.push(() => doorflow.close());
    const outage = doorflow.sandbox.faults.add({ path: /^\/api\/3\//, status: 503 });
    const s = await startTestStory({
      sandbox: doorflow,
      doorflowRetry: { maxAttempts: 1 },
      startupRecheckMs: [100],
    });
    closers.push(() => s.close());

    expect(await health(s)).toMatchObject({ status: "degraded", problems: ["doorflow_unreachable"] });
    // Slack is answered within its 3 seconds, with a word for the person, not left to time out.
    const early = await contractor(s);
    expect(early.status).toBe(200);
    expect(JSON.stringify(early.body)).toMatch(/starting/i);
    expect(early.opened).toBe(false);
    expect(s.logLines.some((l) => l.includes("doorflow_unreachable") && l.includes('"level":"warn"'))).toBe(
      true,
    );

    outage();
    await until(async () => (await health(s)).status === "ok");
    expect(await health(s)).toMatchObject({ status: "ok", timeZone: "Europe/London" });
    expect(s.gatehouse.timeZone).toBe("Europe/London");
    const later = await contractor(s);
    expect(later).toMatchObject({ status: 200, opened: true });
  });

  it("Slack's Web API answering 503: starts degraded, acknowledges, then learns its ids and serves", async () => {
    const slack = await startStorySlack();
    closers.push(() => slack.close());
    const outage = slack.faults.add({ method: "*", status: 503 });
    const s = await startTestStory({ slack, startupRecheckMs: [100] });
    closers.push(() => s.close());

    expect(await health(s)).toMatchObject({ status: "degraded", problems: ["slack_unreachable"] });
    expect(s.logLines.some((l) => l.includes("refused the bot token"))).toBe(false);
    const early = await contractor(s);
    expect(early.status).toBe(200);
    expect(early.ms).toBeLessThan(3_000);
    expect(early.opened).toBe(false);

    outage();
    await until(async () => (await health(s)).status === "ok", 30_000);
    // The guard learned the workspace and app with its own retries: the next command is served.
    await until(async () => (await contractor(s)).opened, 15_000);
  }, 60_000);

  it("accepts a Buzz-in webhook while DoorFlow is down and handles it once the bot is up", async () => {
    const doorflow = await startDoorFlowSandbox({});
    closers.push(() => doorflow.close());
    const outage = doorflow.sandbox.faults.add({ path: /^\/api\/3\//, status: 503 });
    const s = await startTestStory({
      sandbox: doorflow,
      buzzin: true,
      doorflowRetry: { maxAttempts: 1 },
      startupRecheckMs: [100],
    });
    closers.push(() => s.close());
    expect((await health(s)).status).toBe("degraded");

    const res = await request(`${s.gatehouse.http.url}/webhooks/buzzin`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [BUZZIN_TOKEN_HEADER]: s.buzzin?.sandbox.webhookToken ?? "",
        [BUZZIN_DELIVERY_HEADER]: "dlv-during-outage",
      },
      body: JSON.stringify({
        event: "passes.permits.scanned",
        createdAt: new Date().toISOString(),
        data: { permitId: "p1", contractorId: "c1", passId: "x1", scannedAt: new Date().toISOString() },
      }),
    });
    await res.body.dump();
    expect(res.statusCode).toBe(200);
    const status = () =>
      (
        s.gatehouse.db.$client
          .prepare("select status from webhook_deliveries where delivery_id = ?")
          .get("dlv-during-outage") as { status: string } | undefined
      )?.status;
    expect(status()).toBe("received");

    outage();
    await until(async () => (await health(s)).status === "ok");
    await until(async () => status() !== "received");
    expect(status()).not.toBe("failed");
  });
});
