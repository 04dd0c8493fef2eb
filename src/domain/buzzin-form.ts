/**
 * The contractor form when the site is a Buzz-in community: what Buzz-in's contractor needs
 * (create-contractor: phone, trade licence, Salesforce id) and what its permit needs to be created
 * and submitted (create-noc-fit-out-permit: property and unit, validity, jobs summary, the NOC
 * document with its number and dates; submit: time in and out, a representative, at least one
 * employee). Checked on the fields, one message each that says what to fix. Calendar days and times
 * of day are the community's (BUZZIN_TIME_ZONE).
 */
import type { NewBuzzinPermit } from "../db/repositories/buzzin-permits.js";
import { formatLocalDate, isLocalDate, type LocalDate, localDateOf, zonedInstant } from "../lib/time.js";
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
import { type CheckResult, notAllowedToRequest } from "./requests.js";

export type BuzzinField =
  | "firstName"
  | "lastName"
  | "email"
  | "phone"
  | "company"
  | "tradeLicenseUrl"
  | "tradeLicenseExpiry"
  | "salesforceId"
  | "property"
  | "unit"
  | "startDate"
  | "endDate"
  | "timeIn"
  | "timeOut"
  | "jobsSummary"
  | "nocUrl"
  | "nocNumber"
  | "nocIssueDate"
  | "nocExpiryDate"
  | "representativeName"
  | "representativePhone"
  | "employees"
  | "notes";

export interface BuzzinForm {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  tradeLicenseUrl?: string | null;
  tradeLicenseExpiry?: string | null;
  salesforceId?: string | null;
  property?: string | null;
  unit?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  timeIn?: string | null;
  timeOut?: string | null;
  jobsSummary?: string | null;
  nocUrl?: string | null;
  nocNumber?: string | null;
  nocIssueDate?: string | null;
  nocExpiryDate?: string | null;
  representativeName?: string | null;
  representativePhone?: string | null;
  employees?: string | null;
  notes?: string | null;
}

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

export interface BuzzinFormContext {
  /** Now, and the community's zone: "today", and whether the pass would end in the past. */
  now: Date;
  timeZone: string;
  maxDays: number;
}

/** E.164: a plus, the country code, at most 15 digits in all (Buzz-in's example: +971500000000). */
const E164 = /^\+[1-9]\d{6,14}$/;
/** Salesforce record ids are 15 or 18 letters and digits. */
const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
/** A Buzz-in id (24 hex) or a DAMAC external id such as DAMAC-TWR-07 or UNIT-0712. */
const PLACE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const EMPLOYEES_MAX = 50;
const SUMMARY_MAX = 1000;
const NOC_NUMBER_MAX = 64;
const URL_MAX = 2000;

type Errors = FieldErrors<BuzzinField>;

function checkPhone(
  errors: Errors,
  field: BuzzinField,
  value: string | null | undefined,
  whose: string,
): string {
  const v = text(value).replace(/[\s()-]/g, "");
  if (!v) errors[field] = `Enter ${whose} mobile number with the country code, like +971500000000.`;
  else if (!E164.test(v))
    errors[field] = "Use the international form: + and the country code, then digits only.";
  return v;
}

function checkHttps(
  errors: Errors,
  field: BuzzinField,
  value: string | null | undefined,
  what: string,
): string {
  const v = text(value);
  if (!v) {
    errors[field] = `Enter the link to ${what} (a PDF or image).`;
    return v;
  }
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    url = null;
  }
  if (!url || url.protocol !== "https:" || v.length > URL_MAX)
    errors[field] = "Use an https:// link Buzz-in can download, like https://files.example.com/document.pdf.";
  return v;
}

function checkDate(
  errors: Errors,
  field: BuzzinField,
  value: string | null | undefined,
  what: string,
): LocalDate | null {
  const v = text(value);
  if (!v || !isLocalDate(v)) {
    errors[field] = `Pick the day ${what}.`;
    return null;
  }
  return v;
}

function checkTime(
  errors: Errors,
  field: BuzzinField,
  value: string | null | undefined,
  what: string,
): string | null {
  const v = text(value);
  if (!HH_MM.test(v)) {
    errors[field] = `Pick the time ${what} (the community's time).`;
    return null;
  }
  return v;
}

function checkPlace(
  errors: Errors,
  field: BuzzinField,
  value: string | null | undefined,
  what: string,
): string {
  const v = text(value);
  if (!v)
    errors[field] =
      `Enter the ${what}: Buzz-in's id or DAMAC's external id (like ${what === "unit" ? "UNIT-0712" : "DAMAC-TWR-07"}).`;
  else if (!PLACE.test(v))
    errors[field] = `A ${what} id is letters, digits, dots, dashes and slashes (at most 64).`;
  return v;
}

/** One employee a line: "Name, +971…". */
export function parseEmployees(
  value: string | null | undefined,
): { ok: true; employees: Array<{ name: string; phone: string }> } | { ok: false; message: string } {
  const lines = text(value)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0)
    return {
      ok: false,
      message: "Add at least one employee: their name, a comma, then their mobile (+971…).",
    };
  if (lines.length > EMPLOYEES_MAX)
    return { ok: false, message: `At most ${EMPLOYEES_MAX} employees per permit.` };
  const employees: Array<{ name: string; phone: string }> = [];
  for (const [i, line] of lines.entries()) {
    const match = /^(.+?)\s*[,;\t]\s*(\+[\d\s()-]+)$/.exec(line);
    const name = match?.[1]?.trim() ?? "";
    const phone = (match?.[2] ?? "").replace(/[\s()-]/g, "");
    if (!match || !name)
      return { ok: false, message: `Line ${i + 1}: write the name, a comma, then the mobile (+971…).` };
    if (name.length > NAME_MAX * 2)
      return { ok: false, message: `Line ${i + 1}: keep the name under ${NAME_MAX * 2} characters.` };
    if (!E164.test(phone))
      return {
        ok: false,
        message: `Line ${i + 1}: the mobile must be + and the country code, then digits only.`,
      };
    employees.push({ name, phone });
  }
  return { ok: true, employees };
}

function checkSalesforceId(errors: Errors, value: string | null | undefined): string {
  const v = text(value);
  if (!v) errors.salesforceId = "Enter the contractor's Salesforce id (15 or 18 letters and digits).";
  else if (!SALESFORCE_ID.test(v)) errors.salesforceId = "A Salesforce id is 15 or 18 letters and digits.";
  return v;
}

export function validateBuzzinForm(
  form: BuzzinForm,
  ctx: BuzzinFormContext,
): Validated<BuzzinRequestInput, BuzzinField> {
  const errors: Errors = {};
  const today = localDateOf(ctx.now, ctx.timeZone);
  const firstName = requiredText(errors, "firstName", form.firstName, "first name", NAME_MAX);
  const lastName = requiredText(errors, "lastName", form.lastName, "last name", NAME_MAX);
  const email = checkEmail(errors, "email", text(form.email), true);
  const phone = checkPhone(errors, "phone", form.phone, "their");
  const company = requiredText(errors, "company", form.company, "company", COMPANY_MAX);
  const tradeLicenseUrl = checkHttps(
    errors,
    "tradeLicenseUrl",
    form.tradeLicenseUrl,
    "the company's trade licence",
  );
  const salesforceId = checkSalesforceId(errors, form.salesforceId);
  const property = checkPlace(errors, "property", form.property, "property");
  const unit = checkPlace(errors, "unit", form.unit, "unit");

  const startDate = checkDay(errors, "startDate", form.startDate, today, "start date");
  const endDate = checkDay(errors, "endDate", form.endDate, today, "end date");
  checkRange(errors, startDate, endDate, ctx.maxDays);
  const timeIn = checkTime(errors, "timeIn", form.timeIn, "the workers may come in from");
  const timeOut = checkTime(errors, "timeOut", form.timeOut, "they must be out by");
  if (timeIn && timeOut && timeOut <= timeIn) errors.timeOut = `Time out must be after time in (${timeIn}).`;
  else if (endDate && timeOut && !errors.endDate && zonedInstant(endDate, timeOut, ctx.timeZone) <= ctx.now)
    errors.timeOut = `${timeOut} on the last day has already passed: pick a later time out or end date.`;

  const licenceExpiry = checkDate(
    errors,
    "tradeLicenseExpiry",
    form.tradeLicenseExpiry,
    "the trade licence expires",
  );
  if (licenceExpiry && endDate && licenceExpiry < endDate)
    errors.tradeLicenseExpiry = `The licence expires on ${formatLocalDate(licenceExpiry)}, before the work ends: ask the company for the renewed licence, or end the work earlier.`;

  const jobsSummary = requiredText(errors, "jobsSummary", form.jobsSummary, "jobs summary", SUMMARY_MAX);
  const nocUrl = checkHttps(errors, "nocUrl", form.nocUrl, "the NOC document");
  const nocNumber = requiredText(errors, "nocNumber", form.nocNumber, "NOC number", NOC_NUMBER_MAX);
  const nocIssueDate = checkDate(errors, "nocIssueDate", form.nocIssueDate, "the NOC was issued");
  if (nocIssueDate && nocIssueDate > today) errors.nocIssueDate = "A NOC cannot be issued in the future.";
  const nocExpiryDate = checkDate(errors, "nocExpiryDate", form.nocExpiryDate, "the NOC expires");
  if (nocExpiryDate && endDate && nocExpiryDate < endDate)
    errors.nocExpiryDate = `The NOC expires on ${formatLocalDate(nocExpiryDate)}, before the work ends: get a NOC that covers the work, or end it earlier.`;
  else if (nocExpiryDate && nocIssueDate && nocExpiryDate < nocIssueDate)
    errors.nocExpiryDate = "The NOC cannot expire before it was issued.";

  const representativeName = requiredText(
    errors,
    "representativeName",
    form.representativeName,
    "representative's name",
    NAME_MAX * 2,
  );
  const representativePhone = checkPhone(
    errors,
    "representativePhone",
    form.representativePhone,
    "the representative's",
  );
  const employees = parseEmployees(form.employees);
  if (!employees.ok) errors.employees = employees.message;

  const notes = text(form.notes);
  if (notes.length > NOTES_MAX) errors.notes = `Keep the notes under ${NOTES_MAX} characters.`;

  if (
    Object.keys(errors).length > 0 ||
    !email ||
    !startDate ||
    !endDate ||
    !timeIn ||
    !timeOut ||
    !licenceExpiry ||
    !nocIssueDate ||
    !nocExpiryDate ||
    !employees.ok
  )
    return { ok: false, errors };
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
        tradeLicenseExpiry: licenceExpiry,
        salesforceId,
        property,
        unit,
        timeIn,
        timeOut,
        jobsSummary,
        nocUrl,
        nocNumber,
        nocIssueDate,
        nocExpiryDate,
        representativeName,
        representativePhone,
        employees: employees.employees,
      },
    },
  };
}

/** What the Buzz-in form opens with: today and the day and time rules, in the community's zone. */
export function buzzinFormDefaults(deps: Pick<Deps, "now" | "settings">): {
  today: LocalDate;
  maxDays: number;
  timeZone: string;
} {
  const timeZone = deps.settings.buzzinTimeZone;
  return { today: localDateOf(deps.now(), timeZone), maxDays: deps.settings.contractorMaxDays, timeZone };
}

/** "Tower B, unit 1204": how a Buzz-in place reads in messages. */
export function placeName(p: { property: string; unit: string }): string {
  return `${p.property}, unit ${p.unit}`;
}

export async function checkBuzzinRequest(
  deps: Deps,
  input: { requesterId: string; form: BuzzinForm },
): Promise<CheckResult<BuzzinField>> {
  if (!(await deps.policy.mayRequest(input.requesterId))) return notAllowedToRequest();
  if (!deps.buzzin) return { status: "forbidden", message: "Buzz-in is not configured here." };
  const checked = validateBuzzinForm(input.form, {
    now: deps.now(),
    timeZone: deps.settings.buzzinTimeZone,
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
        accessNames: [placeName(v.permit)],
        startDate: v.startDate,
        endDate: v.endDate,
        credential: "access_code",
        cardNumber: null,
      },
      buzzin: v.permit,
    },
  };
}
