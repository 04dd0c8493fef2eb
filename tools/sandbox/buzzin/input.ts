/**
 * Reading request bodies as the documented endpoints take them, every problem collected into one
 * FeathersJS BadRequest whose `errors` name the fields. Field names are the pages'.
 */
import { isLocalDate, type LocalDate } from "../../../src/lib/time.js";
import { isRecord } from "../doorflow/router.js";
import type { SandboxEmployee, SandboxNoc, SandboxTradeLicense } from "./types.js";

export interface ContractorFields {
  name: string;
  email: string;
  phone: string;
  companyName: string;
  tradeLicense: SandboxTradeLicense;
  tradeLicenseExpiryDate: LocalDate;
  salesforceId?: string;
}

/** What the gate needs before a DRAFT can be submitted (sent with create, with submit, or both). */
export interface SubmitFields {
  timeIn?: string;
  timeOut?: string;
  representativeName?: string;
  representativeContact?: string;
  employees?: SandboxEmployee[];
}

export interface PermitFields extends SubmitFields {
  salesforcePermitId: string;
  contractor: { id: string } | { salesforceId: string };
  property: { id: string } | { externalId: string };
  flat: { id: string } | { externalId: string };
  additionalFlats: Array<{ id: string } | { externalId: string }>;
  validFrom: Date;
  validTill: Date;
  jobsSummary?: string;
  noc?: SandboxNoc;
}

export type Read<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Phone numbers compare without the spaces and dashes people type. */
function normalisePhone(phone: string): string {
  return phone.replace(/[\s-]/g, "");
}

class Reader {
  readonly errors: Record<string, string> = {};

  problem(field: string, message: string): void {
    this.errors[field] ??= message;
  }

  text(source: Record<string, unknown>, field: string, label = field): string {
    const value = source[field];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    this.problem(label, `${label} is required`);
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
    this.problem(label, `${label} must be a date (YYYY-MM-DD)`);
    return "";
  }

  instant(source: Record<string, unknown>, field: string): Date {
    const value = source[field];
    if (typeof value === "string" && INSTANT.test(value) && !Number.isNaN(Date.parse(value)))
      return new Date(value);
    this.problem(field, `${field} must be a valid date`);
    return new Date(Number.NaN);
  }

  object(source: Record<string, unknown>, field: string, label = field): Record<string, unknown> {
    const value = source[field];
    if (isRecord(value)) return value;
    this.problem(label, `${label} must be an object`);
    return {};
  }

  result<T>(value: T): Read<T> {
    return Object.keys(this.errors).length > 0 ? { ok: false, errors: this.errors } : { ok: true, value };
  }
}

function damac(source: Record<string, unknown>): Record<string, unknown> {
  const integrations = source.integrations;
  return isRecord(integrations) && isRecord(integrations.damac) ? integrations.damac : {};
}

export function readContractor(body: unknown): Read<ContractorFields> {
  const r = new Reader();
  if (!isRecord(body)) {
    r.problem("body", "the body must be a JSON object");
    return r.result(undefined as never);
  }
  const name = r.text(body, "name");
  const email = r.text(body, "email");
  if (email && !EMAIL.test(email)) r.problem("email", "email must be an email");
  const phone = normalisePhone(r.text(body, "phone"));
  if (phone && !E164.test(phone)) r.problem("phone", "phone must be in international form (+971…)");
  const company = r.object(body, "company");
  const companyName = r.text(company, "companyName", "company.companyName");
  const tradeLicense = readDocument(r, company.tradeLicense, "company.tradeLicense");
  const tradeLicenseExpiryDate = r.date(company, "tradeLicenseExpiryDate", "company.tradeLicenseExpiryDate");
  const salesforceId = r.optionalText(damac(body), "salesforceId", "integrations.damac.salesforceId");
  return r.result({ name, email, phone, companyName, tradeLicense, tradeLicenseExpiryDate, salesforceId });
}

/** `{type:"url", url}` or `{type:"base64", …}`, as a trade licence and a NOC are sent. */
function readDocument(r: Reader, value: unknown, label: string): SandboxTradeLicense {
  if (!isRecord(value)) {
    r.problem(label, `${label} must be an object`);
    return { type: "url" };
  }
  if (value.type === "url") {
    const url = r.text(value, "url", `${label}.url`);
    if (url && !/^https?:\/\/\S+$/.test(url))
      r.problem(`${label}.url`, `${label}.url must be an http(s) URL`);
    return { type: "url", url, fileName: url.split("/").pop() };
  }
  if (value.type === "base64") {
    const data =
      typeof value.data === "string" ? value.data : typeof value.file === "string" ? value.file : "";
    if (!data || !BASE64.test(data)) r.problem(`${label}.data`, `${label} must carry base64 data`);
    const fileName = typeof value.fileName === "string" ? value.fileName : "document.pdf";
    return { type: "base64", fileName };
  }
  r.problem(`${label}.type`, `${label}.type must be one of url, base64`);
  return { type: "url" };
}

function readRef(
  r: Reader,
  body: Record<string, unknown>,
  idField: string,
  externalField: string,
): { id: string } | { externalId: string } {
  const id = body[idField];
  const external = body[externalField];
  if (typeof id === "string" && id.trim() !== "") return { id: id.trim() };
  if (typeof external === "string" && external.trim() !== "") return { externalId: external.trim() };
  r.problem(idField, `${idField} or ${externalField} is required`);
  return { id: "" };
}

function readSubmitFields(r: Reader, body: Record<string, unknown>): SubmitFields {
  const out: SubmitFields = {};
  for (const field of ["timeIn", "timeOut"] as const) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value === "string" && HH_MM.test(value)) out[field] = value;
    else r.problem(field, `${field} must be a time of day (HH:mm)`);
  }
  const name = r.optionalText(body, "representativeName");
  if (name) out.representativeName = name;
  const contact = r.optionalText(body, "representativeContact");
  if (contact) out.representativeContact = contact;
  if (body.employees !== undefined) {
    if (!Array.isArray(body.employees)) r.problem("employees", "employees must be a list");
    else {
      out.employees = body.employees.flatMap((e, i): SandboxEmployee[] => {
        if (!isRecord(e) || typeof e.name !== "string" || e.name.trim() === "") {
          r.problem(`employees.${i}`, `employees.${i}.name is required`);
          return [];
        }
        return [{ name: e.name.trim(), phone: typeof e.phone === "string" ? normalisePhone(e.phone) : "" }];
      });
    }
  }
  return out;
}

/** `POST /permits` [doc: create-noc-fit-out-permit]. */
export function readPermit(body: unknown): Read<PermitFields> {
  const r = new Reader();
  if (!isRecord(body)) {
    r.problem("body", "the body must be a JSON object");
    return r.result(undefined as never);
  }
  const salesforcePermitId = r.text(body, "salesforcePermitId");
  const contractorId = body.communityContractorId;
  const contractorSf = body.contractorSalesforceId;
  let contractor: PermitFields["contractor"] = { id: "" };
  if (typeof contractorId === "string" && contractorId.trim() !== "")
    contractor = { id: contractorId.trim() };
  else if (typeof contractorSf === "string" && contractorSf.trim() !== "")
    contractor = { salesforceId: contractorSf.trim() };
  else r.problem("communityContractorId", "communityContractorId or contractorSalesforceId is required");
  const property = readRef(r, body, "propertyId", "propertyExternalId");
  const flat = readRef(r, body, "flatId", "flatExternalId");
  const additionalFlats = [
    ...(Array.isArray(body.additionalFlatIds) ? body.additionalFlatIds : []).map((id) => ({
      id: String(id),
    })),
    ...(Array.isArray(body.additionalFlatExternalIds) ? body.additionalFlatExternalIds : []).map((e) => ({
      externalId: String(e),
    })),
  ];
  const validFrom = r.instant(body, "validFrom");
  const validTill = r.instant(body, "validTill");
  const jobsSummary = r.optionalText(body, "jobsSummary");
  const noc = body.noc === undefined ? undefined : readNoc(r, body.noc);
  return r.result({
    salesforcePermitId,
    contractor,
    property,
    flat,
    additionalFlats,
    validFrom,
    validTill,
    ...(jobsSummary ? { jobsSummary } : {}),
    ...(noc ? { noc } : {}),
    ...readSubmitFields(r, body),
  });
}

function readNoc(r: Reader, value: unknown): SandboxNoc {
  const doc = readDocument(r, value, "noc");
  const source = isRecord(value) ? value : {};
  return {
    type: doc.type,
    ...(doc.url ? { url: doc.url } : {}),
    nocNumber: r.text(source, "nocNumber", "noc.nocNumber"),
    issueDate: r.date(source, "issueDate", "noc.issueDate"),
    expiryDate: r.date(source, "expiryDate", "noc.expiryDate"),
  };
}

export type PermitPatch =
  { action: "validity"; validFrom?: Date; validTill?: Date } | { action: "replaceNoc"; noc: SandboxNoc };

/** `PATCH /permits/{id}` [doc: update-permit-dates-noc]. */
export function readPermitPatch(body: unknown): Read<PermitPatch> {
  const r = new Reader();
  if (!isRecord(body)) {
    r.problem("body", "the body must be a JSON object");
    return r.result(undefined as never);
  }
  if (body.action === "replaceNoc") return r.result({ action: "replaceNoc", noc: readNoc(r, body.noc) });
  if (body.action !== undefined) r.problem("action", "action must be replaceNoc");
  const validFrom = body.validFrom === undefined ? undefined : r.instant(body, "validFrom");
  const validTill = body.validTill === undefined ? undefined : r.instant(body, "validTill");
  if (!validFrom && !validTill) r.problem("validTill", "send validFrom, validTill, or action replaceNoc");
  return r.result({
    action: "validity",
    ...(validFrom ? { validFrom } : {}),
    ...(validTill ? { validTill } : {}),
  });
}

export type PassAction =
  ({ action: "submit" } & SubmitFields) | { action: "revoke"; reason?: string } | { action: "reissuePass" };

/** `PATCH /passes/{id}` [doc: revoke-or-reissue-a-permit-pass; submit: create-noc-fit-out-permit]. */
export function readPassAction(body: unknown): Read<PassAction> {
  const r = new Reader();
  if (!isRecord(body)) {
    r.problem("body", "the body must be a JSON object");
    return r.result(undefined as never);
  }
  if (body.action === "submit") return r.result({ action: "submit", ...readSubmitFields(r, body) });
  if (body.action === "revoke") {
    const reason = r.optionalText(body, "reason");
    return r.result({ action: "revoke", ...(reason ? { reason } : {}) });
  }
  if (body.action === "reissuePass") return r.result({ action: "reissuePass" });
  r.problem("action", "action must be one of submit, revoke, reissuePass");
  return r.result(undefined as never);
}
