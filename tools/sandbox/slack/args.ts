/**
 * Reading Web API arguments the way Slack does: form posts carry every value as a string
 * ("true", "5"), JSON posts carry real types, and both must mean the same thing.
 */
import type { Json } from "./shapes.js";

export type Args = Record<string, unknown>;
export type MethodHandler = (args: Args) => Json;

export function str(value: unknown): string | undefined {
  if (typeof value === "string") return value.length > 0 ? value : undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

export function bool(value: unknown): boolean {
  return value === true || value === "true" || value === "1" || value === 1;
}

export function int(value: unknown, fallback: number): number {
  const n = typeof value === "number" ? value : Number.parseInt(str(value) ?? "", 10);
  return Number.isFinite(n) ? n : fallback;
}

export function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

export function fail(error: string, extra: Json = {}): Json {
  return { ok: false, error, ...extra };
}

/** Fields the Node SDK (and Bolt) JSON-encode inside a form post. */
const NESTED_JSON_FIELDS = new Set([
  "blocks",
  "attachments",
  "view",
  "metadata",
  "unfurls",
  "user_auth_blocks",
  "file_uploads",
  "files",
]);

export function decodeNested(args: Args): Args {
  const out: Args = {};
  for (const [key, value] of Object.entries(args)) {
    if (typeof value === "string" && NESTED_JSON_FIELDS.has(key)) {
      try {
        out[key] = JSON.parse(value) as unknown;
      } catch {
        out[key] = value;
      }
    } else {
      out[key] = value;
    }
  }
  return out;
}
