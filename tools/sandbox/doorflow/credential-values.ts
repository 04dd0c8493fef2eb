/**
 * The rules for a credential value, shared by the credentials endpoint and the slug fields of a
 * person body: `"******"` generates a PIN nobody in the account holds, PINs are 4 to 7 digits,
 * and a value is unique per credential type across the account.
 */
import {
  GENERATE_PIN,
  generateUniquePin,
  isCredentialValueTaken,
  isPinType,
  newCredentialId,
} from "./model.js";
import type { SandboxCredential, SandboxCredentialType, SandboxState } from "./types.js";

export type ValueCheck = { ok: true; value: string } | { ok: false; message: string };

const VALUE_TAKEN = "value is already in use on your account";

export function resolveCredentialValue(
  state: SandboxState,
  type: SandboxCredentialType,
  raw: unknown,
  random: () => number,
  exceptCredentialId?: string,
): ValueCheck {
  const given = typeof raw === "number" ? String(raw) : raw;
  if (typeof given !== "string" || given.trim() === "") return { ok: false, message: "can't be blank" };
  const value = given.trim();
  if (value === GENERATE_PIN) {
    if (!isPinType(type)) return { ok: false, message: "can only be generated for a PIN" };
    return { ok: true, value: generateUniquePin(state, type.id, random) };
  }
  if (isPinType(type) && !/^\d{4,7}$/.test(value)) {
    return { ok: false, message: "must be between 4 and 7 digits in length" };
  }
  if (!/^[0-9A-Za-z]{1,32}$/.test(value)) return { ok: false, message: "is invalid" };
  if (isCredentialValueTaken(state, type.id, value, exceptCredentialId))
    return { ok: false, message: VALUE_TAKEN };
  return { ok: true, value };
}

/** Gives the person this value for the type, replacing the value of an existing credential. */
export function setCredentialValue(
  state: SandboxState,
  personId: number,
  type: SandboxCredentialType,
  value: string,
  now: Date,
): SandboxCredential {
  const existing = state.credentials.find((c) => c.personId === personId && c.credentialTypeId === type.id);
  if (existing) {
    existing.value = value;
    existing.updatedAt = now;
    return existing;
  }
  const created: SandboxCredential = {
    id: newCredentialId(state),
    personId,
    credentialTypeId: type.id,
    value,
    status: null,
    url: null,
    createdAt: now,
    updatedAt: now,
  };
  state.credentials.push(created);
  return created;
}

export function removeCredential(state: SandboxState, id: string): void {
  state.credentials = state.credentials.filter((c) => c.id !== id);
}
