/**
 * zod schemas for what Buzz-in answers. The contractor and the permit follow the 201 examples of
 * create-contractor and create-noc-fit-out-permit; everything is read tolerantly: unknown fields
 * pass through unchecked, a field of an unexpected type is dropped rather than failing the call,
 * and only what Gatehouse cannot do without (an `_id`) is required.
 */
import { z } from "zod";
import { ACCESS_CODE_FIELDS, ENDED_STATUS_NAMES, PERMIT_STATUS_CODES } from "./assumptions.js";

const optionalString = z.string().optional().catch(undefined);
const instant = z.iso.datetime({ offset: true }).optional().catch(undefined);

/** FeathersJS errors: `{"name":"BadRequest","message":"…","code":400}` [doc: external-nfc-visit]. */
export const feathersErrorSchema = z.looseObject({
  name: optionalString,
  message: optionalString,
  code: z.number().optional().catch(undefined),
  /** FeathersJS's field errors, when a validator filled them. */
  errors: z.unknown().optional(),
  data: z.unknown().optional(),
});
export type FeathersErrorBody = z.infer<typeof feathersErrorSchema>;

/** The 201 of `POST /communityContractors` [doc]. */
export const contractorSchema = z.looseObject({
  _id: z.string().min(1),
  name: optionalString,
  email: optionalString,
  phone: optionalString,
  /** Pending until a Community Admin approves it in Buzz-in's dashboard. */
  approved: z.boolean().catch(false),
  communitiesIds: z.array(z.string()).catch([]).default([]),
  company: z
    .looseObject({
      companyName: optionalString,
      tradeLicense: z.looseObject({ publicUrl: optionalString }).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});
export type BuzzinContractor = z.infer<typeof contractorSchema>;

/**
 * A permit: the 201 of `POST /permits` [doc], and (Assumption [unknown]) what
 * `GET /permits/{id}` returns, read with the same schema: `status` may be a number or a name,
 * `statusName` may be there (as in webhooks), the access code may or may not be.
 */
export const permitSchema = z.looseObject({
  _id: z.string().min(1),
  status: z.union([z.number(), z.string()]).optional().catch(undefined),
  statusName: optionalString,
  passNumber: optionalString,
  communityContractorId: optionalString,
  propertyId: optionalString,
  flatId: optionalString,
  validFrom: instant,
  validTill: instant,
  qrImageUrl: optionalString,
  integrations: z
    .looseObject({
      damac: z
        .looseObject({
          salesforceId: optionalString,
          noc: z.looseObject({ nocNumber: optionalString }).optional().catch(undefined),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});
export type BuzzinPermit = z.infer<typeof permitSchema>;

/** Answers Gatehouse does not read (`PATCH /passes/{id}` answers `{}`; others are undocumented). */
export const ignoredSchema = z.unknown();

export interface PermitStatus {
  /** The status's name (upper case), `STATUS_<n>` for an undocumented number, or `UNKNOWN`. */
  name: string;
  /** The pass works at the gate (within its window). */
  accepted: boolean;
  draft: boolean;
  /** Gives no access again (revoked, archived, expired…). */
  ended: boolean;
}

const CODE_NAMES = new Map<number, string>(Object.entries(PERMIT_STATUS_CODES).map(([name, n]) => [n, name]));

/** A permit's status, decided on `statusName` where present, on the documented numbers otherwise. */
export function permitStatus(p: {
  status?: number | string | undefined;
  statusName?: string | undefined;
}): PermitStatus {
  let name = "UNKNOWN";
  if (p.statusName && p.statusName.trim() !== "") name = p.statusName.trim().toUpperCase();
  else if (typeof p.status === "string" && p.status.trim() !== "" && !/^\d+$/.test(p.status.trim()))
    name = p.status.trim().toUpperCase();
  else if (p.status !== undefined && p.status !== "") {
    const n = Number(p.status);
    name = CODE_NAMES.get(n) ?? `STATUS_${n}`;
  }
  return {
    name,
    accepted: name === "ACCEPTED",
    draft: name === "DRAFT",
    ended: ENDED_STATUS_NAMES.includes(name),
  };
}

/** The access code a read permit carries, if Buzz-in puts it there (see ACCESS_CODE_FIELDS). */
export function accessCodeIn(permit: Record<string, unknown>): string | undefined {
  const places = [permit, permit.pass, permit.qr].filter(
    (p): p is Record<string, unknown> => typeof p === "object" && p !== null,
  );
  for (const place of places) {
    for (const field of ACCESS_CODE_FIELDS) {
      const value = place[field];
      if (typeof value === "string" && value.trim() !== "") return value.trim();
    }
  }
  return undefined;
}
