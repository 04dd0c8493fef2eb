/** Extension requests: decided by one conditional transition, like access requests. */
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../database.js";
import { extensions } from "../schema.js";
import { type ExtensionState } from "../../domain/model.js";
import type { Extension } from "../../domain/model.js";
import { rowIs } from "../rows.js";

rowIs<typeof extensions.$inferSelect, Extension>(true);
export type NewExtension = Omit<typeof extensions.$inferInsert, "createdAt" | "updatedAt" | "state">;

export function insertExtension(db: Executor, input: NewExtension, now: Date): Extension {
  return db
    .insert(extensions)
    .values({ ...input, state: "requested", createdAt: now, updatedAt: now })
    .returning()
    .get();
}

export function getExtension(db: Executor, id: string): Extension | undefined {
  return db.select().from(extensions).where(eq(extensions.id, id)).get();
}

export function updateExtension(
  db: Executor,
  id: string,
  fields: Partial<Pick<Extension, "approvalChannelId" | "approvalTs" | "lastError">>,
  now: Date,
): void {
  db.update(extensions)
    .set({ ...fields, updatedAt: now })
    .where(eq(extensions.id, id))
    .run();
}

/** Moves the extension from one of `from` to `to`; `undefined` when it was no longer in `from`. */
export function transitionExtension(
  db: Executor,
  id: string,
  from: ExtensionState[],
  to: ExtensionState,
  now: Date,
  fields: Partial<Pick<Extension, "decidedBy" | "decidedAt" | "denyReason" | "lastError">> = {},
): Extension | undefined {
  return db
    .update(extensions)
    .set({ ...fields, state: to, updatedAt: now })
    .where(and(eq(extensions.id, id), inArray(extensions.state, from)))
    .returning()
    .get();
}
