/**
 * The contractor form when the site is a Buzz-in community: what Buzz-in's contractor and permit
 * need on top of a contractor request (phone, trade licence, Salesforce ids, property and unit),
 * with one message per field that says what to fix.
 */
import { z } from "zod";
import type { NewBuzzinPermit } from "../db/repositories/buzzin-permits.js";
import { formatLocalDate, isLocalDate, type LocalDate } from "../lib/time.js";
import type { Deps } from "./deps.js";
import { blockingContract } from "./existing-people.js";
import {
  COMPANY_MAX,
  checkDay,
  checkEmail,
  checkRange,
  type FieldErrors,
  NAME_MAX,
  NOTES_MAX,
  requiredText,
  text,
  type Validated,
} from "./request-form.js";
import { type CheckResult, notAllowedToRequest, todayIn } from "./requests.js";

export type BuzzinField =
  | "firstName"
  | "lastName"
  | "email"
  | "phone"
  | "company"
  | "tradeLicenseUrl"
  | "tradeLicenseExpiry"
  | "salesforceId"
  | "permitType"
  | "property"
  | "unit"
  | "propertySalesforceId"
  | "unitSalesforceId"
  | "startDate"
  | "endDate"
  | "notes";

const optionalText = z.string().optional().nullable();
export const buzzinFormSchema = z.object({
  firstName: optionalText,
  lastName: optionalText,
  email: optionalText,
  phone: optionalText,
  company: optionalText,
  tradeLicenseUrl: optionalText,
  tradeLicenseExpiry: optionalText,
  salesforceId: optionalText,
  permitType: optionalText,
  property: optionalText,
  unit: optionalText,
  propertySalesforceId: optionalText,
  unitSalesforceId: optionalText,
  startDate: optionalText,
  endDate: optionalText,
  notes: optionalText,
});
export type BuzzinForm = z.infer<typeof buzzinFormSchema>;

export interface BuzzinRequestInput {
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  startDate: LocalDate;
  endDate: LocalDate;
  notes: string | null;
  permit: Omit<NewBuzzinPermit, "requestId">;
}

/** E.164: a plus, the country code, at most 15 digits in all (Buzz-in's example: +971500000000). */
const E164 = /^\+[1-9]\d{6,14}$/;
/** Salesforce record ids are 15 or 18 letters and digits. */
const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const PLACE_MAX = 120;

function checkPhone(errors: FieldErrors<BuzzinField>, value: string | null | undefined): string {
  const v = text(value).replace(/[\s()-]/g, "");
  if (!v) errors.phone = "Enter their mobile number with the country code, like +971500000000.";
  else if (!E164.test(v))
    errors.phone = "Use the international form: + and the country code, then digits only.";
  return v;
}

function checkUrl(errors: FieldErrors<BuzzinField>, value: string | null | undefined): string {
  const v = text(value);
  if (!v) {
    errors.tradeLicenseUrl = "Enter the link to the company's trade licence (a PDF or image).";
    return v;
  }
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    url = null;
  }
  if (!url || url.protocol !== "https:" || v.length > 2000)
    errors.tradeLicenseUrl =
      "Use an https:// link Buzz-in can download, like https://files.example.com/licence.pdf.";
  return v;
}

function checkSalesforceId<F extends BuzzinField>(
  errors: FieldErrors<BuzzinField>,
  field: F,
  value: string | null | undefined,
  what: string,
): string {
  const v = text(value);
  if (!v) errors[field] = `Enter the ${what}'s Salesforce id (15 or 18 letters and digits).`;
  else if (!SALESFORCE_ID.test(v)) errors[field] = "A Salesforce id is 15 or 18 letters and digits.";
  return v;
}

export function validateBuzzinForm(
  form: BuzzinForm,
  ctx: { today: LocalDate; maxDays: number },
): Validated<BuzzinRequestInput, BuzzinField> {
  const errors: FieldErrors<BuzzinField> = {};
  const firstName = requiredText(errors, "firstName", form.firstName, "first name", NAME_MAX);
  const lastName = requiredText(errors, "lastName", form.lastName, "last name", NAME_MAX);
  const email = checkEmail(errors, "email", text(form.email), true);
  const phone = checkPhone(errors, form.phone);
  const company = requiredText(errors, "company", form.company, "company", COMPANY_MAX);
  const tradeLicenseUrl = checkUrl(errors, form.tradeLicenseUrl);
  const salesforceId = checkSalesforceId(errors, "salesforceId", form.salesforceId, "contractor");
  const permitType = text(form.permitType);
  if (permitType !== "noc" && permitType !== "fitOut") errors.permitType = "Choose NOC or Fit-out.";
  const property = requiredText(errors, "property", form.property, "property", PLACE_MAX);
  const unit = requiredText(errors, "unit", form.unit, "unit", PLACE_MAX);
  const propertySalesforceId = checkSalesforceId(
    errors,
    "propertySalesforceId",
    form.propertySalesforceId,
    "property",
  );
  const unitSalesforceId = checkSalesforceId(errors, "unitSalesforceId", form.unitSalesforceId, "unit");
  const startDate = checkDay(errors, "startDate", form.startDate, ctx.today, "start date");
  const endDate = checkDay(errors, "endDate", form.endDate, ctx.today, "end date");
  checkRange(errors, startDate, endDate, ctx.maxDays);
  const expiry = text(form.tradeLicenseExpiry);
  if (!expiry || !isLocalDate(expiry)) errors.tradeLicenseExpiry = "Pick the day the trade licence expires.";
  else if (endDate && expiry < endDate)
    errors.tradeLicenseExpiry = `The licence expires on ${formatLocalDate(expiry)}, before the work ends: ask the company for the renewed licence, or end the work earlier.`;
  const notes = text(form.notes);
  if (notes.length > NOTES_MAX) errors.notes = `Keep the notes under ${NOTES_MAX} characters.`;

  if (Object.keys(errors).length > 0 || !email || !startDate || !endDate) return { ok: false, errors };
  return {
    ok: true,
    value: {
      firstName,
      lastName,
      email,
      company,
      startDate,
      endDate,
      notes: notes || null,
      permit: {
        phone,
        tradeLicenseUrl,
        tradeLicenseExpiry: expiry,
        salesforceId,
        permitType: permitType as "noc" | "fitOut",
        property,
        unit,
        propertySalesforceId,
        unitSalesforceId,
      },
    },
  };
}

export async function checkBuzzinRequest(
  deps: Deps,
  input: { requesterId: string; form: BuzzinForm },
): Promise<CheckResult<BuzzinField>> {
  if (!(await deps.policy.mayRequest(input.requesterId))) return notAllowedToRequest();
  if (!deps.buzzin) return { status: "forbidden", message: "Buzz-in is not configured here." };
  const checked = validateBuzzinForm(input.form, {
    today: todayIn(deps),
    maxDays: deps.settings.contractorMaxDays,
  });
  if (!checked.ok) return { status: "invalid", errors: checked.errors };
  const v = checked.value;
  const taken = blockingContract(deps.db, v.email);
  if (taken) return { status: "invalid", errors: { email: taken } };
  return {
    status: "valid",
    draft: {
      requesterId: input.requesterId,
      fields: {
        kind: "contractor",
        provider: "buzzin",
        firstName: v.firstName,
        lastName: v.lastName,
        email: v.email,
        company: v.company,
        notes: v.notes,
        accessIds: [],
        accessNames: [`${v.permit.property}, unit ${v.permit.unit}`],
        startDate: v.startDate,
        endDate: v.endDate,
        credential: "access_code",
        cardNumber: null,
      },
      buzzin: v.permit,
    },
  };
}
