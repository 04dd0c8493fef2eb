/**
 * The words Slack users see on fields and buttons. product.md fixes them; tests and listeners
 * (for field errors) import them from here rather than repeating them.
 */
import type { FieldName } from "../ids.js";

export const LABEL = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  company: "Company",
  accessGroups: "Access groups",
  doors: "Doors",
  startDate: "Start date",
  endDate: "End date",
  visitDate: "Visit date",
  credential: "Credential",
  cardNumber: "Card number",
  notes: "Notes",
  denyReason: "Reason",
  contractor: "Contractor",
  newEndDate: "New end date",
  lastDay: "Last day",
  phone: "Mobile number",
  tradeLicenseUrl: "Trade licence link",
  tradeLicenseExpiry: "Trade licence expiry",
  salesforceId: "Contractor Salesforce id",
  property: "Property",
  unit: "Unit",
  timeIn: "Time in (daily)",
  timeOut: "Time out (daily)",
  jobsSummary: "Jobs summary",
  nocUrl: "NOC document link",
  nocNumber: "NOC number",
  nocIssueDate: "NOC issue date",
  nocExpiryDate: "NOC expiry date",
  representativeName: "Representative's name",
  representativePhone: "Representative's mobile",
  employees: "Employees",
} as const satisfies Record<FieldName, string>;

export const SITE_LABEL = { doorflow: "DoorFlow building", buzzin: "Buzz-in community" } as const;

export const CREDENTIAL_LABEL = {
  card: "Card",
  mobile: "Mobile credential",
  pin: "PIN",
  access_code: "Buzz-in pass (access code and QR)",
} as const;

export const BUTTON = {
  approve: "Approve",
  deny: "Deny",
  showPin: "Show PIN",
  extend: "Extend",
  request: "Request",
  cancel: "Cancel",
  close: "Close",
  reissuePass: "Reissue pass",
} as const;

export const TITLE = {
  contractor: "New contractor",
  visitor: "New visitor",
  denyReason: "Deny request",
  pin: "PIN",
} as const;
