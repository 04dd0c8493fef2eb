/**
 * Wire shapes of the Buzz-in sandbox, as the pages document them: FeathersJS errors
 * (`{name, message, code}`), the create-contractor and create-permit 201 bodies, and the
 * `passes.permits.issued` data field for field (test/buzzin/documented-envelope.test.ts holds the
 * two side by side). What the pages leave open is the sandbox's own choice, marked so here.
 */
import { json } from "../doorflow/respond.js";
import type {
  SandboxContractor,
  SandboxNoc,
  SandboxPermit,
  SandboxPermitStatus,
  SandboxResponse,
} from "./types.js";

/** FeathersJS's error class names (`name`) by status. */
const NAMES: Record<number, string> = {
  400: "BadRequest",
  401: "NotAuthenticated",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  422: "Unprocessable",
  429: "TooManyRequests",
  500: "GeneralError",
  502: "BadGateway",
  503: "Unavailable",
};

/** `{"name":"BadRequest","message":"…","code":400}`, with `errors` / `data` where FeathersJS adds them. */
export function feathersError(
  status: number,
  message: string,
  extra: { errors?: Record<string, string>; data?: Record<string, unknown> } = {},
  headers: Record<string, string> = {},
): SandboxResponse {
  return json(
    status,
    {
      name: NAMES[status] ?? "GeneralError",
      message,
      code: status,
      ...(extra.errors ? { errors: extra.errors } : {}),
      ...(extra.data ? { data: extra.data } : {}),
    },
    headers,
  );
}

/** [doc] "Record Not Found". */
export const notFound = () => feathersError(404, "Record Not Found");
export const badRequest = (message: string, errors?: Record<string, string>) =>
  feathersError(400, message, errors ? { errors } : {});

/**
 * Status numbers: 1 and 10 are documented; the rest are the sandbox's stand-ins for numbers
 * Buzz-in does not publish, so a client that decides on them (and not on `statusName`) is caught.
 */
const STATUS_CODES: Record<SandboxPermitStatus, number> = {
  ACCEPTED: 1,
  DRAFT: 10,
  PENDING: 102,
  REJECTED: 103,
  REVOKED: 104,
  ARCHIVED: 105,
  EXPIRED: 106,
};

const CDN = "https://cdn.buzz-in.co/public";

export function contractorJson(c: SandboxContractor): Record<string, unknown> {
  return {
    _id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    approved: c.approved,
    communitiesIds: c.removedAt ? [] : [c.communityId],
    company: {
      companyName: c.companyName,
      tradeLicense: { publicUrl: `${CDN}/communityContractors/${c.tradeLicense.fileName ?? "license.pdf"}` },
    },
    ...(c.salesforceId ? { integrations: { damac: { salesforceId: c.salesforceId } } } : {}),
  };
}

function nocJson(noc: SandboxNoc): Record<string, unknown> {
  return {
    document: { publicUrl: noc.url ?? `${CDN}/permits/noc-${noc.nocNumber}.pdf` },
    nocNumber: noc.nocNumber,
  };
}

/**
 * The create-permit 201 [doc]; `GET /permits/{id}` (undocumented) answers the same plus
 * `statusName`, `passNumber` and the gate details, and the access code only when asked to.
 */
export function permitJson(
  p: SandboxPermit,
  read: { statusName: boolean; accessCode: boolean } = { statusName: false, accessCode: false },
): Record<string, unknown> {
  return {
    _id: p.id,
    status: STATUS_CODES[p.status],
    ...(read.statusName ? { statusName: p.status } : {}),
    communityContractorId: p.contractorId,
    propertyId: p.propertyId,
    flatId: p.flatId,
    validFrom: p.validFrom.toISOString(),
    validTill: p.validTill.toISOString(),
    ...(read.statusName && p.passNumber ? { passNumber: p.passNumber } : {}),
    ...(read.statusName && p.timeIn ? { timeIn: p.timeIn, timeOut: p.timeOut } : {}),
    ...(read.accessCode && p.accessCode ? { accessCode: p.accessCode } : {}),
    integrations: {
      damac: {
        salesforceId: p.salesforcePermitId,
        ...(p.noc ? { noc: nocJson(p.noc) } : {}),
        ...(p.nocHistory.length > 0 ? { nocHistory: p.nocHistory.map(nocJson) } : {}),
      },
    },
  };
}

/** The permit fields every permit event carries (the issued example's, without the code and QR). */
export function permitEventData(p: SandboxPermit): Record<string, unknown> {
  return {
    permitId: p.id,
    passNumber: p.passNumber,
    status: STATUS_CODES[p.status],
    statusName: p.status,
    type: "permits",
    // [doc] the example's only value; the sandbox does not model permit types beyond it.
    permitType: "buildUp",
    communityId: p.communityId,
    propertyId: p.propertyId,
    flatId: p.flatId,
    communityContractorId: p.contractorId,
    salesforceId: p.salesforcePermitId,
    validFrom: p.validFrom.toISOString(),
    validTill: p.validTill.toISOString(),
  };
}

/** A tiny but real base64 PNG signature standing in for the QR image. */
const QR_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/** `passes.permits.issued` data, field for field as the passes-permits-issued page shows it. */
export function issuedEventData(p: SandboxPermit): Record<string, unknown> {
  const code = p.accessCode ?? "";
  return {
    ...permitEventData(p),
    accessCode: code,
    permitDocumentationUrl: `${CDN}/permits/permit-${p.passNumber ?? ""}.pdf`,
    qrToken: code,
    qrImageBase64: QR_PNG_BASE64,
    qrImageUrl: `${CDN}/permits/permit-${p.passNumber ?? ""}-qr.png`,
  };
}
