/**
 * "Card collected": facilities has the physical card back, so the card goes back to the pool.
 * Card values are unique per DoorFlow account, so the card credential is deleted from the disabled
 * person (the person stays); otherwise the next contractor given that card could not be provisioned.
 * Confirmed by operators only (Slack button or `gatehouse card collected <email>`), audited once.
 */
import { inTransaction } from "../db/database.js";
import { recordAudit } from "../db/repositories/audit.js";
import {
  findManagedByEmail,
  getManagedPerson,
  markCardCollected,
} from "../db/repositories/managed-people.js";
import { type ManagedPerson, personName } from "./model.js";
import { DoorFlowError } from "../doorflow/errors.js";
import type { Credential, Person } from "../doorflow/schemas.js";
import type { Deps } from "./deps.js";
import type { CardCollectionNotice, PostedMessage } from "./ports.js";

/** Whose card: a person Gatehouse manages, or (an employee offboarded by hand) a DoorFlow person. */
export type CardHolderRef = { managedPersonId: number } | { doorflowPersonId: number };

export type CardCollectedResult =
  | { status: "forbidden" }
  | { status: "not_found" }
  | { status: "already_collected"; by: string | null; at: Date | null }
  | { status: "still_enabled"; personName: string }
  | {
      status: "collected";
      notice: CardCollectionNotice;
      removedCards: string[];
      /** The facilities message to update, when Gatehouse knows it (a managed person's). */
      message: PostedMessage | null;
    };

export async function confirmCardCollected(
  deps: Deps,
  input: { actor: string; holder: CardHolderRef; actorIsOperator?: boolean },
): Promise<CardCollectedResult> {
  if (!(input.actorIsOperator ?? (await deps.policy.isOperator(input.actor)))) return { status: "forbidden" };
  const managed =
    "managedPersonId" in input.holder ? getManagedPerson(deps.db, input.holder.managedPersonId) : undefined;
  if ("managedPersonId" in input.holder && !managed) return { status: "not_found" };
  if (managed?.cardCollectedAt)
    return { status: "already_collected", by: managed.cardCollectedBy, at: managed.cardCollectedAt };
  const personId = managed
    ? managed.doorflowPersonId
    : (input.holder as { doorflowPersonId: number }).doorflowPersonId;

  let person: Person | null = null;
  let removedCards: string[] = [];
  if (personId !== null) {
    const found = await readHolder(deps, personId);
    if (!found) return { status: "not_found" };
    person = found.person;
    if (person.enabled)
      return { status: "still_enabled", personName: `${person.first_name} ${person.last_name}` };
    const cards = cardsToRemove(found.credentials, found.cardTypeId, managed);
    // Deleting twice is harmless (the client settles a 404 after a retry), so a concurrent click
    // that loses the race below has changed nothing the winner did not.
    await Promise.all(cards.map((c) => deps.doorflow.deleteCredential(personId, c.id)));
    removedCards = cards.map((c) => c.value ?? "");
    if (cards.length > 0) deps.sync.request(`card collected from person ${personId}`);
  }

  const now = deps.now();
  const name = managed ? personName(managed) : `${person?.first_name} ${person?.last_name}`;
  const email = managed?.email ?? person?.email ?? null;
  const recorded = inTransaction(deps.db, (tx) => {
    if (managed && !markCardCollected(tx, managed.id, input.actor, now)) return false;
    recordAudit(tx, {
      at: now,
      actor: input.actor,
      action: "card.collected",
      outcome: "ok",
      requestId: managed?.requestId ?? null,
      doorflowPersonId: personId,
      subjectEmail: email,
      subjectName: name,
      details: { cardNumbers: removedCards, credentialRemoved: removedCards.length > 0 },
    });
    return true;
  });
  if (!recorded) {
    const now2 = managed ? getManagedPerson(deps.db, managed.id) : undefined;
    return {
      status: "already_collected",
      by: now2?.cardCollectedBy ?? null,
      at: now2?.cardCollectedAt ?? null,
    };
  }
  const recordedCards = managed?.credentials.flatMap((c) => (c.cardNumber ? [c.cardNumber] : [])) ?? [];
  return {
    status: "collected",
    removedCards,
    notice: {
      personName: name,
      email,
      cardNumbers: recordedCards.length > 0 ? recordedCards : removedCards,
      managedPersonId: managed?.id ?? null,
      doorflowPersonId: personId,
    },
    message:
      managed?.cardNoticeChannelId && managed.cardNoticeTs
        ? { channelId: managed.cardNoticeChannelId, ts: managed.cardNoticeTs }
        : null,
  };
}

/** For the CLI: the person whose card is to be confirmed, found by their exact email. */
export async function findCardHolderByEmail(
  deps: Deps,
  email: string,
): Promise<
  { status: "found"; holder: CardHolderRef } | { status: "none" } | { status: "several"; count: number }
> {
  const managed = findManagedByEmail(deps.db, email).filter(
    (m) => m.status === "offboarded" && m.cardCollectedAt === null,
  );
  if (managed.length === 1 && managed[0])
    return { status: "found", holder: { managedPersonId: managed[0].id } };
  if (managed.length > 1) return { status: "several", count: managed.length };
  const people = (await deps.doorflow.findPeopleByEmail(email)).filter((p) => !p.enabled);
  if (people.length === 1 && people[0])
    return { status: "found", holder: { doorflowPersonId: people[0].id } };
  return people.length > 1 ? { status: "several", count: people.length } : { status: "none" };
}

async function readHolder(
  deps: Deps,
  personId: number,
): Promise<{ person: Person; credentials: Credential[]; cardTypeId: number | null } | null> {
  try {
    const [person, credentials, types] = await Promise.all([
      deps.doorflow.getPerson(personId),
      deps.doorflow.listCredentials(personId),
      deps.catalog.credentialTypes(),
    ]);
    return { person, credentials, cardTypeId: types.card?.id ?? null };
  } catch (error) {
    if (error instanceof DoorFlowError && error.code === "doorflow_not_found") return null;
    throw error;
  }
}

/**
 * The card credentials to delete: the card numbers Gatehouse recorded for the contract, or, with
 * none recorded (an employee offboarded by hand), every card credential the disabled person holds.
 */
function cardsToRemove(
  credentials: Credential[],
  cardTypeId: number | null,
  managed: ManagedPerson | undefined,
): Credential[] {
  if (cardTypeId === null) return [];
  const cards = credentials.filter((c) => c.credential_type_id === cardTypeId);
  const recorded = new Set(managed?.credentials.flatMap((c) => (c.cardNumber ? [c.cardNumber] : [])) ?? []);
  return recorded.size === 0 ? cards : cards.filter((c) => c.value && recorded.has(c.value));
}
