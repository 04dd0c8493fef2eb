/** The people Gatehouse manages in DoorFlow: who they are, why they have access, until when. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../database.js";
import type { AccessRequest } from "../../domain/model.js";
import { managedPeople } from "../schema.js";
import { type ProviderId } from "../../domain/model.js";
import type { ManagedPerson } from "../../domain/model.js";
import { rowIs } from "../rows.js";

/** For src/slack/listeners only, until stream C moves their queries into use cases (then removed). */
export type { ManagedPerson } from "../../domain/model.js";

rowIs<typeof managedPeople.$inferSelect, ManagedPerson>(true);
export type NewManagedPerson = Omit<typeof managedPeople.$inferInsert, "id" | "createdAt" | "updatedAt">;

/** Who a provisioned request's person is and why they have access, as the request recorded it. */
export function managedFromRequest(
  request: AccessRequest,
): Omit<NewManagedPerson, "doorflowPersonId" | "provider" | "status"> {
  return {
    requestId: request.id,
    kind: request.kind,
    firstName: request.firstName,
    lastName: request.lastName,
    email: request.email,
    company: request.company,
    requesterId: request.requesterId,
    approverId: request.decidedBy,
    startDate: request.startDate,
    endDate: request.endDate,
    credentialKind: request.credential,
    accessIds: request.accessIds,
    accessNames: request.accessNames,
  };
}

/**
 * Inserts the person, or refreshes the row when DoorFlow's person is already managed: a re-run of
 * the same provisioning, or a new contract for someone whose earlier one ended. The row then
 * describes the new contract only (its credentials, reservations and card state start afresh).
 */
export function upsertManagedPerson(db: Executor, person: NewManagedPerson, now: Date): ManagedPerson {
  return db
    .insert(managedPeople)
    .values({ ...person, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [managedPeople.provider, managedPeople.doorflowPersonId],
      set: {
        credentials: [],
        groupReservationId: null,
        reservationId: null,
        cardCollectedAt: null,
        cardCollectedBy: null,
        ...person,
        status: person.status ?? "active",
        offboardedAt: null,
        updatedAt: now,
      },
    })
    .returning()
    .get();
}

/** A person without a DoorFlow id (a Buzz-in contractor): always a new row. */
export function insertManagedPerson(db: Executor, person: NewManagedPerson, now: Date): ManagedPerson {
  return db
    .insert(managedPeople)
    .values({ ...person, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function getManagedPerson(db: Executor, id: number): ManagedPerson | undefined {
  return db.select().from(managedPeople).where(eq(managedPeople.id, id)).get();
}

export function findManagedByDoorFlowId(
  db: Executor,
  doorflowPersonId: number,
  provider: ProviderId = "doorflow",
): ManagedPerson | undefined {
  return db
    .select()
    .from(managedPeople)
    .where(and(eq(managedPeople.provider, provider), eq(managedPeople.doorflowPersonId, doorflowPersonId)))
    .get();
}

export function findManagedByEmail(db: Executor, email: string): ManagedPerson[] {
  return db
    .select()
    .from(managedPeople)
    .where(sql`lower(${managedPeople.email}) = ${email.trim().toLowerCase()}`)
    .orderBy(asc(managedPeople.endDate))
    .all();
}

/** Whose people: everyone's, or those one requester asked for (index managed_people_requester_idx). */
export interface ActiveFilter {
  requesterId?: string;
}

const activeWhere = (filter: ActiveFilter) =>
  filter.requesterId === undefined
    ? eq(managedPeople.status, "active")
    : and(eq(managedPeople.requesterId, filter.requesterId), eq(managedPeople.status, "active"));

/** Active contractors and visitors, ending soonest first. */
export function listActiveManaged(
  db: Executor,
  options: ActiveFilter & { limit?: number; offset?: number } = {},
): ManagedPerson[] {
  return db
    .select()
    .from(managedPeople)
    .where(activeWhere(options))
    .orderBy(asc(managedPeople.endDate), asc(managedPeople.lastName), asc(managedPeople.id))
    .limit(options.limit ?? -1)
    .offset(options.offset ?? 0)
    .all();
}

export function countActiveManaged(db: Executor, filter: ActiveFilter = {}): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(managedPeople)
    .where(activeWhere(filter))
    .get();
  return row?.n ?? 0;
}

/** Active people whose end date is one of `endDates` (the reminder days). */
export function listActiveEndingOn(db: Executor, endDates: string[]): ManagedPerson[] {
  if (endDates.length === 0) return [];
  return db
    .select()
    .from(managedPeople)
    .where(and(eq(managedPeople.status, "active"), sql`${managedPeople.endDate} in ${endDates}`))
    .all();
}

export function updateManagedPerson(
  db: Executor,
  id: number,
  fields: Partial<Omit<ManagedPerson, "id" | "createdAt" | "updatedAt">>,
  now: Date,
): ManagedPerson | undefined {
  return db
    .update(managedPeople)
    .set({ ...fields, updatedAt: now })
    .where(eq(managedPeople.id, id))
    .returning()
    .get();
}

export function markOffboarded(db: Executor, id: number, now: Date): void {
  updateManagedPerson(db, id, { status: "offboarded", offboardedAt: now }, now);
}

/** Returns false when the card was already marked collected (the first click wins). */
export function markCardCollected(db: Executor, id: number, by: string, now: Date): boolean {
  const row = db
    .update(managedPeople)
    .set({ cardCollectedAt: now, cardCollectedBy: by, updatedAt: now })
    .where(and(eq(managedPeople.id, id), sql`${managedPeople.cardCollectedAt} is null`))
    .returning({ id: managedPeople.id })
    .get();
  return row !== undefined;
}

export function findManagedByRequest(db: Executor, requestId: string): ManagedPerson | undefined {
  return db.select().from(managedPeople).where(eq(managedPeople.requestId, requestId)).get();
}
