/** Slack `view.state.values` for the request modals, as Slack would submit them. */
import { FIELD, type FieldName } from "../../src/slack/ids.js";
import type { ElementState } from "../../src/sandbox/slack/driver.js";

type Values = Record<string, Record<string, ElementState>>;

function put(values: Values, name: FieldName, state: ElementState): void {
  const f = FIELD[name];
  values[f.block] = { [f.action]: state };
}

const text = (value: string | null): ElementState => ({ type: "plain_text_input", value });
const date = (selected_date: string | null): ElementState => ({ type: "datepicker", selected_date });
const multi = (ids: number[]): ElementState => ({
  type: "multi_static_select",
  selected_options: ids.map((id) => ({
    value: String(id),
    text: { type: "plain_text", text: String(id) },
  })),
});

export interface ContractorInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  company?: string | null;
  groupIds?: number[];
  startDate?: string | null;
  endDate?: string | null;
  credential?: "card" | "mobile" | null;
  cardNumber?: string | null;
  notes?: string | null;
}

export function contractorValues(input: ContractorInput): Values {
  const v: Values = {};
  put(v, "firstName", text(input.firstName ?? null));
  put(v, "lastName", text(input.lastName ?? null));
  put(v, "email", { type: "email_text_input", value: input.email ?? null });
  put(v, "company", text(input.company ?? null));
  put(v, "accessGroups", multi(input.groupIds ?? []));
  put(v, "startDate", date(input.startDate ?? null));
  put(v, "endDate", date(input.endDate ?? null));
  put(v, "credential", {
    type: "radio_buttons",
    selected_option: input.credential
      ? { value: input.credential, text: { type: "plain_text", text: input.credential } }
      : null,
  });
  put(v, "cardNumber", text(input.cardNumber ?? null));
  put(v, "notes", text(input.notes ?? null));
  return v;
}

export interface VisitorInput {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  company?: string | null;
  doorIds?: number[];
  visitDate?: string | null;
}

export function visitorValues(input: VisitorInput): Values {
  const v: Values = {};
  put(v, "firstName", text(input.firstName ?? null));
  put(v, "lastName", text(input.lastName ?? null));
  put(v, "email", { type: "email_text_input", value: input.email ?? null });
  put(v, "company", text(input.company ?? null));
  put(v, "doors", multi(input.doorIds ?? []));
  put(v, "visitDate", date(input.visitDate ?? null));
  return v;
}

export interface BuzzinInput {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  company: string;
  tradeLicenseUrl: string;
  tradeLicenseExpiry: string;
  salesforceId: string;
  permitType: "noc" | "fitOut";
  property: string;
  unit: string;
  propertySalesforceId: string;
  unitSalesforceId: string;
  startDate: string;
  endDate: string;
  notes?: string | null;
}

/** "New contractor" for a Buzz-in community, as Slack submits it. */
export function buzzinValues(input: BuzzinInput): Values {
  const v: Values = {};
  const texts = [
    "firstName",
    "lastName",
    "phone",
    "company",
    "tradeLicenseUrl",
    "salesforceId",
    "property",
    "unit",
    "propertySalesforceId",
    "unitSalesforceId",
  ] as const;
  for (const name of texts) put(v, name, text(input[name]));
  put(v, "email", { type: "email_text_input", value: input.email });
  put(v, "tradeLicenseExpiry", date(input.tradeLicenseExpiry));
  put(v, "startDate", date(input.startDate));
  put(v, "endDate", date(input.endDate));
  put(v, "permitType", {
    type: "radio_buttons",
    selected_option: { value: input.permitType, text: { type: "plain_text", text: input.permitType } },
  });
  put(v, "notes", text(input.notes ?? null));
  return v;
}
