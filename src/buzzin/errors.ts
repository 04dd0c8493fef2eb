/**
 * Every failure of a Buzz-in call becomes one BuzzinError: a stable `code`, the HTTP status, Buzz-in's
 * own FeathersJS `name` and `message` when there are any (`{"name":"BadRequest","message":"…",
 * "code":400}` [doc: external-nfc-visit]), the request id when Buzz-in sends one, and a
 * sentence a person can act on. The API key never reaches a message: messages are built from the
 * answer's body (passed through the logger's redaction) and our own wording, never from headers.
 */
import { GatehouseError } from "../lib/errors.js";
import {
  type CallContext,
  cleanText as clean,
  headerValue,
  type HttpFailure,
  parseRetryAfter,
  transportFailure,
} from "../lib/http/failures.js";
import type { ErrorMapping } from "../lib/http/transport.js";
import { RATE_LIMIT } from "./assumptions.js";
import { type FeathersErrorBody, feathersErrorSchema } from "./schemas.js";

export type BuzzinErrorCode =
  | "buzzin_unauthorized"
  | "buzzin_forbidden"
  | "buzzin_not_found"
  | "buzzin_conflict"
  | "buzzin_duplicate_contractor"
  | "buzzin_validation"
  | "buzzin_rate_limited"
  | "buzzin_server"
  | "buzzin_network"
  | "buzzin_timeout"
  | "buzzin_bad_response"
  | "buzzin_http";

const RETRYABLE: ReadonlySet<BuzzinErrorCode> = new Set([
  "buzzin_rate_limited",
  "buzzin_server",
  "buzzin_network",
  "buzzin_timeout",
]);

/** The fields Buzz-in keeps unique for a contractor (email globally, the others per community). */
export type DuplicateField = "email" | "phone" | "salesforceId";
const DUPLICATE_LABEL: Record<DuplicateField, string> = {
  email: "email",
  phone: "phone",
  salesforceId: "Salesforce id",
};

export interface BuzzinErrorInit {
  code: BuzzinErrorCode;
  message: string;
  method: string;
  path: string;
  status?: number;
  error?: string;
  detail?: string;
  requestId?: string;
  retryInSeconds?: number;
  duplicates?: DuplicateField[];
  duplicatesNamed?: boolean;
  mayHaveApplied?: boolean;
  /** The parsed error body, for callers that read more of it (a 409's `data`). Never logged. */
  body?: FeathersErrorBody;
  cause?: unknown;
}

export class BuzzinError extends GatehouseError implements HttpFailure {
  declare readonly code: BuzzinErrorCode;
  readonly status?: number;
  /** Buzz-in's FeathersJS error name ("Conflict", "BadRequest"). */
  readonly error?: string;
  /** Buzz-in's own `message`, joined when it is a list. */
  readonly detail?: string;
  readonly requestId?: string;
  readonly retryInSeconds?: number;
  /** On a duplicate contractor: the fields Buzz-in named, or all three when it named none. */
  readonly duplicates: DuplicateField[];
  /** Whether Buzz-in named the taken fields (else `duplicates` lists all three as possible). */
  readonly duplicatesNamed: boolean;
  readonly method: string;
  readonly path: string;
  /** Whether Buzz-in may have carried out the request although we saw a failure (5xx, lost answer). */
  readonly mayHaveApplied: boolean;
  readonly body?: FeathersErrorBody;

  constructor(init: BuzzinErrorInit) {
    super(init.code, init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.error = init.error;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.retryInSeconds = init.retryInSeconds;
    this.duplicates = init.duplicates ?? [];
    this.duplicatesNamed = init.duplicatesNamed ?? false;
    this.method = init.method;
    this.path = init.path;
    this.mayHaveApplied = init.mayHaveApplied ?? false;
    this.body = init.body;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** What a call is about, for messages: doing "create", what "the permit". */
export interface BuzzinCallContext extends CallContext {
  /** Set on create contractor, where a 409 means one of the unique fields is taken. */
  conflictIsDuplicate?: boolean;
}

function codeForStatus(status: number): BuzzinErrorCode {
  if (status === 401) return "buzzin_unauthorized";
  if (status === 403) return "buzzin_forbidden";
  if (status === 404) return "buzzin_not_found";
  if (status === 409) return "buzzin_conflict";
  if (status === 400 || status === 422) return "buzzin_validation";
  if (status === 429) return "buzzin_rate_limited";
  if (status >= 500) return "buzzin_server";
  return "buzzin_http";
}

function parseBody(text: string): FeathersErrorBody {
  try {
    const parsed = feathersErrorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** FeathersJS's field errors (`errors: {field: message}` or a list), as "field: message" lines. */
function fieldErrors(body: FeathersErrorBody): string[] {
  const errors = body.errors;
  if (Array.isArray(errors))
    return errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e))).slice(0, 5);
  if (typeof errors === "object" && errors !== null)
    return Object.entries(errors)
      .slice(0, 5)
      .map(([field, m]) => `${field}: ${typeof m === "string" ? m : JSON.stringify(m)}`);
  return [];
}

/**
 * Which unique fields a 409 on create contractor names. The conflict body is undocumented: field
 * errors win (FeathersJS puts them in `errors`), else the message is searched for the field names.
 */
function duplicateFields(
  body: FeathersErrorBody,
  detail: string,
): { fields: DuplicateField[]; named: boolean } {
  const named =
    typeof body.errors === "object" && body.errors !== null && !Array.isArray(body.errors)
      ? Object.keys(body.errors).map((f) => f.toLowerCase())
      : [];
  const text = named.length > 0 ? named.join(" ") : detail.toLowerCase();
  const found: DuplicateField[] = [];
  if (text.includes("email")) found.push("email");
  if (text.includes("phone")) found.push("phone");
  if (/salesforce/.test(text)) found.push("salesforceId");
  return found.length > 0
    ? { fields: found, named: true }
    : { fields: ["email", "phone", "salesforceId"], named: false };
}

function errorFromResponse(
  ctx: BuzzinCallContext,
  status: number,
  text: string,
  headers: Record<string, string | string[] | undefined>,
): BuzzinError {
  const body = parseBody(text);
  const detail = clean([body.message ?? [], ...fieldErrors(body)].flat().join("; "));
  const requestId = headerValue(headers["x-request-id"]);
  const ref = `${status}${requestId ? `, request id ${requestId}` : ""}`;
  const retryInSeconds =
    status === 429 || status === 503 ? parseRetryAfter(headers[RATE_LIMIT.retryAfterHeader]) : undefined;
  let code = codeForStatus(status);
  const taken =
    code === "buzzin_conflict" && ctx.conflictIsDuplicate ? duplicateFields(body, detail) : undefined;
  const duplicates = taken?.fields ?? [];
  if (duplicates.length > 0) code = "buzzin_duplicate_contractor";
  const said = detail ? `: ${detail}` : "";
  const { doing, what } = ctx;
  const messages: Record<BuzzinErrorCode, string> = {
    buzzin_unauthorized: `Buzz-in did not accept Gatehouse's API key when trying to ${doing} ${what} (${ref})${said}. Check BUZZIN_API_KEY and BUZZIN_API_KEY_HEADER.`,
    buzzin_forbidden: `Buzz-in does not allow Gatehouse's API key to ${doing} ${what} (${ref})${said}. The key may be scoped to another community.`,
    buzzin_not_found: `Buzz-in could not find ${what} (${ref}); it may have been removed in Buzz-in.`,
    buzzin_conflict: `Buzz-in refused to ${doing} ${what} (${ref})${said}.`,
    buzzin_duplicate_contractor: `This contractor is already registered in this community: ${duplicates.map((f) => DUPLICATE_LABEL[f]).join(" / ")} already in use${detail ? ` (Buzz-in: ${detail})` : ""} (${ref}). Use the existing Buzz-in contractor or change the details.`,
    buzzin_validation: `Buzz-in rejected ${what}: ${detail || "the request was invalid"} (${ref}).`,
    buzzin_rate_limited: `Buzz-in is limiting requests and refused to ${doing} ${what}${retryInSeconds !== undefined ? `; it asks to wait ${retryInSeconds} s` : ""} (${ref}).`,
    buzzin_server: `Buzz-in failed to ${doing} ${what} (${ref})${said}. This is usually temporary; try again in a few minutes.`,
    buzzin_network: "",
    buzzin_timeout: "",
    buzzin_bad_response: "",
    buzzin_http: `Buzz-in answered ${status} when asked to ${doing} ${what}${said}.`,
  };
  return new BuzzinError({
    code,
    message: messages[code],
    method: ctx.method,
    path: ctx.path,
    status,
    error: body.name,
    detail: detail || undefined,
    requestId,
    retryInSeconds,
    duplicates,
    duplicatesNamed: taken?.named ?? false,
    mayHaveApplied: status >= 500,
    body,
  });
}

/**
 * A failure without an HTTP answer. The shared transport knows which undici failures happen before
 * a byte is sent (so even a POST may go again) and which are timeouts.
 */
function errorFromTransport(ctx: BuzzinCallContext, cause: unknown, baseUrl: string): BuzzinError {
  const verdict = transportFailure(cause);
  const { timeout } = verdict;
  const why = cause instanceof Error ? cause.message : String(cause);
  return new BuzzinError({
    code: timeout ? "buzzin_timeout" : "buzzin_network",
    message: timeout
      ? `Buzz-in did not answer in time when asked to ${ctx.doing} ${ctx.what} (${why}). It may be slow or unreachable; try again in a few minutes.`
      : `Could not reach Buzz-in at ${baseUrl} to ${ctx.doing} ${ctx.what} (${why}). Check the network and BUZZIN_BASE_URL.`,
    method: ctx.method,
    path: ctx.path,
    mayHaveApplied: verdict.mayHaveApplied,
    cause,
  });
}

/** A 2xx whose body is not the expected shape: not retried, the same request gets the same answer. */
function errorFromBadBody(
  ctx: BuzzinCallContext,
  status: number,
  problem: string,
  requestId: string | undefined,
  cause?: unknown,
): BuzzinError {
  return new BuzzinError({
    code: "buzzin_bad_response",
    message: `Buzz-in's answer when asked to ${ctx.doing} ${ctx.what} was not in the expected shape (${status}${requestId ? `, request id ${requestId}` : ""}): ${problem}. Buzz-in's API may differ from what Gatehouse assumes (see src/buzzin/assumptions.ts).`,
    method: ctx.method,
    path: ctx.path,
    status,
    requestId,
    mayHaveApplied: true,
    cause,
  });
}

/** Buzz-in's side of the shared transport: how its failures become BuzzinErrors. */
export const buzzinErrors: ErrorMapping<BuzzinError, BuzzinCallContext> = {
  fromResponse: errorFromResponse,
  fromTransport: errorFromTransport,
  fromBadBody: errorFromBadBody,
};
