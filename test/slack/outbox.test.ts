/**
 * The durable Slack outbox on a real database and the Slack stand-in: messages go out in the order
 * they were queued; an edit queued before its post was sent lands on that post (its ts recorded on
 * the alert); while Slack is down nothing is sent or lost and the next attempt is stored, so a
 * restarted process keeps to the backoff and then sends each message once; a message Slack refuses
 * for good is dropped without holding up the rest; two processes draining at once send each once.
 */
import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { claimAlert, getAlert } from "../../src/db/repositories/alerts.js";
import { listOutbox } from "../helpers/db-reads.js";
import { createLogger } from "../../src/lib/logger.js";
import { type SlackStandIn, startSlackStandIn } from "../../tools/sandbox/slack/web-api.js";
import { createSlackOutbox, type SlackOutbox } from "../../src/wiring/outbox.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

const SECURITY = "C0SECURITY";
const DM = "U0REQUEST1";

let t: TestDatabase | undefined;
let slack: SlackStandIn | undefined;
const outboxes: SlackOutbox[] = [];
afterEach(async () => {
  for (const o of outboxes.splice(0)) o.stop();
  t?.close();
  await slack?.close();
  t = undefined;
  slack = undefined;
});

let at = new Date("2027-06-01T09:00:00Z").getTime();
const now = () => new Date(at);

async function setup() {
  t = createTestDatabase();
  slack = await startSlackStandIn({
    users: [{ id: DM, name: "rosa" }],
    channels: [{ id: SECURITY, name: "security-alerts" }],
  });
  return { db: t.db, slack };
}

/** One process's outbox on `db` (a restart is a new one on the same file). */
function outbox(db = t?.db, owner = `test-owner-${outboxes.length}`): SlackOutbox {
  if (!db || !slack) throw new Error("set up first");
  const client = new webApi.WebClient("xoxb-test", {
    slackApiUrl: slack.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const o = createSlackOutbox({ db, client, logger: createLogger({ write: () => undefined }), now, owner });
  outboxes.push(o);
  return o;
}

const posted = () =>
  (slack as SlackStandIn)
    .callsTo("chat.postMessage")
    .filter((c) => c.status === 200 && (c.response as { ok: boolean }).ok)
    .map((c) => String(c.args.text));

describe("the Slack outbox", () => {
  it("sends in order, and an edit queued before its post was sent lands on that post", async () => {
    const { db } = await setup();
    const o = outbox();
    claimAlert(
      db,
      { key: "offboarding:1", kind: "offboarding_failed", channelId: SECURITY, summary: "x" },
      now(),
    );
    o.post(db, SECURITY, { text: "Offboarding Lee failed" }, "alert:offboarding:1");
    o.post(db, DM, { text: "first DM" });
    o.update(db, "alert:offboarding:1", { text: "Resolved: Offboarding Lee failed" });
    o.post(db, DM, { text: "second DM" });
    await o.idle();
    expect(posted()).toEqual(["Offboarding Lee failed", "first DM", "second DM"]);
    const alert = getAlert(db, "offboarding:1");
    expect(alert?.ts).toBeTruthy();
    expect(slack?.messages(SECURITY).find((m) => m.ts === alert?.ts)?.text).toBe(
      "Resolved: Offboarding Lee failed",
    );
    expect(listOutbox(db)).toEqual([]);
  });

  it("loses nothing while Slack is down, keeps to its backoff after a restart, then sends each once", async () => {
    const { db, slack: s } = await setup();
    const down = s.faults.add({ method: "*", status: 503 });
    const first = outbox();
    for (const text of ["one", "two", "three"]) first.post(db, DM, { text });
    await first.idle();
    expect(posted()).toEqual([]);
    const [head] = listOutbox(db, ["pending"]);
    expect(head).toMatchObject({ attempts: 1, status: "pending" });
    expect(head?.nextAttemptAt.getTime()).toBeGreaterThan(at);
    first.stop();

    // Ten minutes of Slack down, tried on the backoff by a restarted process.
    const restarted = outbox(t?.openAnother(), "restarted");
    for (let minute = 0; minute < 10; minute++) {
      at += 60_000;
      await restarted.drain();
    }
    expect(posted()).toEqual([]);
    expect(listOutbox(db, ["pending"])).toHaveLength(3);
    down();
    await restarted.drain();
    expect(posted()).toEqual([]); // the head's backoff has not passed yet
    at += 5 * 60_000;
    await restarted.drain();
    expect(posted()).toEqual(["one", "two", "three"]);
    await restarted.drain();
    expect(posted()).toEqual(["one", "two", "three"]);
  });

  it("drops a message Slack refuses for good without holding up the rest", async () => {
    const { db } = await setup();
    const o = outbox();
    o.post(db, "C0GONE", { text: "to a channel that is gone" });
    o.post(db, DM, { text: "after it" });
    await o.idle();
    expect(posted()).toEqual(["after it"]);
    expect(listOutbox(db, ["failed"]).map((r) => r.lastError)).toEqual([
      expect.stringContaining("channel_not_found"),
    ]);
  });

  it("sends each message once when two processes drain the same database at once", async () => {
    const { db } = await setup();
    const a = outbox(db, "process-a");
    const b = outbox(t?.openAnother(), "process-b");
    const texts = Array.from({ length: 20 }, (_, i) => `message ${i}`);
    for (const text of texts) a.post(db, DM, { text });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(posted()).toEqual(texts);
  });
});
