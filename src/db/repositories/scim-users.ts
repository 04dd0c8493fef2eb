/**
 * SCIM users an identity provider keeps here. A DELETE keeps the row (deleted_at) so that a
 * repeated DELETE is still recognised and the audit trail can name who was deprovisioned.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../database.js";
import { scimUsers } from "../schema.js";

export type ScimUser = typeof scimUsers.$inferSelect;

export interface ScimUserFields {
  userName: string;
  externalId: string | null;
  email: string | null;
  active: boolean;
  resource: Record<string, unknown>;
}

const live = isNull(scimUsers.deletedAt);

export function insertScimUser(db: Executor, id: string, fields: ScimUserFields, now: Date): ScimUser {
  return db
    .insert(scimUsers)
    .values({
      id,
      ...fields,
      userNameKey: fields.userName.toLowerCase(),
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
}

export function getScimUser(db: Executor, id: string): ScimUser | undefined {
  return db
    .select()
    .from(scimUsers)
    .where(and(eq(scimUsers.id, id), live))
    .get();
}

/** Another live user already holding this userName (case-insensitive), if any. */
export function findScimUserByUserName(db: Executor, userName: string): ScimUser | undefined {
  return db
    .select()
    .from(scimUsers)
    .where(and(eq(scimUsers.userNameKey, userName.toLowerCase()), live))
    .get();
}

export type ScimUserQuery =
  | { by: "all" }
  | { by: "userName"; value: string }
  | { by: "externalId"; value: string }
  | { by: "email"; value: string };

function condition(query: ScimUserQuery) {
  switch (query.by) {
    case "all":
      return live;
    case "userName":
      return and(live, eq(scimUsers.userNameKey, query.value.toLowerCase()));
    case "externalId":
      return and(live, eq(scimUsers.externalId, query.value));
    case "email":
      return and(live, eq(scimUsers.email, query.value.toLowerCase()));
  }
}

/** One page (offset from 0), oldest first so pages stay stable while users are added. */
export function listScimUsers(
  db: Executor,
  query: ScimUserQuery,
  page: { offset: number; limit: number },
): { rows: ScimUser[]; total: number } {
  const where = condition(query);
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(scimUsers)
      .where(where)
      .get()?.n ?? 0;
  const rows =
    page.limit === 0
      ? []
      : db
          .select()
          .from(scimUsers)
          .where(where)
          .orderBy(asc(scimUsers.createdAt), asc(scimUsers.id))
          .limit(page.limit)
          .offset(page.offset)
          .all();
  return { rows, total };
}

export function updateScimUser(
  db: Executor,
  id: string,
  fields: ScimUserFields & { deactivations: number },
  now: Date,
): ScimUser {
  return db
    .update(scimUsers)
    .set({ ...fields, userNameKey: fields.userName.toLowerCase(), updatedAt: now })
    .where(eq(scimUsers.id, id))
    .returning()
    .get();
}

export function markScimUserDeleted(db: Executor, id: string, deactivations: number, now: Date): void {
  db.update(scimUsers)
    .set({ deletedAt: now, active: false, deactivations, updatedAt: now })
    .where(eq(scimUsers.id, id))
    .run();
}
