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
} as const satisfies Record<FieldName, string>;

export const CREDENTIAL_LABEL = { card: "Card", mobile: "Mobile credential", pin: "PIN" } as const;

export const BUTTON = {
  approve: "Approve",
  deny: "Deny",
  showPin: "Show PIN",
  extend: "Extend",
  request: "Request",
  cancel: "Cancel",
  close: "Close",
} as const;

export const TITLE = {
  contractor: "New contractor",
  visitor: "New visitor",
  denyReason: "Deny request",
  pin: "PIN",
} as const;
