/** Slack `view.state.values` for the request modals, as Slack would submit them. */
import { FIELD, type FieldName } from "../../src/slack/ids.js";
import type { ElementState } from "../../tools/sandbox/slack/driver.js";

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
  property: string;
  unit: string;
  startDate: string;
  endDate: string;
  timeIn: string;
  timeOut: string;
  jobsSummary: string;
  nocUrl: string;
  nocNumber: string;
  nocIssueDate: string;
  nocExpiryDate: string;
  representativeName: string;
  representativePhone: string;
  /** One a line: "Name, +971…". */
  employees: string;
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
    "jobsSummary",
    "nocUrl",
    "nocNumber",
    "representativeName",
    "representativePhone",
    "employees",
  ] as const;
  for (const name of texts) put(v, name, text(input[name]));
  put(v, "email", { type: "email_text_input", value: input.email });
  for (const name of ["tradeLicenseExpiry", "startDate", "endDate", "nocIssueDate", "nocExpiryDate"] as const)
    put(v, name, date(input[name]));
  put(v, "timeIn", { type: "timepicker", selected_time: input.timeIn });
  put(v, "timeOut", { type: "timepicker", selected_time: input.timeOut });
  put(v, "notes", text(input.notes ?? null));
  return v;
}

/**
 * A complete Buzz-in form for the sandbox's tower (DAMAC-TWR-07, UNIT-0712), `today` being the
 * community's day. Buzz-in keeps phones and Salesforce ids unique in a community: `n` makes them so.
 */
export function buzzinInputFor(today: string, n: number, overrides: Partial<BuzzinInput> = {}): BuzzinInput {
  const day = (offset: number) => {
    const d = new Date(`${today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + offset);
    return d.toISOString().slice(0, 10);
  };
  const digits = String(n % 1_000_000).padStart(6, "0");
  return {
    firstName: "Omar",
    lastName: "Haddad",
    email: `omar.${n}@fitout.example`,
    phone: `+971500${digits}`,
    company: "Fitout Co LLC",
    tradeLicenseUrl: "https://files.fitout.example/licence.pdf",
    tradeLicenseExpiry: day(365),
    salesforceId: `0035g00000AB${digits}`,
    property: "DAMAC-TWR-07",
    unit: "UNIT-0712",
    startDate: today,
    endDate: day(30),
    timeIn: "00:00",
    timeOut: "23:59",
    jobsSummary: "Full interior fit-out of unit 0712.",
    nocUrl: "https://files.fitout.example/noc-12345.pdf",
    nocNumber: `NOC-${digits}`,
    nocIssueDate: day(-5),
    nocExpiryDate: day(400),
    representativeName: "Yusuf Karim",
    representativePhone: "+971501234567",
    employees: "Ali Hassan, +971501112233",
    ...overrides,
  };
}
