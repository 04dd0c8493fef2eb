/**
 * What every upstream's error mapping needs to know about a failed exchange, whoever the upstream
 * is: which undici failures happen before a byte is sent, which are timeouts, what `Retry-After`
 * asks for, and how to quote an upstream's words without quoting a secret.
 */
import type { z } from "zod";
import { redact } from "../logger.js";

/** What a call is about, for messages: "to create the reservation", "DoorFlow rejected the reservation". */
export interface CallLabel {
  /** Verb in the infinitive: "create", "read", "delete", "list". */
  doing: string;
  /** "the reservation", "person 12", "people". */
  what: string;
}

export interface CallContext extends CallLabel {
  method: string;
  path: string;
}

/** What the transport reads of an upstream's error to decide whether and when to try again. */
export interface HttpFailure extends Error {
  readonly code: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryInSeconds?: number;
  /** A later attempt may succeed (rate limit, upstream down, network, timeout). */
  readonly retryable: boolean;
  /** The upstream may have carried out the request although we saw a failure (5xx, lost answer). */
  readonly mayHaveApplied: boolean;
}

// Failures before a request is written: nothing reached the upstream, so even a POST may be sent again.
const NOT_SENT = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
const TIMEOUTS = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

function causeCode(cause: unknown): string | undefined {
  let current: unknown = cause;
  for (let i = 0; i < 4 && current && typeof current === "object"; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A failure without an HTTP answer: its error code (when undici or the OS gave one), and what it means. */
export function transportFailure(cause: unknown): {
  code: string | undefined;
  timeout: boolean;
  mayHaveApplied: boolean;
} {
  const code = causeCode(cause);
  return {
    code,
    timeout: code !== undefined && TIMEOUTS.has(code),
    mayHaveApplied: !(code !== undefined && NOT_SENT.has(code)),
  };
}

/** Seconds from a `Retry-After` header: delta-seconds or an HTTP date. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Number(raw.trim());
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** An upstream's own words, fit for a message: masked like a log line (it may quote a token). */
export function cleanText(text: string): string {
  return String(redact(text)).trim();
}

/** "(body): Required; items.0.id: Expected number", for an answer that is not the promised shape. */
export function summariseIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}
