/**
 * The request forms' rules, independent of Slack: what a contractor or visitor request must hold,
 * with one message per field that says what to fix. Days are calendar days in the account zone.
 */
import { z } from "zod";
import { daysBetween, formatLocalDate, isLocalDate, type LocalDate } from "../lib/time.js";

export type ContractorField =
  | "firstName"
  | "lastName"
  | "email"
  | "company"
  | "accessGroups"
  | "startDate"
  | "endDate"
  | "credential"
  | "cardNumber"
  | "notes";
export type VisitorField = "firstName" | "lastName" | "email" | "company" | "doors" | "visitDate";

export type FieldErrors<F extends string> = Partial<Record<F, string>>;
export type Validated<T, F extends string> = { ok: true; value: T } | { ok: false; errors: FieldErrors<F> };

/** What a form arrives as: every field may be missing or blank. */
export interface ContractorForm {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  company?: string | null;
  accessGroups?: string[] | null;
  startDate?: string | null;
  endDate?: string | null;
  credential?: string | null;
  cardNumber?: string | null;
  notes?: string | null;
}

export interface VisitorForm {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  company?: string | null;
  doors?: string[] | null;
  visitDate?: string | null;
}

export interface ContractorRequestInput {
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  groupIds: number[];
  startDate: LocalDate;
  endDate: LocalDate;
  credential: "card" | "mobile";
  cardNumber: string | null;
  notes: string | null;
}

export interface VisitorRequestInput {
  firstName: string;
  lastName: string;
  email: string | null;
  company: string;
  doorIds: number[];
  visitDate: LocalDate;
}

export interface FormContext {
  today: LocalDate;
  maxDays: number;
  /** Ids DoorFlow offers (groups for a contractor, doors for a visitor). */
  knownIds: ReadonlySet<number>;
}

export const NAME_MAX = 80;
export const COMPANY_MAX = 120;
export const NOTES_MAX = 1000;
const CARD_DIGITS = /^\d{1,20}$/;
const emailSchema = z.email();

export function text(value: string | null | undefined): string {
  return (value ?? "").trim();
}

export function requiredText<F extends string>(
  errors: FieldErrors<F>,
  field: F,
  value: string | null | undefined,
  label: string,
  max: number,
): string {
  const v = text(value);
  if (!v) errors[field] = `Enter the ${label}.`;
  else if (v.length > max) errors[field] = `Keep the ${label} under ${max} characters.`;
  return v;
}

export function checkEmail<F extends string>(
  errors: FieldErrors<F>,
  field: F,
  value: string,
  required: boolean,
): string | null {
  if (!value) {
    if (required) errors[field] = "Enter their email address: it is how Gatehouse finds them at the end.";
    return null;
  }
  if (!emailSchema.safeParse(value).success) {
    errors[field] = "Enter a real email address, like name@company.com.";
    return null;
  }
  return value.toLowerCase();
}

function checkIds<F extends string>(
  errors: FieldErrors<F>,
  field: F,
  values: string[] | null | undefined,
  known: ReadonlySet<number>,
  what: string,
): number[] {
  const ids = (values ?? []).map(Number);
  if (ids.length === 0) errors[field] = `Choose at least one ${what}.`;
  else if (ids.some((id) => !Number.isInteger(id) || !known.has(id)))
    errors[field] = `One of the ${what}s is no longer in DoorFlow: choose again.`;
  return [...new Set(ids)];
}

export function checkDay<F extends string>(
  errors: FieldErrors<F>,
  field: F,
  value: string | null | undefined,
  today: LocalDate,
  label: string,
): LocalDate | null {
  const v = text(value);
  if (!v || !isLocalDate(v)) {
    errors[field] = `Pick the ${label}.`;
    return null;
  }
  if (v < today) {
    errors[field] = `The ${label} cannot be in the past (today is ${formatLocalDate(today)}).`;
    return null;
  }
  return v;
}

/** The end is the last day: not before the start, at most `maxDays` after it. */
export function checkRange<F extends string>(
  errors: FieldErrors<F | "endDate">,
  startDate: LocalDate | null,
  endDate: LocalDate | null,
  maxDays: number,
): void {
  if (!startDate || !endDate) return;
  const days = daysBetween(startDate, endDate);
  if (days < 0) errors.endDate = "The end date cannot be before the start date.";
  else if (days > maxDays)
    errors.endDate = `The end date can be at most ${maxDays} days after the start date; ask for an extension later.`;
}

export function validateContractorForm(
  form: ContractorForm,
  ctx: FormContext,
): Validated<ContractorRequestInput, ContractorField> {
  const errors: FieldErrors<ContractorField> = {};
  const firstName = requiredText(errors, "firstName", form.firstName, "first name", NAME_MAX);
  const lastName = requiredText(errors, "lastName", form.lastName, "last name", NAME_MAX);
  const email = checkEmail(errors, "email", text(form.email), true);
  const company = requiredText(errors, "company", form.company, "company", COMPANY_MAX);
  const groupIds = checkIds(errors, "accessGroups", form.accessGroups, ctx.knownIds, "access group");
  const startDate = checkDay(errors, "startDate", form.startDate, ctx.today, "start date");
  const endDate = checkDay(errors, "endDate", form.endDate, ctx.today, "end date");
  checkRange(errors, startDate, endDate, ctx.maxDays);
  const credential = text(form.credential);
  if (credential !== "card" && credential !== "mobile")
    errors.credential = "Choose Card or Mobile credential.";
  const cardNumber = text(form.cardNumber).replace(/\s+/g, "");
  if (credential === "card" && !cardNumber) errors.cardNumber = "Enter the card number printed on the card.";
  else if (cardNumber && !CARD_DIGITS.test(cardNumber)) errors.cardNumber = "Use digits only (at most 20).";
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
      groupIds,
      startDate,
      endDate,
      credential: credential as "card" | "mobile",
      cardNumber: credential === "card" ? cardNumber : null,
      notes: notes || null,
    },
  };
}

export function validateVisitorForm(
  form: VisitorForm,
  ctx: FormContext,
): Validated<VisitorRequestInput, VisitorField> {
  const errors: FieldErrors<VisitorField> = {};
  const firstName = requiredText(errors, "firstName", form.firstName, "first name", NAME_MAX);
  const lastName = requiredText(errors, "lastName", form.lastName, "last name", NAME_MAX);
  const email = checkEmail(errors, "email", text(form.email), false);
  const company = requiredText(errors, "company", form.company, "company", COMPANY_MAX);
  const doorIds = checkIds(errors, "doors", form.doors, ctx.knownIds, "door");
  const visitDate = checkDay(errors, "visitDate", form.visitDate, ctx.today, "visit date");
  if (visitDate && daysBetween(ctx.today, visitDate) > ctx.maxDays)
    errors.visitDate = `Pick a visit date within ${ctx.maxDays} days.`;
  if (Object.keys(errors).length > 0 || !visitDate) return { ok: false, errors };
  return { ok: true, value: { firstName, lastName, email, company, doorIds, visitDate } };
}
