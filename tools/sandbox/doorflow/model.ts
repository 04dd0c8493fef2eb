/**
 * The in-memory account and the rules that read it: which group reservations are active now, which
 * groups and roles a person holds, which doors they can open, which credential values are taken,
 * how a PIN is generated. Routes change the state; nothing here knows about HTTP.
 */
import { parseInstant } from "./input.js";
import { RAILS_TIME_ZONES } from "../../../src/lib/time.js";
import { hashid } from "./random.js";
import { FIRST_PERSON_ID, SEED_CREDENTIAL_TYPES, seedChannels, seedGroups, seedPeople } from "./seed.js";
import type {
  AccountShape,
  GroupReservationState,
  SandboxCredential,
  SandboxCredentialType,
  SandboxGroupReservation,
  SandboxPerson,
  SandboxState,
} from "./types.js";

const DEFAULT_MOBILE_LICENCES = 50;
/** How long DoorFlow takes to finish revoking a mobile credential after answering 202. */
const MOBILE_REVOCATION_MS = 2_000;

export function createState(options: {
  timeZone: string;
  seed: boolean;
  mobileLicences?: number;
  account?: AccountShape;
}): SandboxState {
  const timeZone = options.account?.timeZone ?? options.timeZone;
  const state: SandboxState = {
    account: {
      id: "hx7k2p9q",
      name: "Harbourside Works Ltd",
      timeZone,
      timeZoneName: options.account?.timeZoneName ?? railsTimeZoneName(timeZone),
      monitored: true,
      user: { id: 1187, firstName: "Rosa", lastName: "Delgado", email: "facilities@harbourside.example" },
      passport: { remoteUnlockEnabled: false, hidMobileAccess: true },
      mobileLicences: options.mobileLicences ?? DEFAULT_MOBILE_LICENCES,
      lastSyncAt: null,
      syncPending: false,
    },
    credentialTypes: (options.account?.credentialTypes ?? SEED_CREDENTIAL_TYPES).map((t) => ({ ...t })),
    groups: seedGroups(),
    channels: seedChannels(),
    people: [],
    credentials: [],
    reservations: [],
    groupReservations: [],
    tokens: { codes: new Map(), accessTokens: new Map(), refreshTokens: new Map() },
    nextIds: {
      person: FIRST_PERSON_ID,
      reservation: 91001,
      groupReservation: 7001,
      credential: 1,
      role: 3301,
      change: 1,
    },
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
function railsTimeZoneName(iana: string): string {
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

interface MembershipEvent {
  at: number;
  /** At one instant: ends that come due, then starts that come due, then API changes in order. */
  rank: number;
  add: boolean;
  groupIds: number[];
}

/** When each group reservation put the person into its groups and took them out again. */
function membershipEvents(state: SandboxState, personId: number): MembershipEvent[] {
  const events: MembershipEvent[] = [];
  for (const gr of state.groupReservations) {
    if (gr.personId !== personId) continue;
    const created = gr.createdAt.getTime();
    const starts = gr.startTime.getTime();
    // One that starts in the past starts when it is created.
    const start = starts > created ? { at: starts, rank: -1 } : { at: created, rank: gr.createdSeq };
    const deactivated = gr.deactivatedAt?.getTime();
    const end =
      deactivated !== undefined && deactivated < gr.endTime.getTime()
        ? { at: deactivated, rank: gr.deactivatedSeq ?? 0 }
        : { at: gr.endTime.getTime(), rank: -2 };
    if (end.at < start.at || (end.at === start.at && end.rank <= start.rank)) continue;
    events.push({ ...start, add: true, groupIds: gr.groupIds });
    events.push({ ...end, add: false, groupIds: gr.groupIds });
  }
  return events.sort((a, b) => a.at - b.at || a.rank - b.rank);
}

/**
 * The groups a person is in at `at`: their static groups, plus what group reservations have put
 * them into and not yet taken them out of. Membership follows events in time, as DoorFlow's does:
 * a reservation's start adds its groups, its end or deactivation removes them, whatever another
 * reservation also gave. So deleting an active reservation takes its groups away even when an
 * earlier one still runs, and one chained to start as another ends keeps them.
 */
export function effectiveGroupIds(state: SandboxState, person: SandboxPerson, at: Date): number[] {
  const reserved = new Set<number>();
  for (const event of membershipEvents(state, person.id)) {
    if (event.at > at.getTime()) break;
    for (const id of event.groupIds) {
      if (event.add) reserved.add(id);
      else reserved.delete(id);
    }
  }
  return [...new Set([...person.groupIds, ...reserved])].sort((a, b) => a - b);
}

/** Roles given through the API plus the role of each of the person's reservations. */
export function effectiveRoleIds(state: SandboxState, person: SandboxPerson): number[] {
  const own = state.reservations.filter((r) => r.personId === person.id).map((r) => r.roleId);
  return [...new Set([...person.roleIds, ...own])].sort((a, b) => a - b);
}

/** Whether `at` falls inside the person's valid_from..valid_to (each end open when unset). */
function withinValidity(person: SandboxPerson, at: Date, timeZone: string): boolean {
  const from = person.validFrom ? parseInstant(person.validFrom, timeZone) : undefined;
  const to = person.validTo ? parseInstant(person.validTo, timeZone) : undefined;
  return (!from || from <= at) && (!to || at <= to);
}

/**
 * Whether the person's credentials open the door at `at`: a live, enabled person inside their
 * validity window, through a group they are in then or a reservation (its role and shift) current then.
 */
export function canOpen(state: SandboxState, personId: number, channelId: number, at: Date): boolean {
  const person = findPerson(state, personId);
  if (!person || !person.enabled || !withinValidity(person, at, state.account.timeZone)) return false;
  const groups = new Set(effectiveGroupIds(state, person, at));
  const throughGroup = state.groups.some((g) => groups.has(g.id) && g.channelIds.includes(channelId));
  const throughReservation = state.reservations.some(
    (r) => r.personId === personId && r.startTime <= at && at < r.endTime && r.channelIds.includes(channelId),
  );
  return throughGroup || throughReservation;
}

export function markChanged(state: SandboxState): void {
  state.account.syncPending = true;
}
