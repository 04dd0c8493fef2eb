/**
 * DoorFlow's state as the crash suite compares it: per email, each person's enabled flag, validity,
 * credentials (card numbers, not PINs: DoorFlow generates those afresh), live group reservations and
 * reservations (groups or doors and end; a start is "now" when access began the same day, so it is
 * left out). Two runs of a scenario end equal when these are equal; duplicates are counted apart.
 */
import type { DoorFlowSandbox } from "../../tools/sandbox/doorflow/sandbox.js";

interface PersonState {
  name: string;
  enabled: boolean;
  validFrom: string | null;
  validTo: string | null;
  credentials: string[];
  groupReservations: string[];
  reservations: string[];
}

/** People by lower-cased email; several under one email is a duplicate the comparison shows. */
export type AccountState = Record<string, PersonState[]>;

export function accountState(sandbox: DoorFlowSandbox): AccountState {
  const { state } = sandbox;
  const slugOf = new Map(state.credentialTypes.map((t) => [t.id, t]));
  const out: AccountState = {};
  for (const p of state.people.filter((x) => !x.deleted)) {
    const credentials = state.credentials
      // A mobile credential being revoked is on its way out: whether DoorFlow has finished by the
      // time the state is read depends only on how long the run took.
      .filter((c) => c.personId === p.id && c.status !== "revoked" && c.status !== "revoking")
      .map((c) => {
        const type = slugOf.get(c.credentialTypeId);
        return type?.slug === "pin" || type?.kind === "mobile"
          ? String(type?.slug)
          : `${type?.slug}=${c.value}`;
      })
      .sort();
    const groupReservations = state.groupReservations
      .filter((g) => g.personId === p.id && g.deactivatedAt === null)
      .map((g) => `${[...g.groupIds].sort().join(",")} until ${g.endTime.toISOString()}`)
      .sort();
    const reservations = state.reservations
      .filter((r) => r.personId === p.id)
      .map((r) => `${[...r.channelIds].sort().join(",")} until ${r.endTime.toISOString()}`)
      .sort();
    const key = (p.email ?? `#${p.id}`).toLowerCase();
    (out[key] ??= []).push({
      name: `${p.firstName} ${p.lastName}`,
      enabled: p.enabled,
      // valid_from is "now" when the first day has begun, so a run that was killed and restarted
      // starts its access a few seconds later: the day is what must match.
      validFrom: p.validFrom === null ? null : p.validFrom.slice(0, 10),
      validTo: p.validTo,
      credentials,
      groupReservations,
      reservations,
    });
  }
  return out;
}

/** Each difference as one readable line; empty when the two states are the same. */
export function compareStates(expected: AccountState, actual: AccountState): string[] {
  const differences: string[] = [];
  const emails = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const email of emails) {
    const want = JSON.stringify(expected[email] ?? []);
    const got = JSON.stringify(actual[email] ?? []);
    if (want !== got) differences.push(`${email}: expected ${want}, got ${got}`);
  }
  return differences;
}

/**
 * What is there twice: a person per request id (system_id) or per email, a live group reservation,
 * reservation or credential type per person.
 */
export function duplicatesIn(sandbox: DoorFlowSandbox): string[] {
  const { state } = sandbox;
  const found: string[] = [];
  const counted = <T>(items: T[], key: (item: T) => string | null, what: string) => {
    const counts = new Map<string, number>();
    for (const item of items) {
      const k = key(item);
      if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [k, n] of counts) if (n > 1) found.push(`${n - 1} extra ${what} ${k}`);
  };
  const people = state.people.filter((p) => !p.deleted);
  counted(people, (p) => p.systemId, "person with system_id");
  counted(people, (p) => p.email?.toLowerCase() ?? null, "person with email");
  counted(
    state.groupReservations.filter((g) => g.deactivatedAt === null),
    (g) => String(g.personId),
    "live group reservation for person",
  );
  counted(state.reservations, (r) => String(r.personId), "reservation for person");
  counted(
    state.credentials.filter((c) => c.status !== "revoked"),
    (c) => `${c.personId}/${c.credentialTypeId}`,
    "credential for person/type",
  );
  return found;
}
