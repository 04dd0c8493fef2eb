/**
 * Request bodies and the matching rules used to recognise a record that a lost attempt already
 * created. Pure functions, kept apart from client.ts so they can be read against the spec.
 */
import type { PersonInput } from "./schemas.js";

/**
 * DoorFlow's PersonInput takes credential values as top-level fields named after the account's
 * credential-type slugs (`card_number`, `pin`, …) next to the person's own fields.
 */
export function personBody(input: PersonInput): Record<string, unknown> {
  const { credentials, ...fields } = input;
  return { ...fields, ...(credentials ?? {}) };
}

/** An instant with an explicit offset, as DoorFlow's date-time fields expect. */
export function wireInstant(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError("invalid date");
  return instant.toISOString();
}

/** Same second (DoorFlow may drop milliseconds). */
function sameInstant(wire: string, instant: Date): boolean {
  return Math.floor(Date.parse(wire) / 1000) === Math.floor(instant.getTime() / 1000);
}

function sameIdSet(a: readonly number[], b: readonly number[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

export interface TimedRecord {
  person_id: number;
  start_time: string;
  end_time: string;
}

export function sameBooking<R extends TimedRecord>(
  record: R,
  wanted: { personId: number; startTime: Date; endTime: Date },
  ids: (r: R) => readonly number[],
  wantedIds: readonly number[],
): boolean {
  return (
    record.person_id === wanted.personId &&
    sameInstant(record.start_time, wanted.startTime) &&
    sameInstant(record.end_time, wanted.endTime) &&
    sameIdSet(ids(record), wantedIds)
  );
}

/** DoorFlow's email filter is a case-insensitive partial match; we want the address itself. */
export function sameEmail(a: string | null | undefined, b: string): boolean {
  return typeof a === "string" && a.trim().toLowerCase() === b.trim().toLowerCase();
}
