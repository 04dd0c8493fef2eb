/**
 * The HR webhook's signature, Stripe-style: `X-Gatehouse-Timestamp: <Unix seconds>` and
 * `X-Gatehouse-Signature: v1=<hex HMAC-SHA256(HR_WEBHOOK_SECRET, "<timestamp>.<raw body>")>`.
 * The timestamp inside the signed text is what makes a captured request useless after five
 * minutes; comparing digests in constant time is what keeps the secret from leaking through timing.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const HR_TIMESTAMP_HEADER = "x-gatehouse-timestamp";
export const HR_SIGNATURE_HEADER = "x-gatehouse-signature";
/** How far a timestamp may be from Gatehouse's clock, either way. */
const HR_MAX_SKEW_SECONDS = 5 * 60;

function hmac(secret: string, timestampSec: string, body: Buffer | string): Buffer {
  return createHmac("sha256", secret)
    .update(`${timestampSec}.`, "utf8")
    .update(typeof body === "string" ? Buffer.from(body, "utf8") : body)
    .digest();
}

/** The `X-Gatehouse-Signature` value for `body` sent at `timestampSec` (what a signer sends). */
function signHrBody(secret: string, timestampSec: number, body: string): string {
  return `v1=${hmac(secret, String(timestampSec), body).toString("hex")}`;
}

/** Both headers for `body`, signed now (or at `timestampSec`). */
export function hrSignatureHeaders(
  secret: string,
  body: string,
  timestampSec?: number,
): Record<string, string> {
  const ts = timestampSec ?? Math.floor(Date.now() / 1000);
  return { [HR_TIMESTAMP_HEADER]: String(ts), [HR_SIGNATURE_HEADER]: signHrBody(secret, ts, body) };
}

export type TimestampCheck = { ok: true; timestamp: string } | { ok: false; problem: string };

/** The timestamp header alone: present, whole seconds, within the allowed skew of `now`. */
export function checkHrTimestamp(header: string | string[] | undefined, now: Date): TimestampCheck {
  if (typeof header !== "string" || !/^\d{1,12}$/.test(header)) {
    return { ok: false, problem: "missing or malformed X-Gatehouse-Timestamp" };
  }
  const skew = Math.abs(Math.floor(now.getTime() / 1000) - Number(header));
  if (skew > HR_MAX_SKEW_SECONDS) return { ok: false, problem: "stale X-Gatehouse-Timestamp" };
  return { ok: true, timestamp: header };
}

/** True when `header` is `v1=<hex>` and the digest is the one `secret` gives for this body. */
export function hrSignatureMatches(
  secret: string,
  timestamp: string,
  body: Buffer,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== "string") return false;
  const match = /^v1=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1] as string, "hex");
  return timingSafeEqual(given, hmac(secret, timestamp, body));
}
