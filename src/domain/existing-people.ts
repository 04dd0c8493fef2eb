/**
 * Who a request would touch, decided before anything is written: an email that already has a
 * live contract of ours is refused, a DoorFlow person that already has the email (disabled, or
 * not ours) becomes an explicit decision for an operator, and a card held by somebody else is
 * refused on the card field. Gatehouse never takes over a person silently.
 */
import type { Executor } from "../db/database.js";
import { findOpenRequestsByEmail } from "../db/repositories/access-requests.js";
import { findManagedByDoorFlowId, findManagedByEmail } from "../db/repositories/managed-people.js";
import { findOpenOffboarding } from "../db/repositories/offboardings.js";
import type { ExistingPersonSnapshot } from "./model.js";
import type { Credential, Person } from "../doorflow/schemas.js";
import { formatLocalDate } from "../lib/time.js";
import type { CredentialTypes } from "./catalog.js";
import type { Deps } from "./deps.js";
import { personName } from "./model.js";

export type ExistingPerson = ExistingPersonSnapshot;

export type SubjectCheck =
  | { status: "clear"; existing: ExistingPerson | null }
  | { status: "conflict"; errors: { email?: string; cardNumber?: string } };

export interface Subject {
  email: string | null;
  /** The card number asked for, when the credential is a card. */
  cardNumber: string | null;
}

/**
 * Local refusals first (no DoorFlow call): a live contract or an open request for the email.
 * Then DoorFlow, in parallel: the people with the email, and who holds the card.
 */
export async function checkSubject(deps: Deps, subject: Subject): Promise<SubjectCheck> {
  const local = subject.email ? blockingContract(deps.db, subject.email) : null;
  if (local) return { status: "conflict", errors: { email: local } };

  const [types, byEmail, holder] = await Promise.all([
    deps.catalog.credentialTypes(),
    subject.email ? deps.doorflow.findPeopleByEmail(subject.email) : Promise.resolve([]),
    cardHolder(deps, subject.cardNumber),
  ]);
  if (byEmail.length > 1) {
    return {
      status: "conflict",
      errors: {
        email: `DoorFlow has ${byEmail.length} people with this email (${byEmail.map((p) => `${p.first_name} ${p.last_name}`).join(", ")}); merge them in DoorFlow first.`,
      },
    };
  }
  const found = byEmail[0] ?? null;
  if (found) {
    const managed = findManagedByDoorFlowId(deps.db, found.id);
    if (managed?.status === "active") {
      return { status: "conflict", errors: { email: liveContractSentence(managed) } };
    }
  }
  if (holder && holder.credential.person_id !== found?.id) {
    return {
      status: "conflict",
      errors: { cardNumber: cardTakenSentence(deps, subject.cardNumber as string, holder.person) },
    };
  }
  if (!found) return { status: "clear", existing: null };
  return { status: "clear", existing: await snapshotOf(deps, found, types) };
}

/**
 * What refuses a request for this email outright: a live contract of ours ("Jo Builder already has
 * access until Thu 14 Jan; use `/contractor extend`.") or a request already on its way.
 */
export function blockingContract(db: Executor, email: string): string | null {
  const live = findManagedByEmail(db, email).find((m) => m.status === "active");
  if (live) return liveContractSentence(live);
  const open = findOpenRequestsByEmail(db, email)[0];
  if (open) {
    return open.state === "requested"
      ? `A request for ${personName(open)} with this email is already waiting for approval (asked by <@${open.requesterId}>).`
      : `Access for ${personName(open)} with this email is being set up now.`;
  }
  return null;
}

function liveContractSentence(m: {
  firstName: string;
  lastName: string;
  endDate: string;
  kind: string;
}): string {
  const until = formatLocalDate(m.endDate);
  return m.kind === "contractor"
    ? `${personName(m)} already has access until ${until}; use \`/contractor extend\`.`
    : `${personName(m)} already has visitor access on ${until}.`;
}

async function cardHolder(
  deps: Deps,
  cardNumber: string | null,
): Promise<{ credential: Credential; person: Person } | null> {
  if (!cardNumber) return null;
  const types = await deps.catalog.credentialTypes();
  if (!types.card) return null;
  const credential = await deps.doorflow.findCredentialHolder(types.card.id, cardNumber);
  if (!credential) return null;
  return { credential, person: await deps.doorflow.getPerson(credential.person_id) };
}

/** "Card 40010009 is still assigned to Chloé Dubois (disabled, not collected)". */
export function cardTakenSentence(
  deps: Pick<Deps, "db">,
  cardNumber: string,
  holder: Pick<Person, "id" | "first_name" | "last_name" | "enabled">,
): string {
  const managed = findManagedByDoorFlowId(deps.db, holder.id);
  const state = holder.enabled
    ? managed?.status === "active"
      ? `a current ${managed.kind} until ${formatLocalDate(managed.endDate)}`
      : "enabled"
    : "disabled, not collected";
  return `Card ${cardNumber} is still assigned to ${holder.first_name} ${holder.last_name} (${state}). Collect it first ("Card collected"), or use another card.`;
}

/** The person as they are now, for the approval message, the operator and the audit. No PIN value. */
async function snapshotOf(deps: Deps, person: Person, types: CredentialTypes): Promise<ExistingPerson> {
  const [groups, credentials] = await Promise.all([
    deps.catalog.groups(),
    deps.doorflow.listCredentials(person.id),
  ]);
  const managed = findManagedByDoorFlowId(deps.db, person.id);
  const card = types.card ? credentials.find((c) => c.credential_type_id === types.card?.id) : undefined;
  return {
    doorflowPersonId: person.id,
    firstName: person.first_name,
    lastName: person.last_name,
    enabled: person.enabled,
    systemId: person.system_id ?? null,
    validTo: person.valid_to ?? null,
    groupIds: person.groups,
    groupNames: person.groups.map((id) => groups.find((g) => g.id === id)?.name ?? `group ${id}`),
    cardNumber: card?.value ?? null,
    credentialKinds: credentials.map((c) => credentialKind(c, types)),
    changedAt: managed?.offboardedAt?.toISOString() ?? person.updated_at ?? null,
    managedBefore: managed !== undefined,
  };
}

export function credentialKind(c: Credential, types: CredentialTypes): string {
  if (types.card && c.credential_type_id === types.card.id) return "card";
  if (types.pin && c.credential_type_id === types.pin.id) return "pin";
  if (isMobileCredential(c, types)) return "mobile";
  return "other";
}

/** A mobile credential (HID, PassFlow) carries a status and no value (spec: Credential.status). */
export function isMobileCredential(c: Credential, types: CredentialTypes): boolean {
  if (types.mobile && c.credential_type_id === types.mobile.id) return true;
  return c.status !== undefined && c.status !== null;
}

/**
 * The local uniqueness a person needs before provisioning writes to them (one managed contract and
 * one open offboarding per person), checked before the first DoorFlow write: a conflict here is
 * refused, never discovered afterwards by a constraint.
 */
export function reuseBlocker(db: Executor, personId: number, requestId: string): string | null {
  const managed = findManagedByDoorFlowId(db, personId);
  if (managed && managed.status === "active" && managed.requestId !== requestId)
    return `${personName(managed)} became a current ${managed.kind} of another request after this one was made; Gatehouse will not take them over.`;
  const open = findOpenOffboarding(db, personId);
  if (open && open.requestId !== requestId)
    return `${open.personName} has an offboarding of their own scheduled for ${formatLocalDate(open.lastDay)}; cancel it with /offboard first, then ask again.`;
  return null;
}
