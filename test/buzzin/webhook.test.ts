/**
 * The webhook receiver on a real HTTP server with a real SQLite database, fed by the Buzz-in
 * sandbox's own deliveries and by hand-made requests (a forger does not use the sandbox).
 */
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import { createDeliveryStore } from "../../src/buzzin/deliveries.js";
import type { BuzzinEvent } from "../../src/buzzin/events.js";
import { webhookDeliveries } from "../../src/db/schema.js";
import { BUZZIN_WEBHOOK_PATH, buzzinWebhookRoute } from "../../src/http/buzzin-webhook.js";
import { createHttpServer, listen } from "../../src/http/server.js";
import { silentLogger } from "../../src/lib/logger.js";
import { createWorkTracker } from "../../src/lib/work.js";
import { createTestDatabase } from "../helpers/db.js";
import { contractorInput, permitWithPass, startTestbed } from "./support.js";

const TOKEN = "whk_3c1f9e0b7a2d4c68a5e1";

async function startReceiver(onEvent: (event: BuzzinEvent) => void | Promise<void> = () => {}) {
  const database = createTestDatabase();
  const events: BuzzinEvent[] = [];
  const work = createWorkTracker();
  const route = buzzinWebhookRoute({
    token: TOKEN,
    deliveries: createDeliveryStore(database.db),
    onEvent: async (event) => {
      events.push(event);
      await onEvent(event);
    },
    logger: silentLogger,
    maxBodyBytes: 4096,
    work,
  });
  const running = await listen(createHttpServer([route], silentLogger), 0, "127.0.0.1");
  const url = running.url + BUZZIN_WEBHOOK_PATH;
  const bed = await startTestbed({ webhookUrl: url, webhookToken: TOKEN });
  onTestFinished(async () => {
    await bed.close();
    await work.drain(5_000);
    await running.close();
    database.close();
  });
  const rows = () => database.db.select().from(webhookDeliveries).all();
  /** Waits until the sandbox's deliveries were answered and the work after answering is done. */
  const settle = async () => {
    await bed.sandbox.settled();
    await work.drain(5_000);
  };
  const post = async (body: string, headers: Record<string, string>) => {
    const res = await request(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    });
    return { status: res.statusCode, body: await res.body.text() };
  };
  return { bed, url, events, rows, settle, post, work };
}

const approval = (contractorId: string) =>
  JSON.stringify({
    event: "communityContractors.approved",
    createdAt: "2027-03-01T08:00:00.000Z",
    data: { contractorId, communityId: "6840270a99ca91002185fcd6" },
  });

describe("POST /webhooks/buzzin", () => {
  it("receives the approval and the issued pass as typed events, in order", async () => {
    const rx = await startReceiver();
    const { contractor, permit } = await permitWithPass(rx.bed);
    await rx.settle();
    expect(rx.events.map((e) => e.event)).toEqual(["communityContractors.approved", "passes.permits.issued"]);
    const [approved, issued] = rx.events;
    expect(approved?.event === "communityContractors.approved" && approved.data.contractorId).toBe(
      contractor._id,
    );
    if (issued?.event !== "passes.permits.issued") throw new Error("expected the issued event");
    expect(issued.data).toMatchObject({ permitId: permit._id, accessCode: permit.pass?.accessCode });
    expect(issued.data.qrCodeUrl).toBe(permit.pass?.qrCodeUrl);
    expect(rx.rows().map((r) => [r.event, r.status])).toEqual([
      ["communityContractors.approved", "processed"],
      ["passes.permits.issued", "processed"],
    ]);
  });

  it("refuses a forged or missing token with 401 and records nothing", async () => {
    const rx = await startReceiver();
    const headers = { "x-buzzin-delivery": "d-forged-1" };
    const forged = await rx.post(approval("c1"), { ...headers, "x-buzzin-token": `${TOKEN.slice(0, -1)}x` });
    const short = await rx.post(approval("c1"), { ...headers, "x-buzzin-token": "x" });
    const missing = await rx.post(approval("c1"), headers);
    expect([forged.status, short.status, missing.status]).toEqual([401, 401, 401]);
    expect(JSON.parse(missing.body)).toEqual({ error: "unauthorized" });
    await rx.settle();
    expect(rx.rows()).toEqual([]);
    expect(rx.events).toEqual([]);
  });

  it("handles a re-sent delivery once", async () => {
    const rx = await startReceiver();
    const contractor = await rx.bed.client.createContractor(contractorInput());
    rx.bed.sandbox.approveContractor(contractor._id);
    await rx.settle();
    const [delivery] = rx.bed.sandbox.deliveries;
    rx.bed.sandbox.redeliver(delivery!.id);
    await rx.settle();
    expect(delivery!.attempts.map((a) => a.status)).toEqual([200, 200]);
    expect(rx.events).toHaveLength(1);
    expect(rx.rows()).toHaveLength(1);
  });

  it("processes one of two copies arriving at the same moment", async () => {
    const rx = await startReceiver();
    const headers = { "x-buzzin-token": TOKEN, "x-buzzin-delivery": "d-race-1" };
    const answers = await Promise.all([rx.post(approval("c7"), headers), rx.post(approval("c7"), headers)]);
    await rx.settle();
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.filter((a) => JSON.parse(a.body).duplicate === true)).toHaveLength(1);
    expect(rx.events).toHaveLength(1);
  });

  it("answers before the handler finishes, and records the outcome after", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const rx = await startReceiver(() => gate);
    const answer = await rx.post(approval("c2"), {
      "x-buzzin-token": TOKEN,
      "x-buzzin-delivery": "d-slow-1",
    });
    expect(answer.status).toBe(200);
    expect(rx.work.active).toBe(1);
    expect(rx.rows()[0]).toMatchObject({ status: "received", processedAt: null });
    release();
    await rx.settle();
    expect(rx.rows()[0]?.status).toBe("processed");
    expect(rx.rows()[0]?.processedAt).toBeInstanceOf(Date);
  });

  it("marks a failed handling, and lets a re-sent copy try again", async () => {
    let fail = true;
    const rx = await startReceiver(() => {
      if (fail) throw new Error("database is locked");
    });
    const headers = { "x-buzzin-token": TOKEN, "x-buzzin-delivery": "d-fail-1" };
    await rx.post(approval("c3"), headers);
    await rx.settle();
    expect(rx.rows()[0]?.status).toBe("failed");
    fail = false;
    await rx.post(approval("c3"), headers);
    await rx.settle();
    expect(rx.rows()[0]?.status).toBe("processed");
    expect(rx.events).toHaveLength(2);
  });

  it("refuses bad JSON, a missing delivery id, a malformed event and an oversized body", async () => {
    const rx = await startReceiver();
    const auth = { "x-buzzin-token": TOKEN };
    const badJson = await rx.post("{not json", { ...auth, "x-buzzin-delivery": "d-1" });
    const noId = await rx.post(approval("c4"), auth);
    const malformed = await rx.post(
      JSON.stringify({ event: "passes.permits.issued", createdAt: "2027-03-01T08:00:00Z", data: {} }),
      {
        ...auth,
        "x-buzzin-delivery": "d-2",
      },
    );
    const huge = await rx.post(JSON.stringify({ event: "x", pad: "a".repeat(5000) }), {
      ...auth,
      "x-buzzin-delivery": "d-3",
    });
    expect([badJson.status, noId.status, malformed.status, huge.status]).toEqual([400, 400, 400, 413]);
    expect(JSON.parse(badJson.body)).toEqual({ error: "invalid_json" });
    expect(JSON.parse(malformed.body).problem).toContain("data.permitId");
    await rx.settle();
    expect(rx.rows()).toEqual([]);
  });

  it("acknowledges an event it does not know without handling it", async () => {
    const rx = await startReceiver();
    const body = JSON.stringify({
      event: "passes.permits.printed",
      createdAt: "2027-03-01T08:00:00Z",
      data: {},
    });
    const answer = await rx.post(body, { "x-buzzin-token": TOKEN, "x-buzzin-delivery": "d-new-1" });
    await rx.settle();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, ignored: true });
    expect(rx.rows().map((r) => r.status)).toEqual(["ignored"]);
    expect(rx.events).toEqual([]);
  });

  it("receives expiring, scanned and expired for a pass", async () => {
    const rx = await startReceiver();
    const { permit } = await permitWithPass(rx.bed);
    rx.bed.sandbox.firePassEvent(permit._id, "expiring");
    rx.bed.sandbox.firePassEvent(permit._id, "firstScanned", "Gate 3");
    rx.bed.sandbox.firePassEvent(permit._id, "expired");
    await rx.settle();
    expect(rx.events.slice(2).map((e) => e.event)).toEqual([
      "passes.permits.expiring",
      "passes.permits.firstScanned",
      "passes.permits.expired",
    ]);
    const scanned = rx.events[3];
    expect(scanned?.event === "passes.permits.firstScanned" && scanned.data.gate).toBe("Gate 3");
    expect((await rx.bed.client.getPermit(permit._id)).status).toBe("expired");
  });
});
