/**
 * The webhook receiver on a real HTTP server with a real SQLite database, fed by the Buzz-in
 * sandbox's own deliveries and by hand-made requests (a forger does not use the sandbox).
 */
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import { createDeliveryStore } from "../../src/db/repositories/webhook-deliveries.js";
import type { BuzzinEvent } from "../../src/buzzin/events.js";
import { webhookDeliveries } from "../../src/db/schema.js";
import {
  BUZZIN_WEBHOOK_PATH,
  buzzinWebhookRoute,
  type UnusableDelivery,
} from "../../src/http/buzzin-webhook.js";
import { createHttpServer, listen } from "../../src/http/server.js";
import { silentLogger } from "../../src/lib/logger.js";
import { createWorkTracker } from "../../src/lib/work.js";
import { createTestDatabase } from "../helpers/db.js";
import { contractorInput, permitWithPass, sandboxPermit, startTestbed } from "./support.js";

const TOKEN = "whk_3c1f9e0b7a2d4c68a5e1";

async function startReceiver(onEvent: (event: BuzzinEvent) => void | Promise<void> = () => {}) {
  const database = createTestDatabase();
  const events: BuzzinEvent[] = [];
  const unusable: UnusableDelivery[] = [];
  const work = createWorkTracker();
  const route = buzzinWebhookRoute({
    token: TOKEN,
    deliveries: createDeliveryStore(database.db),
    onEvent: async (event) => {
      events.push(event);
      await onEvent(event);
    },
    onUnusable: (delivery) => {
      unusable.push(delivery);
    },
    logger: silentLogger,
    maxBodyBytes: 8192,
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
  return { bed, url, events, unusable, rows, settle, post, work };
}

const approval = (contractorId: string, id = "66ffaa00bb11cc22dd330001") =>
  JSON.stringify({
    id,
    event: "communityContractors.approved",
    communityId: "6840270a99ca91002185fcd6",
    createdAt: "2027-03-01T08:00:00.000Z",
    data: { _id: contractorId, approved: true },
  });

describe("POST /webhooks/buzzin", () => {
  it("receives the approval and the issued pass as typed events, in order", async () => {
    const rx = await startReceiver();
    const { contractor, permit } = await permitWithPass(rx.bed);
    await rx.settle();
    expect(rx.events.map((e) => e.event)).toEqual(["communityContractors.approved", "passes.permits.issued"]);
    const [approved, issued] = rx.events;
    expect(approved?.event === "communityContractors.approved" && approved.contractorId).toBe(contractor._id);
    if (issued?.event !== "passes.permits.issued") throw new Error("expected the issued event");
    expect(issued).toMatchObject({
      permitId: permit._id,
      accessCode: sandboxPermit(rx.bed, permit._id).accessCode,
      status: { name: "ACCEPTED", accepted: true },
      qrImageUrl: expect.stringMatching(/^https:\/\/cdn\.buzz-in\.co\//),
    });
    expect(rx.rows().map((r) => [r.event, r.status])).toEqual([
      ["communityContractors.approved", "processed"],
      ["passes.permits.issued", "processed"],
    ]);
    // Keyed by X-Buzzin-Delivery; no payload (the code) is kept.
    expect(rx.rows().map((r) => r.deliveryId)).toEqual(rx.bed.sandbox.deliveries.map((d) => d.id));
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

  it("deduplicates on the envelope id when there is no X-Buzzin-Delivery, else on the exact bytes", async () => {
    const rx = await startReceiver();
    const auth = { "x-buzzin-token": TOKEN };
    const first = await rx.post(approval("c5", "66ffaa00bb11cc22dd33aaaa"), auth);
    const again = await rx.post(approval("c5", "66ffaa00bb11cc22dd33aaaa"), auth);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(JSON.parse(again.body)).toEqual({ ok: true, duplicate: true });
    const bare = JSON.stringify({ event: "communityContractors.approved", data: { _id: "c6" } });
    await rx.post(bare, auth);
    expect(JSON.parse((await rx.post(bare, auth)).body)).toEqual({ ok: true, duplicate: true });
    await rx.settle();
    expect(rx.events).toHaveLength(2);
    expect(rx.rows().map((r) => r.deliveryId)).toEqual([
      "envelope:66ffaa00bb11cc22dd33aaaa",
      expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    ]);
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

  it("records and acknowledges, never refuses, a payload it cannot use, and reports each once", async () => {
    const rx = await startReceiver();
    const auth = { "x-buzzin-token": TOKEN };
    const send = (body: string, id: string, event?: string) =>
      rx.post(body, { ...auth, "x-buzzin-delivery": id, ...(event ? { "x-buzzin-event": event } : {}) });
    const answers = [
      await send("{not json", "d-1", "passes.permits.issued"),
      await send(JSON.stringify([1, 2]), "d-2"),
      await send(JSON.stringify({ event: "passes.permits.issued", data: { permitId: "p1" } }), "d-3"),
      await send(JSON.stringify({ event: "passes.permits.printed", data: { permitId: "p1" } }), "d-4"),
      await send(JSON.stringify({ id: "e5", createdAt: "2027-03-01T08:00:00Z", data: {} }), "d-5"),
      await send(JSON.stringify({ event: "passes.permits.scanned", data: { gate: "G1" } }), "d-6"),
    ];
    expect(answers.map((a) => [a.status, JSON.parse(a.body)])).toEqual(
      Array.from({ length: 6 }, () => [200, { ok: true, unusable: true }]),
    );
    await rx.settle();
    expect(rx.events).toEqual([]);
    expect(rx.rows().map((r) => [r.deliveryId, r.event, r.status, r.problem])).toEqual([
      ["d-1", "passes.permits.issued", "unusable", "the body is not JSON"],
      ["d-2", "unknown", "unusable", "the body is not a JSON object"],
      [
        "d-3",
        "passes.permits.issued",
        "unusable",
        "no `data.accessCode` (or `qrToken`) (fields present: permitId)",
      ],
      [
        "d-4",
        "passes.permits.printed",
        "unusable",
        "an event Gatehouse does not know (fields present: permitId)",
      ],
      ["d-5", "unknown", "unusable", "no event name in the body or X-Buzzin-Event"],
      [
        "d-6",
        "passes.permits.scanned",
        "unusable",
        "no `data.permitId` or `data.salesforceId` (fields present: gate)",
      ],
    ]);
    expect(rx.unusable.map((u) => u.deliveryId)).toEqual(["d-1", "d-2", "d-3", "d-4", "d-5", "d-6"]);
    // A re-send of an unusable delivery is a duplicate: not reported again.
    await send("{not json", "d-1", "passes.permits.issued");
    await rx.settle();
    expect(rx.unusable).toHaveLength(6);
  });

  it("refuses only an oversized body (413), which no Buzz-in event is", async () => {
    const rx = await startReceiver();
    const huge = await rx.post(JSON.stringify({ event: "x", pad: "a".repeat(9000) }), {
      "x-buzzin-token": TOKEN,
      "x-buzzin-delivery": "d-huge",
    });
    expect(huge.status).toBe(413);
    await rx.settle();
    expect(rx.rows()).toEqual([]);
  });

  it("takes the event's name from X-Buzzin-Event when the body has none", async () => {
    const rx = await startReceiver();
    const answer = await rx.post(
      JSON.stringify({ data: { permitId: "p9", scannedAt: "2027-03-01T09:00:00Z" } }),
      {
        "x-buzzin-token": TOKEN,
        "x-buzzin-delivery": "d-hdr",
        "x-buzzin-event": "passes.permits.lastScanned",
      },
    );
    await rx.settle();
    expect(JSON.parse(answer.body)).toEqual({ ok: true });
    expect(rx.events).toEqual([
      expect.objectContaining({
        event: "passes.permits.lastScanned",
        permitId: "p9",
        scannedAt: new Date("2027-03-01T09:00:00Z"),
      }),
    ]);
  });

  it("receives expiring, scanned, updated and expired for a pass", async () => {
    const rx = await startReceiver();
    const { permit } = await permitWithPass(rx.bed);
    rx.bed.sandbox.firePassEvent(permit._id, "expiring");
    rx.bed.sandbox.firePassEvent(permit._id, "firstScanned", "Gate 3");
    await rx.bed.client.updatePermitValidity(permit._id, { validTill: new Date("2027-04-30T18:00:00Z") });
    rx.bed.sandbox.firePassEvent(permit._id, "expired");
    await rx.settle();
    expect(rx.events.slice(2).map((e) => e.event)).toEqual([
      "passes.permits.expiring",
      "passes.permits.firstScanned",
      "passes.permits.updated",
      "passes.permits.expired",
    ]);
    expect(rx.events[3]).toMatchObject({ gate: "Gate 3", permitId: permit._id });
    expect(rx.events[4]).toMatchObject({ validTill: new Date("2027-04-30T18:00:00Z") });
    expect(rx.events[5]).toMatchObject({ status: { name: "EXPIRED", ended: true } });
  });
});
