/**
 * Every failure of a DoorFlow call becomes one DoorFlowError: a stable `code`, the HTTP status and
 * DoorFlow's own words when there are any, and a message a person can act on. The token never
 * reaches a message: messages are built from DoorFlow's error body (passed through the logger's
 * redaction) and from our own wording, never from request headers.
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
import { redact } from "../lib/logger.js";
import { errorBodySchema } from "./schemas.js";

export type DoorFlowErrorCode =
  | "doorflow_unauthorized"
  | "doorflow_forbidden"
  | "doorflow_not_found"
  | "doorflow_conflict"
  | "doorflow_validation"
  | "doorflow_rate_limited"
  | "doorflow_server"
  | "doorflow_network"
  | "doorflow_timeout"
  | "doorflow_bad_response"
  | "doorflow_http";

const RETRYABLE: ReadonlySet<DoorFlowErrorCode> = new Set([
  "doorflow_rate_limited",
  "doorflow_server",
  "doorflow_network",
  "doorflow_timeout",
]);

export interface DoorFlowErrorInit {
  code: DoorFlowErrorCode;
  message: string;
  method: string;
  path: string;
  status?: number;
  error?: string;
  description?: string;
  fieldErrors?: Record<string, string[]>;
  requestId?: string;
  retryInSeconds?: number;
  body?: unknown;
  /** Whether DoorFlow may have carried out the request even though we saw a failure. */
  mayHaveApplied?: boolean;
  cause?: unknown;
}

export class DoorFlowError extends GatehouseError implements HttpFailure {
  declare readonly code: DoorFlowErrorCode;
  readonly status?: number;
  /** DoorFlow's `error` field, e.g. `invalid_grant`, `rate_limited`. */
  readonly error?: string;
  /** DoorFlow's `error_description` (or `description` on 429). */
  readonly description?: string;
  readonly fieldErrors: Record<string, string[]>;
  readonly requestId?: string;
  readonly retryInSeconds?: number;
  readonly method: string;
  readonly path: string;
  /** The parsed response body, e.g. the existing credential that a 409 answers with. */
  readonly body?: unknown;
  /**
   * True when the request may have reached DoorFlow and been carried out (5xx, a timeout or a
   * dropped connection after sending); false when it certainly was not (429, refused connection,
   * any 4xx). A POST is only repeated after such an ambiguous failure when a duplicate is ruled out.
   */
  readonly mayHaveApplied: boolean;

  constructor(init: DoorFlowErrorInit) {
    super(init.code, init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.error = init.error;
    this.description = init.description;
    this.fieldErrors = init.fieldErrors ?? {};
    this.requestId = init.requestId;
    this.retryInSeconds = init.retryInSeconds;
    this.method = init.method;
    this.path = init.path;
    this.body = init.body;
    this.mayHaveApplied = init.mayHaveApplied ?? false;
  }

  /** A later attempt may succeed (rate limit, DoorFlow down, network, timeout). */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** Retrying cannot fix it: a person has to change something (input, scopes, connection). */
  get permanent(): boolean {
    return !this.retryable;
  }
}

function codeForStatus(status: number): DoorFlowErrorCode {
  if (status === 401) return "doorflow_unauthorized";
  if (status === 403) return "doorflow_forbidden";
  if (status === 404) return "doorflow_not_found";
  if (status === 409) return "doorflow_conflict";
  if (status === 422) return "doorflow_validation";
  if (status === 429) return "doorflow_rate_limited";
  if (status >= 500) return "doorflow_server";
  return "doorflow_http";
}

function normaliseFieldErrors(
  errors: Record<string, string | string[]> | undefined,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(errors ?? {})) {
    out[field] = (Array.isArray(messages) ? messages : [messages]).map((m) => clean(m));
  }
  return out;
}

/** "start_time must be on the same day as end_time; value is already in use" */
function describeFields(fieldErrors: Record<string, string[]>): string {
  return Object.entries(fieldErrors)
    .flatMap(([field, messages]) =>
      messages.map((m) => (field === "base" || m.startsWith(field) ? m : `${field} ${m}`)),
    )
    .join("; ");
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Maps a non-2xx answer to an error. `text` is the raw body. */
export function errorFromResponse(
  ctx: CallContext,
  status: number,
  text: string,
  headers: Record<string, string | string[] | undefined>,
): DoorFlowError {
  const code = codeForStatus(status);
  const body = parseJson(text);
  const parsed = errorBodySchema.safeParse(body);
  const fields = parsed.success ? parsed.data : {};
  const requestId = headerValue(headers["x-request-id"]);
  const description = fields.error_description ?? fields.description;
  const fieldErrors = normaliseFieldErrors(fields.errors);
  const retryInSeconds =
    status === 429 || status === 503
      ? (fields.retry_in ?? parseRetryAfter(headers["retry-after"]))
      : undefined;
  const detail = describeFields(fieldErrors) || (description ? clean(description) : "") || fields.error || "";
  const ref = `${status}${requestId ? `, request id ${requestId}` : ""}`;
  const { doing, what } = ctx;
  const messages: Record<DoorFlowErrorCode, string> = {
    doorflow_unauthorized: `DoorFlow did not accept Gatehouse's credentials when trying to ${doing} ${what} (${ref})${detail ? `: ${detail}` : ""}. Run \`gatehouse doorflow connect\` to reconnect, or check DOORFLOW_ACCESS_TOKEN.`,
    doorflow_forbidden: `DoorFlow does not allow Gatehouse to ${doing} ${what} (${ref})${detail ? `: ${detail}` : ""}. Check the scopes granted to the DoorFlow app and the connecting user's permissions.`,
    doorflow_not_found: `DoorFlow could not find ${what} (${ref}); it may have been deleted in DoorFlow.`,
    doorflow_conflict: `DoorFlow already has ${what} (${ref})${detail ? `: ${detail}` : ""}.`,
    doorflow_validation: `DoorFlow rejected ${what}: ${detail || "the request was invalid"} (${ref}).`,
    doorflow_rate_limited: `DoorFlow is limiting requests and refused to ${doing} ${what}${retryInSeconds !== undefined ? `; it asks to wait ${retryInSeconds} s` : ""} (${ref}).`,
    doorflow_server: `DoorFlow failed to ${doing} ${what} (${ref})${detail ? `: ${detail}` : ""}. This is usually temporary; try again in a few minutes.`,
    doorflow_network: "",
    doorflow_timeout: "",
    doorflow_bad_response: "",
    doorflow_http: `DoorFlow answered ${status} when asked to ${doing} ${what}${detail ? `: ${detail}` : ""}.`,
  };
  return new DoorFlowError({
    code,
    message: messages[code],
    method: ctx.method,
    path: ctx.path,
    status,
    error: fields.error,
    description: description === undefined ? undefined : clean(description),
    fieldErrors,
    requestId,
    retryInSeconds,
    // Kept for callers (a 409 carries the existing record), but masked like a log line: an error
    // is printed whole by the CLI and by test runners, and DoorFlow may quote the bearer token.
    body: redact(body),
    mayHaveApplied: status >= 500,
  });
}

/** Maps a transport failure (no HTTP answer) to an error. */
export function errorFromTransport(ctx: CallContext, cause: unknown, baseUrl: string): DoorFlowError {
  const { code, timeout, mayHaveApplied } = transportFailure(cause);
  const why = code ?? (cause instanceof Error ? cause.message : String(cause));
  const message = timeout
    ? `DoorFlow did not answer in time when asked to ${ctx.doing} ${ctx.what} (${why}). It may be slow or unreachable; try again in a few minutes.`
    : `Could not reach DoorFlow at ${baseUrl} to ${ctx.doing} ${ctx.what} (${why}). Check the network and DOORFLOW_BASE_URL.`;
  return new DoorFlowError({
    code: timeout ? "doorflow_timeout" : "doorflow_network",
    message,
    method: ctx.method,
    path: ctx.path,
    mayHaveApplied,
    cause,
  });
}

/** A 2xx whose body is not what the spec promises. Not retried: the same request gets the same answer. */
export function errorFromBadBody(
  ctx: CallContext,
  status: number,
  problem: string,
  requestId: string | undefined,
  cause?: unknown,
): DoorFlowError {
  return new DoorFlowError({
    code: "doorflow_bad_response",
    message: `DoorFlow's answer when asked to ${ctx.doing} ${ctx.what} was not in the expected shape (${status}${requestId ? `, request id ${requestId}` : ""}): ${problem}. DoorFlow's API may have changed; please report it.`,
    method: ctx.method,
    path: ctx.path,
    status,
    requestId,
    // The call succeeded on DoorFlow's side; only its answer is unreadable.
    mayHaveApplied: true,
    cause,
  });
}

/** DoorFlow's side of the shared transport: how its failures become DoorFlowErrors. */
export const doorflowErrors: ErrorMapping<DoorFlowError, CallContext> = {
  fromResponse: errorFromResponse,
  fromTransport: errorFromTransport,
  fromBadBody: errorFromBadBody,
};
