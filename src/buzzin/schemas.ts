/**
 * zod schemas for what Buzz-in answers. Only the contractor (the create contractor 201 example) is
 * documented; the error body, the permit and its pass are assumptions listed at the top of
 * client.ts. Schemas hold on to what Gatehouse reads and let the rest through unchecked, so an
 * extra field from Buzz-in does not break a call.
 */
import { z } from "zod";
import { isLocalDate } from "../lib/time.js";

const localDate = z.string().refine(isLocalDate, "expected a YYYY-MM-DD date");

/** NestJS-style `{statusCode, error, message}`; each field is optional and ignored when odd. */
export const buzzinErrorBodySchema = z.object({
  statusCode: z.number().optional().catch(undefined),
  error: z.string().optional().catch(undefined),
  message: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .catch(undefined),
  field: z.string().optional().catch(undefined),
  fields: z.array(z.string()).optional().catch(undefined),
});
export type BuzzinErrorBody = z.infer<typeof buzzinErrorBodySchema>;

export const contractorSchema = z.object({
  _id: z.string().min(1),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  /** Pending until a Community Admin approves it in Buzz-in's dashboard. */
  approved: z.boolean(),
  communitiesIds: z.array(z.string()).default([]),
  company: z
    .object({
      companyName: z.string(),
      tradeLicense: z.object({ publicUrl: z.string().optional() }).optional(),
    })
    .optional(),
  integrations: z.object({ damac: z.object({ salesforceId: z.string().optional() }).optional() }).optional(),
  /** Assumed: set once revoked through the API. */
  revokedAt: z.string().nullish(),
});
export type BuzzinContractor = z.infer<typeof contractorSchema>;

/** Assumed lifecycle: draft → submitted → accepted (pass issued); rejected, expired, cancelled end it. */
export const PERMIT_STATUSES = [
  "draft",
  "submitted",
  "accepted",
  "rejected",
  "expired",
  "cancelled",
] as const;
export type PermitStatus = (typeof PERMIT_STATUSES)[number];
export const PASS_STATUSES = ["active", "revoked", "expired"] as const;
export type PassStatus = (typeof PASS_STATUSES)[number];

export const passSchema = z.object({
  _id: z.string().min(1),
  status: z.enum(PASS_STATUSES),
  accessCode: z.string().min(1),
  qrCodeUrl: z.string().url(),
  validFrom: z.iso.datetime({ offset: true }),
  validTo: z.iso.datetime({ offset: true }),
});
export type BuzzinPass = z.infer<typeof passSchema>;

export const permitSchema = z.object({
  _id: z.string().min(1),
  type: z.string(),
  status: z.enum(PERMIT_STATUSES),
  contractorId: z.string(),
  property: z.string().optional(),
  unit: z.string().optional(),
  startDate: localDate,
  endDate: localDate,
  integrations: z
    .object({
      damac: z
        .object({
          salesforceId: z.string().optional(),
          propertySalesforceId: z.string().optional(),
          unitSalesforceId: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  pass: passSchema.nullable().default(null),
});
export type BuzzinPermit = z.infer<typeof permitSchema>;
