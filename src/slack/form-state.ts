/**
 * Reading a submitted modal (Slack's `view.state.values`) into the domain's form shape, and the
 * domain's field errors back into Slack's `response_action: "errors"` keyed by block id.
 */
import { z } from "zod";
import type { BuzzinForm } from "../domain/buzzin-form.js";
import type { ContractorForm, VisitorForm } from "../domain/request-form.js";
import { FIELD, type FieldName } from "./ids.js";

const elementState = z.looseObject({
  type: z.string(),
  value: z.string().nullish(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
  selected_options: z.array(z.looseObject({ value: z.string() })).nullish(),
});
export const viewStateSchema = z.record(z.string(), z.record(z.string(), elementState));
export type ViewState = z.infer<typeof viewStateSchema>;

function element(state: ViewState, name: FieldName) {
  const f = FIELD[name];
  return state[f.block]?.[f.action];
}

function textOf(state: ViewState, name: FieldName): string | null {
  const e = element(state, name);
  return e?.value ?? e?.selected_date ?? e?.selected_time ?? e?.selected_option?.value ?? null;
}

function valuesOf(state: ViewState, name: FieldName): string[] {
  return element(state, name)?.selected_options?.map((o) => o.value) ?? [];
}

export function readContractorForm(state: ViewState): ContractorForm {
  return {
    firstName: textOf(state, "firstName"),
    lastName: textOf(state, "lastName"),
    email: textOf(state, "email"),
    company: textOf(state, "company"),
    accessGroups: valuesOf(state, "accessGroups"),
    startDate: textOf(state, "startDate"),
    endDate: textOf(state, "endDate"),
    credential: textOf(state, "credential"),
    cardNumber: textOf(state, "cardNumber"),
    notes: textOf(state, "notes"),
  };
}

export function readVisitorForm(state: ViewState): VisitorForm {
  return {
    firstName: textOf(state, "firstName"),
    lastName: textOf(state, "lastName"),
    email: textOf(state, "email"),
    company: textOf(state, "company"),
    doors: valuesOf(state, "doors"),
    visitDate: textOf(state, "visitDate"),
  };
}

export function readBuzzinForm(state: ViewState): BuzzinForm {
  const names = [
    "firstName",
    "lastName",
    "email",
    "phone",
    "company",
    "tradeLicenseUrl",
    "tradeLicenseExpiry",
    "salesforceId",
    "property",
    "unit",
    "startDate",
    "endDate",
    "timeIn",
    "timeOut",
    "jobsSummary",
    "nocUrl",
    "nocNumber",
    "nocIssueDate",
    "nocExpiryDate",
    "representativeName",
    "representativePhone",
    "employees",
    "notes",
  ] as const satisfies ReadonlyArray<keyof BuzzinForm & FieldName>;
  return Object.fromEntries(names.map((name) => [name, textOf(state, name)]));
}

/** `{ endDate: "…" }` → `{ end_date: "…" }` (Slack wants block ids). */
export function slackFieldErrors(errors: Partial<Record<FieldName, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, message] of Object.entries(errors)) {
    if (message) out[FIELD[name as FieldName].block] = message;
  }
  return out;
}
