/**
 * Reading request fields the way DoorFlow (Rails) does: a date-time with an offset is that
 * instant; one without an offset, or a bare date, is wall-clock time in the account's zone.
 */
import { isLocalDate, startOfLocalDay, zonedInstant } from "../../../src/lib/time.js";
import type { ErrorCollector } from "./respond.js";

const WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/;

export function parseInstant(value: unknown, timeZone: string): Date | undefined {
  if (typeof value !== "string") return undefined;
  const s = value.trim();
  if (isLocalDate(s)) return startOfLocalDay(s, timeZone);
  const local = LOCAL_TIME.exec(s);
  if (local) {
    const [, date, time] = local as unknown as [string, string, string];
    return isLocalDate(date) ? zonedInstant(date, time, timeZone) : undefined;
  }
  const offset = WITH_OFFSET.exec(s);
  // Date.parse rolls 30 February over into March; DoorFlow refuses it.
  if (!offset || !isLocalDate(offset[1] ?? "")) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** A required date-time field, reported on `field` when missing or unreadable. */
export function requiredInstant(
  body: Record<string, unknown>,
  field: string,
  timeZone: string,
  errors: ErrorCollector,
): Date | undefined {
  const raw = body[field];
  if (raw === undefined || raw === null || raw === "") {
    errors.add(field, "can't be blank");
    return undefined;
  }
  const at = parseInstant(raw, timeZone);
  if (!at) errors.add(field, "is not a valid date-time");
  return at;
}

export function integerOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** An array of ids that must all be known; reports on `field`. */
export function idList(
  value: unknown,
  field: string,
  known: (id: number) => boolean,
  what: string,
  errors: ErrorCollector,
  options: { required: boolean },
): number[] | undefined {
  if (value === undefined || value === null) {
    if (options.required) errors.add(field, `must contain at least one ${what}`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    errors.add(field, `must be an array of ${what} ids`);
    return undefined;
  }
  const ids: number[] = [];
  for (const item of value) {
    const id = integerOf(item);
    if (id === undefined) errors.add(field, `contains an invalid ${what} id: ${JSON.stringify(item)}`);
    else if (!known(id)) errors.add(field, `contains an unknown ${what}: ${id}`);
    else if (!ids.includes(id)) ids.push(id);
  }
  if (options.required && value.length === 0) errors.add(field, `must contain at least one ${what}`);
  return ids;
}

export function optionalString(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? value : undefined;
}

/** `since` is account-local time, `since_utc` UTC; both compare with updated_at. */
export function updatedSince(query: URLSearchParams, timeZone: string): Date | undefined {
  const utc = query.get("since_utc");
  if (utc) return parseInstant(utc, "UTC");
  const local = query.get("since");
  return local ? parseInstant(local, timeZone) : undefined;
}
