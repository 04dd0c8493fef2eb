/**
 * Wire shapes of the Buzz-in sandbox: NestJS-style errors and the contractor, permit and pass as
 * src/buzzin/schemas.ts reads them (the contractor as documented, the rest as assumed there), and
 * the `data` of each webhook as src/buzzin/events.ts parses it.
 */
import { json } from "../doorflow/respond.js";
import type { SandboxContractor, SandboxPass, SandboxPermit, SandboxResponse } from "./types.js";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function nestError(
  status: number,
  message: string | string[],
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): SandboxResponse {
  return json(status, { statusCode: status, error: REASONS[status] ?? "Error", message, ...extra }, headers);
}

export const notFound = (what: string, id: string) => nestError(404, `${what} ${id} not found`);
export const conflict = (message: string) => nestError(409, message);

export function contractorJson(c: SandboxContractor): Record<string, unknown> {
  return {
    _id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    approved: c.approved,
    communitiesIds: [c.communityId],
    company: {
      companyName: c.companyName,
      tradeLicense: {
        publicUrl: `https://cdn.buzz-in.co/public/communityContractors/${c.id}/${c.tradeLicense.fileName ?? "license.pdf"}`,
      },
    },
    integrations: { damac: { salesforceId: c.salesforceId } },
    revokedAt: c.revokedAt?.toISOString() ?? null,
  };
}

export function passJson(p: SandboxPass): Record<string, unknown> {
  return {
    _id: p.id,
    status: p.status,
    accessCode: p.accessCode,
    qrCodeUrl: p.qrCodeUrl,
    validFrom: p.validFrom.toISOString(),
    validTo: p.validTo.toISOString(),
  };
}

export function permitJson(p: SandboxPermit): Record<string, unknown> {
  return {
    _id: p.id,
    type: p.type,
    status: p.status,
    contractorId: p.contractorId,
    property: p.property,
    unit: p.unit,
    startDate: p.startDate,
    endDate: p.endDate,
    integrations: { damac: p.salesforce },
    pass: p.pass ? passJson(p.pass) : null,
  };
}

export function contractorEventData(c: SandboxContractor): Record<string, unknown> {
  return { contractorId: c.id, communityId: c.communityId, salesforceId: c.salesforceId };
}

export function passEventData(permit: SandboxPermit, pass: SandboxPass): Record<string, unknown> {
  return { permitId: permit.id, contractorId: permit.contractorId, passId: pass.id };
}

export function issuedEventData(permit: SandboxPermit, pass: SandboxPass): Record<string, unknown> {
  return {
    ...passEventData(permit, pass),
    accessCode: pass.accessCode,
    qrCodeUrl: pass.qrCodeUrl,
    validFrom: pass.validFrom.toISOString(),
    validTo: pass.validTo.toISOString(),
  };
}
