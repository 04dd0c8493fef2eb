/**
 * Buzz-in's webhooks as a typed union. The index names the events; their bodies are not in the
 * docs we hold, so the envelope `{event, createdAt, data}` and each `data` below are assumptions
 * (see the list at the top of client.ts). The sandbox sends exactly these; the receiver parses them.
 */
import { z } from "zod";

export const BUZZIN_TOKEN_HEADER = "x-buzzin-token";
export const BUZZIN_DELIVERY_HEADER = "x-buzzin-delivery";

const instant = z.iso.datetime({ offset: true });

const contractorData = z.object({
  contractorId: z.string().min(1),
  communityId: z.string().min(1),
  salesforceId: z.string().optional(),
});

const passData = z.object({
  permitId: z.string().min(1),
  contractorId: z.string().min(1),
  passId: z.string().min(1),
});

const issuedData = passData.extend({
  accessCode: z.string().min(1),
  qrCodeUrl: z.string().url(),
  validFrom: instant,
  validTo: instant,
});

const scanData = passData.extend({ scannedAt: instant, gate: z.string().optional() });

const event = <N extends string, D extends z.ZodType>(name: N, data: D) =>
  z.object({ event: z.literal(name), createdAt: instant, data });

export const buzzinEventSchema = z.discriminatedUnion("event", [
  event("communityContractors.approved", contractorData),
  event("communityContractors.removed", contractorData),
  event("passes.permits.issued", issuedData),
  event("passes.permits.updated", passData.extend({ validFrom: instant, validTo: instant })),
  event("passes.permits.expiring", passData.extend({ validTo: instant })),
  event("passes.permits.expired", passData.extend({ validTo: instant })),
  event("passes.permits.scanned", scanData),
  event("passes.permits.firstScanned", scanData),
  event("passes.permits.lastScanned", scanData),
]);

export type BuzzinEvent = z.infer<typeof buzzinEventSchema>;
export type BuzzinEventName = BuzzinEvent["event"];
export type BuzzinEventOf<N extends BuzzinEventName> = Extract<BuzzinEvent, { event: N }>;

export const BUZZIN_EVENT_NAMES: readonly BuzzinEventName[] = buzzinEventSchema.options.map(
  (o) => o.shape.event.value,
);

const envelopeSchema = z.object({ event: z.string().min(1) });

export type ParsedBuzzinEvent =
  | { kind: "event"; event: BuzzinEvent }
  /** An event Gatehouse does not know: acknowledged and ignored, so Buzz-in does not keep re-sending. */
  | { kind: "unknown"; name: string }
  | { kind: "invalid"; problem: string };

export function parseBuzzinEvent(json: unknown): ParsedBuzzinEvent {
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { kind: "invalid", problem: "the body has no `event`" };
  const name = envelope.data.event;
  if (!(BUZZIN_EVENT_NAMES as readonly string[]).includes(name)) return { kind: "unknown", name };
  const parsed = buzzinEventSchema.safeParse(json);
  if (parsed.success) return { kind: "event", event: parsed.data };
  const problem = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
  return { kind: "invalid", problem };
}
