/**
 * Buzz-in's work-permit webhooks, read tolerantly. The envelope is documented for
 * `passes.permits.issued` (passes-permits-issued page):
 *
 *   {"id", "event", "communityId", "createdAt", "data": {permitId, passNumber, status, statusName,
 *    …, communityContractorId, salesforceId, validFrom, validTill, accessCode, qrImageUrl, …}}
 *
 * sent with `X-Buzzin-Event`, `X-Buzzin-Delivery` and `X-Buzzin-Token`. The other eight events'
 * payloads are Assumption [unknown]: the same envelope with `data` about the permit (or, for
 * `communityContractors.*`, the contractor). Parsing never throws and never refuses: it returns
 * what Gatehouse can act on, or what it could not use and why (recorded, acknowledged, and told to
 * the security channel once).
 */
import { z } from "zod";
import { CONTRACTOR_ID_FIELDS, PERMIT_SALESFORCE_ID_FIELD } from "./assumptions.js";
import { permitStatus, type PermitStatus } from "./schemas.js";

export const BUZZIN_TOKEN_HEADER = "x-buzzin-token";
export const BUZZIN_DELIVERY_HEADER = "x-buzzin-delivery";
export const BUZZIN_EVENT_HEADER = "x-buzzin-event";

const PASS_EVENT_NAMES = [
  "passes.permits.issued",
  "passes.permits.updated",
  "passes.permits.expiring",
  "passes.permits.expired",
  "passes.permits.scanned",
  "passes.permits.firstScanned",
  "passes.permits.lastScanned",
] as const;
const CONTRACTOR_EVENT_NAMES = ["communityContractors.approved", "communityContractors.removed"] as const;
export const BUZZIN_EVENT_NAMES = [...PASS_EVENT_NAMES, ...CONTRACTOR_EVENT_NAMES] as const;
type BuzzinEventName = (typeof BUZZIN_EVENT_NAMES)[number];

const str = z.string().trim().min(1).optional().catch(undefined);
const instant = z.iso
  .datetime({ offset: true })
  .transform((v) => new Date(v))
  .optional()
  .catch(undefined);

/** The documented envelope; every field optional so that a partial one is still read. */
const envelopeSchema = z.looseObject({
  id: str,
  event: str,
  communityId: str,
  createdAt: instant,
  data: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

/** Where a permit event says which permit it is about: its id, or its Salesforce id. */
export interface PermitRef {
  permitId?: string;
  salesforceId?: string;
}

interface Base {
  /** The envelope's `id`, when there is one. */
  envelopeId?: string;
  communityId?: string;
  /** When Buzz-in says the event happened; the receipt time when it does not. */
  createdAt: Date;
}

/** The documented `passes.permits.issued` data, of which Gatehouse needs the code and the permit. */
const issuedDataSchema = z.looseObject({
  permitId: str,
  [PERMIT_SALESFORCE_ID_FIELD]: str,
  passNumber: str,
  status: z.union([z.number(), z.string()]).optional().catch(undefined),
  statusName: str,
  communityContractorId: str,
  validFrom: instant,
  validTill: instant,
  accessCode: str,
  qrToken: str,
  qrImageUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .catch(undefined),
});

/** Assumption [unknown]: the other permit events carry the same permit fields (no code needed). */
const permitDataSchema = issuedDataSchema.pick({
  permitId: true,
  [PERMIT_SALESFORCE_ID_FIELD]: true,
  passNumber: true,
  status: true,
  statusName: true,
  validFrom: true,
  validTill: true,
});

/** Assumption [unknown]: a scan adds when and where; these names are guesses, all optional. */
const scanDataSchema = permitDataSchema.extend({
  scannedAt: instant,
  gate: str,
  direction: str,
});

/** Assumption [unknown]: `communityContractors.*` data is the contractor (see CONTRACTOR_ID_FIELDS). */
const contractorDataSchema = z.looseObject({
  _id: str,
  id: str,
  communityContractorId: str,
  contractorId: str,
  salesforceId: str,
  integrations: z
    .looseObject({ damac: z.looseObject({ salesforceId: str }).optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

export type BuzzinEvent =
  | (Base & {
      event: (typeof CONTRACTOR_EVENT_NAMES)[number];
      contractorId?: string;
      /** The contractor's `integrations.damac.salesforceId`. */
      salesforceId?: string;
    })
  | (Base &
      PermitRef & {
        event: "passes.permits.issued";
        accessCode: string;
        passNumber?: string;
        status: PermitStatus;
        validFrom?: Date;
        validTill?: Date;
        qrImageUrl?: string;
      })
  | (Base &
      PermitRef & {
        event: "passes.permits.updated" | "passes.permits.expiring" | "passes.permits.expired";
        passNumber?: string;
        /** `UNKNOWN` when the event carries no status. */
        status: PermitStatus;
        validFrom?: Date;
        validTill?: Date;
      })
  | (Base &
      PermitRef & {
        event: "passes.permits.scanned" | "passes.permits.firstScanned" | "passes.permits.lastScanned";
        scannedAt?: Date;
        gate?: string;
        direction?: string;
      });

export type ParsedBuzzinEvent =
  | { kind: "event"; event: BuzzinEvent }
  /** Acknowledged and recorded, not acted on: `problem` says what could not be used. */
  | { kind: "unusable"; name: string; envelopeId?: string; problem: string };

function isEventName(name: string): name is BuzzinEventName {
  return (BUZZIN_EVENT_NAMES as readonly string[]).includes(name);
}

/** The fields present in `data`, for a notice that says what came (never their values). */
function fieldsOf(data: Record<string, unknown> | undefined): string {
  const keys = Object.keys(data ?? {}).slice(0, 20);
  return keys.length > 0 ? `fields present: ${keys.join(", ")}` : "no data";
}

/**
 * Reads one delivery. `json` is the parsed body (undefined when it was not JSON), `headerEvent`
 * the `X-Buzzin-Event` header, `receivedAt` the time it came.
 */
export function parseBuzzinEvent(
  json: unknown,
  headerEvent: string | undefined,
  receivedAt: Date,
): ParsedBuzzinEvent {
  if (json === undefined)
    return { kind: "unusable", name: headerEvent ?? "unknown", problem: "the body is not JSON" };
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success)
    return { kind: "unusable", name: headerEvent ?? "unknown", problem: "the body is not a JSON object" };
  const e = envelope.data;
  const name = e.event ?? headerEvent?.trim() ?? "";
  const envelopeId = e.id;
  if (name === "")
    return {
      kind: "unusable",
      name: "unknown",
      envelopeId,
      problem: "no event name in the body or X-Buzzin-Event",
    };
  if (!isEventName(name))
    return {
      kind: "unusable",
      name,
      envelopeId,
      problem: `an event Gatehouse does not know (${fieldsOf(e.data)})`,
    };
  if (!e.data) return { kind: "unusable", name, envelopeId, problem: "the envelope has no `data` object" };
  const base: Base = {
    ...(envelopeId ? { envelopeId } : {}),
    ...(e.communityId ? { communityId: e.communityId } : {}),
    createdAt: e.createdAt ?? receivedAt,
  };
  const unusable = (problem: string): ParsedBuzzinEvent => ({
    kind: "unusable",
    name,
    envelopeId,
    problem: `${problem} (${fieldsOf(e.data)})`,
  });

  if (name === "communityContractors.approved" || name === "communityContractors.removed") {
    const d = contractorDataSchema.parse(e.data);
    const contractorId = CONTRACTOR_ID_FIELDS.map((f) => d[f]).find((v) => v !== undefined);
    const salesforceId = d.integrations?.damac?.salesforceId ?? d.salesforceId;
    if (!contractorId && !salesforceId) return unusable("no contractor id or Salesforce id in `data`");
    return {
      kind: "event",
      event: {
        ...base,
        event: name,
        ...(contractorId ? { contractorId } : {}),
        ...(salesforceId ? { salesforceId } : {}),
      },
    };
  }

  const ref = (d: { permitId?: string; salesforceId?: string }): PermitRef => ({
    ...(d.permitId ? { permitId: d.permitId } : {}),
    ...(d.salesforceId ? { salesforceId: d.salesforceId } : {}),
  });
  const window = (d: { validFrom?: Date; validTill?: Date }) => ({
    ...(d.validFrom ? { validFrom: d.validFrom } : {}),
    ...(d.validTill ? { validTill: d.validTill } : {}),
  });

  if (name === "passes.permits.issued") {
    const d = issuedDataSchema.parse(e.data);
    if (!d.permitId && !d.salesforceId) return unusable("no `data.permitId` or `data.salesforceId`");
    const accessCode = d.accessCode ?? d.qrToken;
    if (!accessCode) return unusable("no `data.accessCode` (or `qrToken`)");
    return {
      kind: "event",
      event: {
        ...base,
        event: name,
        ...ref(d),
        accessCode,
        ...(d.passNumber ? { passNumber: d.passNumber } : {}),
        status: permitStatus(d),
        ...window(d),
        ...(d.qrImageUrl ? { qrImageUrl: d.qrImageUrl } : {}),
      },
    };
  }

  if (
    name === "passes.permits.updated" ||
    name === "passes.permits.expiring" ||
    name === "passes.permits.expired"
  ) {
    const d = permitDataSchema.parse(e.data);
    if (!d.permitId && !d.salesforceId) return unusable("no `data.permitId` or `data.salesforceId`");
    return {
      kind: "event",
      event: {
        ...base,
        event: name,
        ...ref(d),
        ...(d.passNumber ? { passNumber: d.passNumber } : {}),
        status: permitStatus(d),
        ...window(d),
      },
    };
  }

  const d = scanDataSchema.parse(e.data);
  if (!d.permitId && !d.salesforceId) return unusable("no `data.permitId` or `data.salesforceId`");
  return {
    kind: "event",
    event: {
      ...base,
      event: name,
      ...ref(d),
      ...(d.scannedAt ? { scannedAt: d.scannedAt } : {}),
      ...(d.gate ? { gate: d.gate } : {}),
      ...(d.direction ? { direction: d.direction } : {}),
    },
  };
}
