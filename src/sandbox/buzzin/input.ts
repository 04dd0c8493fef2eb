/**
 * Reading request bodies the way a NestJS validation pipe would: every problem collected into one
 * 400 whose `message` is the list. Field names are the ones src/buzzin/client.ts sends.
 */
import { isLocalDate, type LocalDate } from "../../lib/time.js";
import { isRecord } from "../doorflow/router.js";
import type { SandboxTradeLicense } from "./types.js";

export interface ContractorFields {
  name: string;
  email: string;
  phone: string;
  companyName: string;
  tradeLicense: SandboxTradeLicense;
  tradeLicenseExpiryDate: LocalDate;
  salesforceId?: string;
}

export interface PermitFields {
  type: "noc" | "fitOut";
  contractorId: string;
  property: string;
  unit: string;
  startDate: LocalDate;
  endDate: LocalDate;
  salesforce: { salesforceId?: string; propertySalesforceId?: string; unitSalesforceId?: string };
}

export type Read<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Phone numbers compare without the spaces and dashes people type. */
export function normalisePhone(phone: string): string {
  return phone.replace(/[\s-]/g, "");
}

class Reader {
  readonly problems: string[] = [];

  text(source: Record<string, unknown>, field: string, label = field): string {
    const value = source[field];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    this.problems.push(`${label} must be a non-empty string`);
    return "";
  }

  optionalText(source: Record<string, unknown>, field: string, label = field): string | undefined {
    const value = source[field];
    if (value === undefined || value === null) return undefined;
    return this.text(source, field, label);
  }

  date(source: Record<string, unknown>, field: string, label = field): LocalDate {
    const value = source[field];
    if (typeof value === "string" && isLocalDate(value)) return value;
    this.problems.push(`${label} must be a date (YYYY-MM-DD)`);
    return "";
  }

  object(source: Record<string, unknown>, field: string, label = field): Record<string, unknown> {
    const value = source[field];
    if (isRecord(value)) return value;
    this.problems.push(`${label} must be an object`);
    return {};
  }
}

function damac(source: Record<string, unknown>): Record<string, unknown> {
  const integrations = source.integrations;
  return isRecord(integrations) && isRecord(integrations.damac) ? integrations.damac : {};
}

export function readContractor(body: unknown): Read<ContractorFields> {
  if (!isRecord(body)) return { ok: false, problems: ["the body must be a JSON object"] };
  const r = new Reader();
  const name = r.text(body, "name");
  const email = r.text(body, "email");
  if (email && !EMAIL.test(email)) r.problems.push("email must be an email");
  const phone = normalisePhone(r.text(body, "phone"));
  if (phone && !E164.test(phone))
    r.problems.push("phone must be a phone number in international form (+971…)");
  const company = r.object(body, "company");
  const companyName = r.text(company, "companyName", "company.companyName");
  const tradeLicense = readTradeLicense(r, company.tradeLicense);
  const tradeLicenseExpiryDate = r.date(company, "tradeLicenseExpiryDate", "company.tradeLicenseExpiryDate");
  const salesforceId = r.optionalText(damac(body), "salesforceId", "integrations.damac.salesforceId");
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  return {
    ok: true,
    value: { name, email, phone, companyName, tradeLicense, tradeLicenseExpiryDate, salesforceId },
  };
}

function readTradeLicense(r: Reader, value: unknown): SandboxTradeLicense {
  const label = "company.tradeLicense";
  if (!isRecord(value)) {
    r.problems.push(`${label} must be an object`);
    return { type: "url" };
  }
  if (value.type === "url") {
    const url = r.text(value, "url", `${label}.url`);
    if (url && !/^https?:\/\/\S+$/.test(url)) r.problems.push(`${label}.url must be an http(s) URL`);
    return { type: "url", url, fileName: url.split("/").pop() };
  }
  if (value.type === "base64") {
    const data = r.text(value, "data", `${label}.data`);
    if (data && !BASE64.test(data)) r.problems.push(`${label}.data must be base64`);
    const fileName = r.text(value, "fileName", `${label}.fileName`);
    r.text(value, "contentType", `${label}.contentType`);
    return { type: "base64", fileName };
  }
  r.problems.push(`${label}.type must be one of url, base64`);
  return { type: "url" };
}

export function readPermit(body: unknown): Read<PermitFields> {
  if (!isRecord(body)) return { ok: false, problems: ["the body must be a JSON object"] };
  const r = new Reader();
  const type = body.type;
  if (type !== "noc" && type !== "fitOut") r.problems.push("type must be one of noc, fitOut");
  const contractorId = r.text(body, "contractorId");
  const property = r.text(body, "property");
  const unit = r.text(body, "unit");
  const startDate = r.date(body, "startDate");
  const endDate = r.date(body, "endDate");
  if (startDate && endDate && endDate < startDate) r.problems.push("endDate must not be before startDate");
  const d = damac(body);
  const salesforce = {
    salesforceId: r.optionalText(d, "salesforceId", "integrations.damac.salesforceId"),
    propertySalesforceId: r.optionalText(
      d,
      "propertySalesforceId",
      "integrations.damac.propertySalesforceId",
    ),
    unitSalesforceId: r.optionalText(d, "unitSalesforceId", "integrations.damac.unitSalesforceId"),
  };
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  return {
    ok: true,
    value: { type: type as "noc" | "fitOut", contractorId, property, unit, startDate, endDate, salesforce },
  };
}

/** `PATCH /permits/{id}`: a status change to "submitted", new dates, or both. */
export function readPermitPatch(
  body: unknown,
): Read<{ submit: boolean; startDate?: LocalDate; endDate?: LocalDate }> {
  if (!isRecord(body)) return { ok: false, problems: ["the body must be a JSON object"] };
  const r = new Reader();
  if (body.status !== undefined && body.status !== "submitted") r.problems.push("status must be submitted");
  const startDate = body.startDate === undefined ? undefined : r.date(body, "startDate");
  const endDate = body.endDate === undefined ? undefined : r.date(body, "endDate");
  const submit = body.status === "submitted";
  if (body.status === undefined && startDate === undefined && endDate === undefined) {
    r.problems.push("nothing to update: send status, startDate or endDate");
  }
  if (r.problems.length > 0) return { ok: false, problems: r.problems };
  return { ok: true, value: { submit, startDate, endDate } };
}
