/**
 * The in-memory account and the rules that read it: which group reservations are active now,
 * which credential values are taken, how a PIN is generated. Routes change the state; nothing here
 * knows about HTTP.
 */
import { RAILS_TIME_ZONES } from "../../lib/time.js";
import { hashid } from "./random.js";
import { FIRST_PERSON_ID, SEED_CREDENTIAL_TYPES, seedChannels, seedGroups, seedPeople } from "./seed.js";
import type {
  GroupReservationState,
  SandboxCredential,
  SandboxCredentialType,
  SandboxGroupReservation,
  SandboxPerson,
  SandboxState,
} from "./types.js";

export const DEFAULT_MOBILE_LICENCES = 50;
/** How long DoorFlow takes to finish revoking a mobile credential after answering 202. */
export const MOBILE_REVOCATION_MS = 2_000;

export function createState(options: {
  timeZone: string;
  seed: boolean;
  mobileLicences?: number;
}): SandboxState {
  const state: SandboxState = {
    account: {
      id: "hx7k2p9q",
      name: "Harbourside Works Ltd",
      timeZone: options.timeZone,
      timeZoneName: railsTimeZoneName(options.timeZone),
      monitored: true,
      user: { id: 1187, firstName: "Rosa", lastName: "Delgado", email: "facilities@harbourside.example" },
      passport: { remoteUnlockEnabled: false, hidMobileAccess: true },
      mobileLicences: options.mobileLicences ?? DEFAULT_MOBILE_LICENCES,
      lastSyncAt: null,
      syncPending: false,
    },
    credentialTypes: SEED_CREDENTIAL_TYPES.map((t) => ({ ...t })),
    groups: seedGroups(),
    channels: seedChannels(),
    people: [],
    credentials: [],
    reservations: [],
    groupReservations: [],
    tokens: { codes: new Map(), accessTokens: new Map(), refreshTokens: new Map() },
    nextIds: { person: FIRST_PERSON_ID, reservation: 91001, groupReservation: 7001, credential: 1 },
  };
  if (options.seed) seedPeople(state, () => newCredentialId(state));
  return state;
}

export function newCredentialId(state: SandboxState): string {
  return hashid(state.nextIds.credential++);
}

/**
 * DoorFlow answers the account zone as its Rails name ("London" for Europe/London). Prefer the
 * name that is the zone's own city, since several Rails names share one zone (Edinburgh, London).
 */
export function railsTimeZoneName(iana: string): string {
  const names = Object.keys(RAILS_TIME_ZONES).filter((name) => RAILS_TIME_ZONES[name] === iana);
  const city = iana.split("/").pop()?.replaceAll("_", " ");
  return names.find((name) => name === city) ?? names[0] ?? iana;
}

export function findPerson(state: SandboxState, id: number): SandboxPerson | undefined {
  return state.people.find((p) => p.id === id && !p.deleted);
}

export function credentialTypeBySlug(state: SandboxState, slug: string): SandboxCredentialType | undefined {
  return state.credentialTypes.find((t) => t.slug === slug);
}

export function credentialTypeById(state: SandboxState, id: number): SandboxCredentialType | undefined {
  return state.credentialTypes.find((t) => t.id === id);
}

export function credentialsOf(state: SandboxState, personId: number): SandboxCredential[] {
  return state.credentials.filter((c) => c.personId === personId);
}

/** The HID Mobile Access type: the one whose seats are licensed (global credential code 1400). */
export function isHidMobileType(type: SandboxCredentialType): boolean {
  return type.kind === "mobile" && type.code === 1400;
}

/** HID seats in use: every HID credential not yet revoked holds one (a revoking one still does). */
export function mobileSeatsInUse(state: SandboxState): number {
  const hid = new Set(state.credentialTypes.filter(isHidMobileType).map((t) => t.id));
  return state.credentials.filter((c) => hid.has(c.credentialTypeId)).length;
}

/** Mobile revocations DoorFlow has finished by `now`: the credential is gone and its seat free. */
export function settleMobileRevocations(state: SandboxState, now: Date): void {
  state.credentials = state.credentials.filter(
    (c) => !c.revokingSince || now.getTime() - c.revokingSince.getTime() < MOBILE_REVOCATION_MS,
  );
}

/** Credential values are unique per type across the whole account (two people cannot share a PIN). */
export function isCredentialValueTaken(
  state: SandboxState,
  credentialTypeId: number,
  value: string,
  exceptCredentialId?: string,
): boolean {
  return state.credentials.some(
    (c) => c.credentialTypeId === credentialTypeId && c.value === value && c.id !== exceptCredentialId,
  );
}

/** DoorFlow's `"******"`: a random PIN nobody else in the account holds. */
export function generateUniquePin(state: SandboxState, pinTypeId: number, random: () => number): string {
  for (let length = 6; ; length++) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const pin = String(Math.floor(random() * 10 ** length)).padStart(length, "0");
      if (!isCredentialValueTaken(state, pinTypeId, pin)) return pin;
    }
  }
}

export const GENERATE_PIN = "******";

/** The PIN type: the only one DoorFlow generates values for (global credential code 300). */
export function isPinType(type: SandboxCredentialType): boolean {
  return type.code === 300 || type.slug === "pin";
}

/** The live (not deleted) person holding a system id, DoorFlow's API-only external key. */
export function findPersonBySystemId(state: SandboxState, systemId: string): SandboxPerson | undefined {
  return state.people.find((p) => !p.deleted && p.systemId === systemId);
}

export function groupReservationState(gr: SandboxGroupReservation, now: Date): GroupReservationState {
  if (gr.deactivatedAt !== null) return "deactivated";
  if (now.getTime() < gr.startTime.getTime()) return "pending";
  if (now.getTime() < gr.endTime.getTime()) return "active";
  return "deactivated";
}

/** When DoorFlow last touched the reservation, counting the moves it makes by itself. */
export function groupReservationUpdatedAt(gr: SandboxGroupReservation, now: Date): Date {
  const moments = [gr.updatedAt, gr.startTime, gr.endTime].filter((d) => d.getTime() <= now.getTime());
  return new Date(Math.max(...moments.map((d) => d.getTime())));
}

/** Static groups plus the groups of every group reservation active now. */
export function effectiveGroupIds(state: SandboxState, person: SandboxPerson, now: Date): number[] {
  const ids = new Set(person.groupIds);
  for (const gr of state.groupReservations) {
    if (gr.personId !== person.id || groupReservationState(gr, now) !== "active") continue;
    for (const id of gr.groupIds) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

export function markChanged(state: SandboxState): void {
  state.account.syncPending = true;
}
