/**
 * Every callback, action and block id Gatehouse puts into Slack, in one place: the Block Kit
 * builders write them and the listeners match on them, so a rename can never split the two.
 */

export const CALLBACK = {
  contractorRequest: "contractor_request",
  /** "New contractor" when the site is a Buzz-in community. */
  buzzinRequest: "contractor_buzzin_request",
  visitorRequest: "visitor_request",
  denyReason: "deny_reason",
  pinView: "pin_view",
  offboardSchedule: "offboard_schedule",
  offboardBulk: "offboard_bulk",
  extensionRequest: "extension_request",
  extensionDenyReason: "extension_deny_reason",
} as const;

export const ACTION = {
  approve: "request_approve",
  deny: "request_deny",
  showPin: "show_pin",
  /** The site picker at the top of "New contractor" (DoorFlow building or Buzz-in community). */
  site: "contractor_site",
  extend: "contractor_extend",
  cardCollected: "card_collected",
  extensionApprove: "extension_approve",
  extensionDeny: "extension_deny",
  /** An operator's Retry on a security-channel alert. */
  retry: "alert_retry",
  /** The `/offboard` preview's buttons (value: the DoorFlow person id). */
  offboardNow: "offboard_now",
  offboardSchedule: "offboard_schedule",
  offboardCancel: "offboard_cancel",
  /** "Offboard now" for a Buzz-in contractor (value: the managed person's id). */
  offboardBuzzinNow: "offboard_buzzin_now",
  /** "Reissue pass" for a Buzz-in contractor (value: the managed person's id). */
  reissuePass: "buzzin_reissue_pass",
} as const;

/** Ids of blocks that are not inputs but that listeners or tests look for. */
export const BLOCK = {
  approvalActions: "approval_actions",
  approvalOutcome: "approval_outcome",
  accessActions: "access_actions",
  passActions: "buzzin_pass_actions",
  site: "contractor_site_block",
  accessGroupsStatus: "access_groups_status",
  doorsStatus: "doors_status",
  offboardActions: "offboard_actions",
} as const;

export interface FieldId {
  readonly block: string;
  readonly action: string;
}

// Slack keys submitted values by block id then action id; the action id is always the block id
// plus "_input" so a listener reads `state.values[f.block][f.action]` for any field `f`.
function field(block: string): FieldId {
  return { block, action: `${block}_input` };
}

export const FIELD = {
  firstName: field("first_name"),
  lastName: field("last_name"),
  email: field("email"),
  company: field("company"),
  accessGroups: field("access_groups"),
  doors: field("doors"),
  startDate: field("start_date"),
  endDate: field("end_date"),
  visitDate: field("visit_date"),
  credential: field("credential"),
  cardNumber: field("card_number"),
  notes: field("notes"),
  denyReason: field("deny_reason"),
  lastDay: field("last_day"),
  contractor: field("contractor"),
  newEndDate: field("new_end_date"),
  phone: field("phone"),
  tradeLicenseUrl: field("trade_license_url"),
  tradeLicenseExpiry: field("trade_license_expiry"),
  salesforceId: field("salesforce_id"),
  property: field("property"),
  unit: field("unit"),
  timeIn: field("time_in"),
  timeOut: field("time_out"),
  jobsSummary: field("jobs_summary"),
  nocUrl: field("noc_url"),
  nocNumber: field("noc_number"),
  nocIssueDate: field("noc_issue_date"),
  nocExpiryDate: field("noc_expiry_date"),
  representativeName: field("representative_name"),
  representativePhone: field("representative_phone"),
  employees: field("employees"),
} as const satisfies Record<string, FieldId>;

export type FieldName = keyof typeof FIELD;

/** Values of the site picker. */
export const SITE_OPTION = { doorflow: "doorflow", buzzin: "buzzin" } as const;

/** Values of the Credential radio buttons. */
export const CREDENTIAL_OPTION = { card: "card", mobile: "mobile" } as const;

/**
 * The `/offboard bulk` modal's boxes. Slack caps a text input at 3,000 characters (about 100
 * emails), so 500 emails need several boxes; they are read in order as one list.
 */
export const BULK_EMAIL_BOXES = 6;
export function bulkEmailsField(box: number): FieldId {
  return field(`bulk_emails_${box}`);
}
