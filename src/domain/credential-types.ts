/**
 * Which of a DoorFlow account's credential types is the card, the PIN and the mobile credential.
 * Ids and slugs differ per account: slugs are made from each account's own labels (the spec's
 * CredentialType example is `employee_card`, seed 002 shows `credentials_number` and `card`), so
 * no slug is fixed here. A setting (DOORFLOW_*_CREDENTIAL_TYPE: an id, a slug or a label) decides;
 * without one, each type's label and slug are read for the words accounts use. None, or several
 * equally good candidates, is a problem the start-up check names, with the variable to set.
 */
import type { CredentialType } from "../doorflow/schemas.js";

export type CredentialRole = "card" | "pin" | "mobile";
export const CREDENTIAL_ROLES: readonly CredentialRole[] = ["card", "pin", "mobile"];

/** The setting that names each role's type. */
export const CREDENTIAL_TYPE_VARIABLE: Record<CredentialRole, string> = {
  card: "DOORFLOW_CARD_CREDENTIAL_TYPE",
  pin: "DOORFLOW_PIN_CREDENTIAL_TYPE",
  mobile: "DOORFLOW_MOBILE_CREDENTIAL_TYPE",
};

export type CredentialTypeSettings = Partial<Record<CredentialRole, string>>;

/**
 * Words in a type's label or slug, best first: a candidate of an earlier tier wins over later ones,
 * two in the same tier are ambiguous. A card is the physical credential facilities hands out.
 */
const TIERS: Record<CredentialRole, RegExp[]> = {
  card: [/\b(card|badge)\b/, /\b(credentials? number|key ?fob|fob|prox|proximity|tag|token)\b/],
  pin: [/\bpin\b/, /\b(keypad|pass ?code|door code)\b/],
  mobile: [/\b(hid mobile|mobile access)\b/, /\b(mobile|passflow|wallet|phone|bluetooth|ble)\b/],
};
/** A type that names another role is never a candidate for this one ("Mobile Card", "Card PIN"). */
const OTHER_ROLE: Record<CredentialRole, RegExp> = {
  card: /\b(pin|mobile|passflow|wallet|phone)\b/,
  pin: /\b(mobile|passflow|wallet)\b/,
  mobile: /\bpin\b/,
};

export interface CredentialTypeChoice {
  role: CredentialRole;
  type: CredentialType | null;
  source: "setting" | "detected" | null;
  /** Why there is no type: nothing matched, several did, or the setting names no type. */
  problem?: { kind: "none" | "several" | "unknown_setting"; candidates: CredentialType[]; setting?: string };
}

export type CredentialTypeResolution = Record<CredentialRole, CredentialTypeChoice>;

/** "card number", "employee card" — what the words are read from. */
function words(type: CredentialType): string {
  return `${type.label} ${type.slug}`
    .toLowerCase()
    .replace(/[_\-.]+/g, " ")
    .replace(/\s+/g, " ");
}

function bySetting(types: CredentialType[], setting: string): CredentialType | undefined {
  const wanted = setting.trim();
  const lower = wanted.toLowerCase();
  return (
    types.find((t) => String(t.id) === wanted) ??
    types.find((t) => t.slug === wanted) ??
    types.find((t) => t.label.toLowerCase() === lower)
  );
}

function detect(types: CredentialType[], role: CredentialRole): CredentialTypeChoice {
  const eligible = types.filter((t) => !OTHER_ROLE[role].test(words(t)));
  for (const tier of TIERS[role]) {
    const candidates = eligible.filter((t) => tier.test(words(t)));
    if (candidates.length === 1) return { role, type: candidates[0] ?? null, source: "detected" };
    if (candidates.length > 1)
      return { role, type: null, source: null, problem: { kind: "several", candidates } };
  }
  return { role, type: null, source: null, problem: { kind: "none", candidates: [] } };
}

export function resolveCredentialTypes(
  types: CredentialType[],
  settings: CredentialTypeSettings = {},
): CredentialTypeResolution {
  const choose = (role: CredentialRole): CredentialTypeChoice => {
    const setting = settings[role];
    if (!setting) return detect(types, role);
    const type = bySetting(types, setting);
    return type
      ? { role, type, source: "setting" }
      : { role, type: null, source: null, problem: { kind: "unknown_setting", candidates: [], setting } };
  };
  return { card: choose("card"), pin: choose("pin"), mobile: choose("mobile") };
}

const describeType = (t: CredentialType) => `"${t.label}" (slug ${t.slug}, id ${t.id})`;

/** One line: what is wrong with a role's type and which variable to set, naming the account's types. */
export function credentialTypeProblem(choice: CredentialTypeChoice, all: CredentialType[]): string | null {
  const problem = choice.problem;
  if (!problem) return null;
  const variable = CREDENTIAL_TYPE_VARIABLE[choice.role];
  const what = choice.role === "pin" ? "PIN" : choice.role;
  const listed = all.length > 0 ? all.map(describeType).join(", ") : "none";
  if (problem.kind === "unknown_setting")
    return `${variable}=${problem.setting ?? ""} names no credential type of this DoorFlow account; set it to the id, slug or label of one of: ${listed}.`;
  if (problem.kind === "several")
    return `Several DoorFlow credential types could be the ${what}: ${problem.candidates.map(describeType).join(", ")}. Set ${variable} to the id, slug or label of the right one.`;
  return `No DoorFlow credential type looks like the ${what}; the account has ${listed}. Set ${variable} to the id, slug or label of the ${what} type (or add one in DoorFlow).`;
}

export function describeCredentialType(t: CredentialType): string {
  return describeType(t);
}
