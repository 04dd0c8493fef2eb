/**
 * The sandbox's webhooks held to the example Buzz-in publishes for `passes.permits.issued`
 * (test/fixtures/buzzin/passes.permits.issued.json), field by field: the same envelope and data
 * fields, each of the same JSON type and form, the documented constants equal, and the three
 * documented headers. So the sandbox cannot drift from the documented shape again, and Gatehouse's
 * parser is held to the same example.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { BUZZIN_EVENT_NAMES, parseBuzzinEvent } from "../../src/buzzin/events.js";
import { contractorInput, permitWithPass, startTestbed } from "./support.js";

type Json = Record<string, unknown>;
const documented = JSON.parse(
  readFileSync(new URL("../fixtures/buzzin/passes.permits.issued.json", import.meta.url), "utf8"),
) as Json & { data: Json };

/** The form of a documented value: what any value in its place must look like. */
function formOf(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value !== "string") return typeof value;
  if (value === "string") return "string"; // the page's placeholder
  if (/^[0-9a-f]{24}$/.test(value)) return "objectId";
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return "instant";
  if (/^https:\/\/\S+$/.test(value)) return "https-url";
  if (/^WP-\d{6}$/.test(value)) return "pass-number";
  if (/^[0-9A-Z]{24}$/.test(value)) return "access-code";
  if (/^[A-Za-z0-9]{18}$/.test(value)) return "salesforce-id";
  return `literal:${value}`;
}

/** Each field's form; where the page shows only the placeholder "string", any string will do. */
function formsOf(record: Json, like?: Json): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [
      k,
      like?.[k] === "string" && typeof v === "string" ? "string" : formOf(v),
    ]),
  );
}

/** A receiver that keeps what it was sent. */
async function capture(): Promise<{
  url: string;
  got: Array<{ headers: IncomingHttpHeaders; body: string }>;
}> {
  const got: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

describe("the sandbox's passes.permits.issued against Buzz-in's documented example", () => {
  it("has the documented envelope and data, field by field, and the documented headers", async () => {
    const receiver = await capture();
    const bed = await startTestbed({ webhookUrl: receiver.url, webhookToken: "whk_documented_0001" });
    const { permit, input } = await permitWithPass(bed);
    await bed.sandbox.settled();
    const sent = receiver.got.find((g) => g.headers["x-buzzin-event"] === "passes.permits.issued");
    if (!sent) throw new Error("the sandbox sent no issued webhook");
    const body = JSON.parse(sent.body) as Json & { data: Json };

    // The same fields, in the same order, each of the same form.
    expect(Object.keys(body)).toEqual(Object.keys(documented));
    expect(formsOf(body)).toEqual({ ...formsOf(documented), data: "object" });
    expect(Object.keys(body.data)).toEqual(Object.keys(documented.data));
    expect(formsOf(body.data, documented.data)).toEqual(formsOf(documented.data));
    // What the page leaves as "string" is at least of the form its name says.
    expect(body.data.permitDocumentationUrl).toMatch(/^https:\/\/\S+$/);
    expect(Buffer.from(String(body.data.qrImageBase64), "base64").subarray(1, 4).toString()).toBe("PNG");

    // The documented constants, and the values that must agree with each other.
    for (const key of ["event"] as const) expect(body[key]).toBe(documented[key]);
    for (const key of ["status", "statusName", "type", "permitType"] as const)
      expect(body.data[key]).toBe(documented.data[key]);
    expect(body.data.communityId).toBe(body.communityId);
    expect(body.data.qrToken).toBe(body.data.accessCode);
    expect(body.data.permitId).toBe(permit._id);
    expect(body.data.salesforceId).toBe(input.salesforcePermitId);
    expect(body.data.validFrom).toBe(input.validFrom.toISOString());
    expect(body.data.validTill).toBe(input.validTill.toISOString());
    expect(String(body.data.qrImageUrl)).toContain(String(body.data.passNumber));

    // [doc] X-Buzzin-Event, X-Buzzin-Delivery, and X-Buzzin-Token when the endpoint has a secret.
    expect(sent.headers["x-buzzin-event"]).toBe(body.event);
    expect(sent.headers["x-buzzin-delivery"]).toMatch(/\S+/);
    expect(sent.headers["x-buzzin-token"]).toBe("whk_documented_0001");
    expect(sent.headers["content-type"]).toBe("application/json");
  });

  it("sends every other event in the same envelope, each delivery with its own id", async () => {
    const receiver = await capture();
    const bed = await startTestbed({ webhookUrl: receiver.url });
    const { permit, contractor } = await permitWithPass(bed);
    bed.sandbox.firePassEvent(permit._id, "scanned", "Gate 1");
    bed.sandbox.firePassEvent(permit._id, "expiring");
    await bed.client.updatePermitValidity(permit._id, { validTill: new Date("2027-04-30T18:00:00Z") });
    await bed.client.revokeContractor(contractor._id);
    await bed.sandbox.settled();
    const events = receiver.got.map((g) => JSON.parse(g.body) as Json);
    expect(events.map((e) => e.event)).toEqual([
      "communityContractors.approved",
      "passes.permits.issued",
      "passes.permits.scanned",
      "passes.permits.expiring",
      "passes.permits.updated",
      "passes.permits.updated",
      "communityContractors.removed",
    ]);
    for (const e of events)
      expect(Object.keys(e)).toEqual(["id", "event", "communityId", "createdAt", "data"]);
    const ids = receiver.got.map((g) => g.headers["x-buzzin-delivery"]);
    expect(new Set(ids).size).toBe(ids.length);
    // The code travels in the issued event alone.
    for (const e of events.filter((x) => x.event !== "passes.permits.issued"))
      expect(JSON.stringify(e)).not.toMatch(/accessCode|qrToken/);
  });
});

describe("Gatehouse's parser against the documented example", () => {
  it("reads the documented issued envelope into a usable event", () => {
    const parsed = parseBuzzinEvent(documented, "passes.permits.issued", new Date());
    expect(parsed).toEqual({
      kind: "event",
      event: {
        event: "passes.permits.issued",
        envelopeId: "66ffaa00bb11cc22dd33ee44",
        communityId: "6840270a99ca91002185fcd6",
        createdAt: new Date("2026-06-29T10:15:00.000Z"),
        permitId: "66f0a1b2c3d4e5f600000abc",
        salesforceId: "a1B5g000000XYZWEAW",
        accessCode: "7H2KQ9ZTM4XB1RPA8VC0DLEN",
        passNumber: "WP-002391",
        status: { name: "ACCEPTED", accepted: true, draft: false, ended: false },
        validFrom: new Date("2026-07-01T06:00:00.000Z"),
        validTill: new Date("2026-07-31T18:00:00.000Z"),
        qrImageUrl: "https://cdn.buzz-in.co/public/permits/permit-WP-002391-qr.png",
      },
    });
  });

  it("reads every event the sandbox sends, for all nine names", async () => {
    const bed = await startTestbed();
    const { permit } = await permitWithPass(bed);
    for (const kind of ["scanned", "firstScanned", "lastScanned", "expiring", "expired"] as const)
      bed.sandbox.firePassEvent(permit._id, kind === "expired" ? "expiring" : kind);
    await bed.client.updatePermitValidity(permit._id, { validTill: new Date("2027-04-30T18:00:00Z") });
    bed.sandbox.firePassEvent(permit._id, "expired");
    const other = await bed.client.createContractor(contractorInput());
    bed.sandbox.removeContractor(other._id);
    const parsed = bed.sandbox.deliveries.map((d) =>
      parseBuzzinEvent(JSON.parse(d.body), d.event, new Date()),
    );
    expect(parsed.filter((p) => p.kind !== "event")).toEqual([]);
    expect(new Set(parsed.map((p) => (p.kind === "event" ? p.event.event : "")))).toEqual(
      new Set(BUZZIN_EVENT_NAMES),
    );
  });
});
