/**
 * How the sandbox answers: DoorFlow's JSON error bodies (`{error, error_description}`; a 422 is
 * `{error, errors: {field: [messages]}}`, its `error` the message, as the spec's
 * UnprocessableEntityError has it), and the page/per_page pagination with its `Total` and `Per-Page`
 * headers. Per-page limits are clamped rather than refused, as Rails' api-pagination does, so a
 * client that asks for more than the maximum and stops at the first short page misses records here
 * just as it would against DoorFlow.
 */
import type { SandboxResponse } from "./types.js";

export type FieldErrors = Record<string, string[]>;

const JSON_TYPE = "application/json; charset=utf-8";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function plainText(status: number, body: string): SandboxResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}

export function errorResponse(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return json(status, { error, error_description: description }, headers);
}

export function badRequest(description: string): SandboxResponse {
  return errorResponse(400, "bad_request", description);
}

/** Rails' wording for a missing record. */
export function notFound(model: string, id: string | number): SandboxResponse {
  return errorResponse(404, "not_found", `Couldn't find ${model} with 'id'=${id}`);
}

/** A body without its wrapper (`group_reservation`, `person_credential`): the spec answers 400 nowhere. */
export function missingParam(name: string): SandboxResponse {
  return unprocessable({ [name]: ["is missing"] });
}

export function ok(): SandboxResponse {
  return json(200, { result: "ok" });
}

function humanise(field: string): string {
  const words = field.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function unprocessable(errors: FieldErrors): SandboxResponse {
  const messages = Object.entries(errors).flatMap(([field, list]) =>
    list.map((m) => (field === "base" ? m : `${humanise(field)} ${m}`)),
  );
  return json(422, { error: `Validation failed: ${messages.join(", ")}`, errors });
}

/** Collects field errors while a request body is read. */
export class ErrorCollector {
  readonly errors: FieldErrors = {};

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }
}

export interface PageLimits {
  defaultPerPage: number;
  maxPerPage?: number;
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}

/** One page of `items` per DoorFlow's page/per_page/skip_pagination parameters. */
export function paginated<T>(
  items: readonly T[],
  query: URLSearchParams,
  limits: PageLimits,
): SandboxResponse {
  const total = String(items.length);
  if (query.get("skip_pagination") === "true") return json(200, items, { total, "per-page": total });
  const asked = positiveInt(query.get("per_page")) ?? limits.defaultPerPage;
  const perPage = limits.maxPerPage === undefined ? asked : Math.min(asked, limits.maxPerPage);
  const page = positiveInt(query.get("page")) ?? 1;
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return json(200, slice, { total, "per-page": String(perPage) });
}
