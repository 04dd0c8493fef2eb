/** The reservations and group reservations Gatehouse created in DoorFlow, by DoorFlow's id. */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../database.js";
import { doorflowBookings } from "../schema.js";
import { type BookingKind } from "../../domain/model.js";
import type { Booking } from "../../domain/model.js";
import { rowIs } from "../rows.js";

rowIs<typeof doorflowBookings.$inferSelect, Booking>(true);
export type NewBooking = Omit<typeof doorflowBookings.$inferInsert, "id" | "createdAt" | "updatedAt">;

/** Records a create about to be sent, so a crash before its answer is known leaves a trace. */
export function recordBookingAttempt(
  db: Executor,
  booking: Omit<NewBooking, "status" | "doorflowId">,
  now: Date,
): Booking {
  return db
    .insert(doorflowBookings)
    .values({ ...booking, status: "attempted", doorflowId: null, createdAt: now, updatedAt: now })
    .returning()
    .get();
}

/** DoorFlow answered (or the booking was found): it is live under this id. */
export function markBookingLive(db: Executor, id: number, doorflowId: number | null, now: Date): void {
  db.update(doorflowBookings)
    .set({ status: "live", doorflowId, updatedAt: now })
    .where(eq(doorflowBookings.id, id))
    .run();
}

/** Records a booking DoorFlow holds, once (the same DoorFlow id twice is one row). */
export function recordLiveBooking(db: Executor, booking: Omit<NewBooking, "status">, now: Date): void {
  db.insert(doorflowBookings)
    .values({ ...booking, status: "live", createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .run();
}

export function markBookingsEnded(db: Executor, ids: number[], now: Date): void {
  if (ids.length === 0) return;
  db.update(doorflowBookings)
    .set({ status: "ended", updatedAt: now })
    .where(inArray(doorflowBookings.id, ids))
    .run();
}

/** An attempt that provably never reached DoorFlow (its create failed without applying). */
export function dropBookingAttempt(db: Executor, id: number): void {
  db.delete(doorflowBookings)
    .where(and(eq(doorflowBookings.id, id), eq(doorflowBookings.status, "attempted")))
    .run();
}

export function listBookingsOfRequest(db: Executor, requestId: string, kind?: BookingKind): Booking[] {
  return db
    .select()
    .from(doorflowBookings)
    .where(and(eq(doorflowBookings.requestId, requestId), kind ? eq(doorflowBookings.kind, kind) : undefined))
    .orderBy(asc(doorflowBookings.id))
    .all();
}

/** What Gatehouse made for a person that it has not ended (live, or attempted with no answer). */
export function listOpenBookingsOfPerson(db: Executor, doorflowPersonId: number): Booking[] {
  return db
    .select()
    .from(doorflowBookings)
    .where(
      and(
        eq(doorflowBookings.doorflowPersonId, doorflowPersonId),
        inArray(doorflowBookings.status, ["live", "attempted"]),
      ),
    )
    .orderBy(asc(doorflowBookings.id))
    .all();
}
