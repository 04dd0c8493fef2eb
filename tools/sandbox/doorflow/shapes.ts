/**
 * DoorFlow accounts as Gatehouse meets them: each names its credential types in its own words (the
 * slug is parameterised from the account's label, so the spec's example is `employee_card` and
 * seed 002 shows `credentials_number`), gives them its own ids, and keeps its own time zone, which
 * `GET /api/3/account` answers by its Rails name. Tests run the same story against each of them;
 * no literal in Gatehouse outside this sandbox's seed names any of these types.
 */
import type { AccountShape, SandboxCredentialType } from "./types.js";

const type = (
  id: number,
  label: string,
  slug: string,
  code: number,
  kind: SandboxCredentialType["kind"],
): SandboxCredentialType => ({ id, label, slug, code, kind });

export const ACCOUNT_SHAPES = {
  /** Badges rather than cards, in New York (answered "Eastern Time (US & Canada)"). */
  staffBadge: {
    timeZone: "America/New_York",
    credentialTypes: [
      type(6101, "Staff Badge", "staff_badge", 100, "value"),
      type(6102, "Door PIN", "door_pin", 300, "value"),
      type(6103, "Mobile Pass", "mobile_pass", 1400, "mobile"),
    ],
  },
  /** The spec's own example label, east of UTC with its DST in the southern summer. */
  employeeCard: {
    timeZone: "Australia/Sydney",
    credentialTypes: [
      type(23, "Employee Card", "employee_card", 100, "value"),
      type(24, "Keypad PIN", "keypad_pin", 300, "value"),
      type(31, "PassFlow Wallet", "passflow_wallet", 1500, "mobile"),
    ],
  },
  /** Seed 002's `credentials_number`, in Honolulu, which DoorFlow answers as the Rails name "Hawaii". */
  hawaii: {
    timeZone: "Pacific/Honolulu",
    timeZoneName: "Hawaii",
    credentialTypes: [
      type(3, "Credentials Number", "credentials_number", 100, "value"),
      type(4, "Personal PIN", "personal_pin", 300, "value"),
      type(14, "HID Mobile", "hid_mobile", 1400, "mobile"),
    ],
  },
} as const satisfies Record<string, AccountShape>;
