/**
 * What Gatehouse assumes about Buzz-in's work-permit API where its documentation is silent. Each
 * fact that ../shared/buzzin/reference.md marks [unknown] (or [inferred] and load-bearing) lives in
 * exactly one named constant or function here, or in a schema of schemas.ts / events.ts whose
 * comment starts with "Assumption"; the README lists them all. When Buzz-in confirms or corrects one,
 * this is the place to change. Everything else in src/buzzin follows the documented pages:
 * create-contractor, revoke-contractor, create-noc-fit-out-permit, update-permit-dates-noc,
 * revoke-or-reissue-a-permit-pass and passes-permits-issued (docs.api.buzz-in.co).
 */
import { createHmac } from "node:crypto";

/**
 * Assumption [unknown]: the header that carries the community's API key. BUZZIN_API_KEY_HEADER
 * overrides it without a release.
 */
export const DEFAULT_API_KEY_HEADER = "x-api-key";

/**
 * Assumption [unknown]: rate limits. No numbers are documented; a 429 (or 503) may carry
 * `Retry-After` (seconds or an HTTP date), honoured when present, otherwise the client backs off
 * exponentially with jitter. Gatehouse also keeps at most this many calls in flight. Pagination is
 * unknown too, and nothing here pages: Gatehouse never lists.
 */
export const RATE_LIMIT = { retryAfterHeader: "retry-after", concurrency: 4 } as const;

/**
 * [inferred] `PATCH /passes/{id}` takes the permit's id: the page speaks of "a permit's QR pass",
 * and the issued webhook carries `permitId` and no separate pass id.
 */
export function passIdFor(permitId: string): string {
  return permitId;
}

/**
 * Assumption [unknown]: the format of `salesforcePermitId`. Gatehouse has no Salesforce record of
 * its own, so it sends its request id: unique, and the same on every retry and after a restart,
 * which is what makes a second `POST /permits` a 409 rather than a second permit.
 */
export function salesforcePermitIdFor(requestId: string): string {
  return requestId;
}

/**
 * [inferred] The issued webhook's `data.salesforceId` is the permit's `salesforcePermitId` (the two
 * examples carry the same value, a1B5g000000XYZWEAW, and the contractor's differs). A webhook for a
 * permit whose id Gatehouse never learned is matched by it.
 */
export const PERMIT_SALESFORCE_ID_FIELD = "salesforceId";

/**
 * Assumption [unknown]: how submit's required details reach the permit. The create page says
 * `PATCH /passes/{id} {"action":"submit"}` "requires validFrom, validTill, timeIn, timeOut,
 * representativeName, representativeContact and at least one employee" on the permit, but neither
 * body lists them. Gatehouse sends them with both calls; a server that ignores unknown fields takes
 * them where it reads them.
 */
export const SUBMIT_DETAILS_SENT_WITH = { create: true, submit: true } as const;

/**
 * Assumption [unknown]: the shape of those details. Times of day are "HH:mm" in the community's
 * zone, the representative's contact is their E.164 phone, an employee is `{name, phone}`.
 */
export interface SubmitDetails {
  timeIn: string;
  timeOut: string;
  representative: { name: string; phone: string };
  employees: Array<{ name: string; phone: string }>;
}
export function submitDetailsBody(d: SubmitDetails): Record<string, unknown> {
  return {
    timeIn: d.timeIn,
    timeOut: d.timeOut,
    representativeName: d.representative.name,
    representativeContact: d.representative.phone,
    employees: d.employees.map((e) => ({ name: e.name, phone: e.phone })),
  };
}

/**
 * Permit status codes. 1 (ACCEPTED) and 10 (DRAFT) are documented; REVOKED, archived and expired
 * exist by name but their numbers are [unknown], so a status is decided on `statusName` wherever
 * Buzz-in sends one, and on these two numbers otherwise (see `permitStatus` in schemas.ts).
 */
export const PERMIT_STATUS_CODES = { ACCEPTED: 1, DRAFT: 10 } as const;

/**
 * Assumption [unknown]: the names of statuses after which a permit gives no access again. REVOKED,
 * archived and expired are named on the pages; REJECTED and CANCELLED are guesses at the rest.
 */
export const ENDED_STATUS_NAMES: readonly string[] = [
  "REVOKED",
  "ARCHIVED",
  "EXPIRED",
  "REJECTED",
  "CANCELLED",
];

/**
 * Assumption [unknown]: what `GET /permits/{id}` ("Get permit (reconciliation)") returns. If it
 * carries the access code, it is under one of these fields (as in the issued webhook); if it does
 * not, a pass whose webhook was lost is recovered by reissuing it (the documented
 * `reissuePass`, which fires `passes.permits.issued` again with a new code).
 */
export const ACCESS_CODE_FIELDS = ["accessCode", "qrToken"] as const;

/**
 * Assumption [unknown]: the 409 for a duplicate `salesforcePermitId` is documented without a body.
 * FeathersJS puts extra facts in `data`; if Buzz-in names the existing permit there, Gatehouse takes
 * its id. Otherwise the permit is known to exist but not by id, and is matched by its Salesforce id
 * when its webhook arrives.
 */
export function existingIdFromConflict(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const data = (body as { data?: unknown }).data;
  if (typeof data !== "object" || data === null) return null;
  for (const key of ["_id", "permitId", "id"]) {
    const value = (data as Record<string, unknown>)[key];
    if (typeof value === "string" && OBJECT_ID.test(value)) return value;
  }
  return null;
}

/** [doc] Ids are 24-hex Mongo ObjectIds. */
const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * [inferred] A property or unit reference is Buzz-in's own id when it has an ObjectId's shape,
 * and DAMAC's external id (`propertyExternalId` / `flatExternalId`) otherwise.
 */
export function placeRef(value: string): { id: string } | { externalId: string } {
  return OBJECT_ID.test(value) ? { id: value } : { externalId: value };
}

/**
 * Assumption [unknown]: the status of `POST /permits` for a contractor the community admin has not
 * approved yet ("must exist, belong to the community, and be approved"). Any 4xx but 409 is read as
 * "not yet", which is what lets Gatehouse learn a lost `communityContractors.approved` by trying.
 */
export function meansNotApprovedYet(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 409 && status !== 401;
}

/**
 * Assumption [unknown]: a contractor already revoked (detached from the community) answers 404
 * ("Record Not Found") to a second revoke, as the page lists 404 and the key is community-scoped.
 */
export const CONTRACTOR_GONE_STATUS = 404;

/**
 * Assumption [unknown]: Buzz-in's webhook retry policy. Gatehouse assumes a delivery may come again
 * (deduplicated on `X-Buzzin-Delivery`, else the envelope `id`) and also that it may never come:
 * a permit waiting for its pass this long is read back (and, at start, every one at once).
 */
export const RECONCILE_AFTER_MS = 10 * 60_000;

/**
 * Assumption [unknown]: the payloads of every event but `passes.permits.issued`. They are read
 * with the tolerant schemas of events.ts; for `communityContractors.*` the contractor's id is taken
 * from the first of these fields present.
 */
export const CONTRACTOR_ID_FIELDS = ["communityContractorId", "_id", "contractorId", "id"] as const;

/**
 * Assumption [unknown]: `passes.permits.expiring`'s lead time. Gatehouse counts the days left to
 * the contract's last day and takes it as the reminder of that kind, so the daily run does not send
 * the same reminder again.
 */
export function expiringReminderKind(daysLeft: number): "1d" | "7d" {
  return daysLeft <= 1 ? "1d" : "7d";
}

/**
 * Not an assumption about Buzz-in but about what we may keep: an access code is never stored, so
 * Gatehouse tells one pass from the next by a keyed fingerprint of its code (HMAC-SHA256 under the
 * API key), which cannot be turned back into the code.
 */
export function accessCodeFingerprint(apiKey: string, accessCode: string): string {
  return createHmac("sha256", `gatehouse:buzzin-pass:${apiKey}`).update(accessCode).digest("base64url");
}
