/**
 * The Buzz-in work-permit API (DAMAC integration) for Gatehouse.
 *
 * WHAT WE KNOW. The one page we hold (seeds/004) documents `POST /communityContractors`: the body
 * (name, email, phone, company {companyName, tradeLicense {type:"url",url}, tradeLicenseExpiryDate},
 * integrations.damac.salesforceId), the 201 answer (`_id`, `approved: false`, `communitiesIds`,
 * company.tradeLicense.publicUrl), 400/401/409, the community being implied by the API key, and the
 * uniqueness rules (email global; phone and Salesforce id per community). The index names the other
 * endpoints and the webhooks, nothing more.
 *
 * WHAT WE ASSUME (every path, field and value below lives in BUZZIN_API and the body builders under
 * it, plus the response schemas in schemas.ts; the sandbox in src/sandbox/buzzin mirrors them):
 *  1. Paths have no version prefix and hang off BUZZIN_BASE_URL as the documented one does.
 *  2. The API key travels in a header, `x-api-key` unless BUZZIN_API_KEY_HEADER says otherwise.
 *  3. Errors are NestJS-shaped `{statusCode, error, message}` (`message` a string or a list); a 409
 *     may name the taken field in `field`/`fields`, else we search `message` for email/phone/salesforce.
 *  4. A request id, when there is one, comes in `x-request-id`; 429 may carry `Retry-After`.
 *  5. Revoke contractor: `PATCH /communityContractors/{id}` `{action:"revoke"}` → the contractor,
 *     with `revokedAt`; repeating it is harmless. Revoking also revokes the contractor's passes.
 *  6. Create permit: `POST /permits` `{type:"noc"|"fitOut", contractorId, property, unit, startDate,
 *     endDate, integrations.damac {salesforceId, propertySalesforceId, unitSalesforceId}}` → 201 a
 *     permit in `draft`. Only an approved, unrevoked contractor can hold one (409 otherwise).
 *  7. Submit: no endpoint is listed for it, so it is `PATCH /permits/{id}` `{status:"submitted"}`
 *     (the "Update permit" endpoint); submitting a submitted or accepted permit changes nothing.
 *  8. Get permit: `GET /permits/{id}` → `{_id, type, status, contractorId, property, unit,
 *     startDate, endDate, integrations, pass}`; status is draft | submitted | accepted | rejected |
 *     expired | cancelled; `pass` is null until accepted, then `{_id, status: active|revoked|expired,
 *     accessCode, qrCodeUrl, validFrom, validTo}` (ISO instants).
 *  9. Dates (`startDate`, `endDate`, `tradeLicenseExpiryDate`) are `YYYY-MM-DD` calendar days in the
 *     community's zone; `endDate` is the last day, as in Gatehouse.
 * 10. Update dates: `PATCH /permits/{id}` `{startDate, endDate}` → the permit; an active pass moves
 *     with it (and `passes.permits.updated` fires).
 * 11. Pass: `PATCH /permits/{id}/pass` `{action:"revoke"|"reissue"}` → the permit. Revoke is
 *     idempotent; reissue makes a new access code each time (and fires `passes.permits.issued`).
 * 12. Webhooks (src/buzzin/events.ts): POSTed as JSON `{event, createdAt, data}` with headers
 *     `X-Buzzin-Token` (the shared secret, compared as is: no signature) and `X-Buzzin-Delivery` (the
 *     same on a re-send); the data of each event is described in events.ts. The index also lists a
 *     "Security & Signature Verification" page (for the visitor webhooks) that we do not hold: if
 *     work-permit webhooks are signed too, the receiver should verify that signature as well.
 * 13. The base64 trade licence is `{type:"base64", data, fileName, contentType}`.
 * 14. There is no idempotency key and no contractor read: a POST whose answer is lost is not sent
 *     again (email uniqueness would turn a contractor retry into a 409 we could not resolve to an id),
 *     and a contractor's approval is learned only from `communityContractors.approved`.
 */
import type { Dispatcher } from "undici";
import { ConfigError } from "../lib/errors.js";
import { type Logger, silentLogger } from "../lib/logger.js";
import type { LocalDate } from "../lib/time.js";
import { resolveRetryPolicy } from "../doorflow/retry.js";
import {
  type BuzzinContractor,
  type BuzzinPermit,
  contractorSchema,
  type PermitStatus,
  permitSchema,
} from "./schemas.js";
import {
  BUZZIN_DEFAULT_TIMEOUTS,
  type BuzzinCall,
  BuzzinTransport,
  type BuzzinTimeouts,
  createBuzzinAgent,
} from "./transport.js";

const id = (value: string) => encodeURIComponent(value);

export const BUZZIN_API = {
  contractors: "/communityContractors",
  contractor: (contractorId: string) => `/communityContractors/${id(contractorId)}`,
  permits: "/permits",
  permit: (permitId: string) => `/permits/${id(permitId)}`,
  permitPass: (permitId: string) => `/permits/${id(permitId)}/pass`,
  permitTypes: { noc: "noc", fitOut: "fitOut" },
  submitted: "submitted" satisfies PermitStatus,
  revoke: "revoke",
  reissue: "reissue",
} as const;

export type TradeLicense =
  | { type: "url"; url: string }
  /** Assumed field names (item 13): the page mentions the base64 form but does not show it. */
  | { type: "base64"; data: string; fileName: string; contentType: string };

export interface ContractorInput {
  name: string;
  email: string;
  /** E.164, e.g. +971500000000. */
  phone: string;
  company: { companyName: string; tradeLicense: TradeLicense; tradeLicenseExpiryDate: LocalDate };
  salesforceId: string;
}

export type PermitKind = keyof typeof BUZZIN_API.permitTypes;

export interface PermitInput {
  kind: PermitKind;
  contractorId: string;
  property: string;
  unit: string;
  startDate: LocalDate;
  endDate: LocalDate;
  salesforce?: { permitId?: string; propertyId?: string; unitId?: string };
}

export function contractorBody(input: ContractorInput): Record<string, unknown> {
  return {
    name: input.name,
    email: input.email,
    phone: input.phone,
    company: input.company,
    integrations: { damac: { salesforceId: input.salesforceId } },
  };
}

export function permitBody(input: PermitInput): Record<string, unknown> {
  const sf = input.salesforce ?? {};
  return {
    type: BUZZIN_API.permitTypes[input.kind],
    contractorId: input.contractorId,
    property: input.property,
    unit: input.unit,
    startDate: input.startDate,
    endDate: input.endDate,
    integrations: {
      damac: { salesforceId: sf.permitId, propertySalesforceId: sf.propertyId, unitSalesforceId: sf.unitId },
    },
  };
}

export interface BuzzinClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Default `x-api-key`. */
  apiKeyHeader?: string;
  concurrency?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxElapsedMs?: number };
  timeouts?: Partial<BuzzinTimeouts>;
  /** Tests may pass undici's MockAgent; by default the client owns a keep-alive Agent. */
  dispatcher?: Dispatcher;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export class BuzzinClient {
  private readonly transport: BuzzinTransport;
  private readonly ownedAgent: Dispatcher | undefined;

  constructor(options: BuzzinClientOptions) {
    const timeouts: BuzzinTimeouts = { ...BUZZIN_DEFAULT_TIMEOUTS, ...options.timeouts };
    this.ownedAgent = options.dispatcher ? undefined : createBuzzinAgent(timeouts);
    this.transport = new BuzzinTransport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      apiKeyHeader: options.apiKeyHeader ?? "x-api-key",
      concurrency: options.concurrency ?? 4,
      retry: resolveRetryPolicy(options.retry),
      timeouts,
      dispatcher: options.dispatcher ?? (this.ownedAgent as Dispatcher),
      logger: options.logger ?? silentLogger,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
    });
  }

  /** Creates the contractor Pending (`approved: false`); `communityContractors.approved` follows. */
  createContractor(input: ContractorInput): Promise<BuzzinContractor> {
    return this.send({
      method: "POST",
      path: BUZZIN_API.contractors,
      body: contractorBody(input),
      schema: contractorSchema,
      doing: "register",
      what: `contractor ${input.email}`,
      conflictIsDuplicate: true,
    });
  }

  revokeContractor(contractorId: string): Promise<BuzzinContractor> {
    return this.send({
      method: "PATCH",
      path: BUZZIN_API.contractor(contractorId),
      body: { action: BUZZIN_API.revoke },
      schema: contractorSchema,
      doing: "revoke",
      what: `contractor ${contractorId}`,
    });
  }

  /** A draft permit; not sent again after a lost answer, since a second draft would be a duplicate. */
  createPermit(input: PermitInput): Promise<BuzzinPermit> {
    return this.send({
      method: "POST",
      path: BUZZIN_API.permits,
      body: permitBody(input),
      schema: permitSchema,
      doing: "create",
      what: `the ${input.kind === "noc" ? "NOC" : "fit-out"} permit for contractor ${input.contractorId}`,
    });
  }

  submitPermit(permitId: string): Promise<BuzzinPermit> {
    return this.send({
      method: "PATCH",
      path: BUZZIN_API.permit(permitId),
      body: { status: BUZZIN_API.submitted },
      schema: permitSchema,
      doing: "submit",
      what: `permit ${permitId}`,
      // Should Buzz-in refuse a second submit, a refusal after a lost answer means the first one took.
      settle: async (error, h) => {
        if (error.code !== "buzzin_conflict" || !h.mayHaveAppliedBefore) return undefined;
        const permit = await this.getPermit(permitId);
        return permit.status === "draft" ? undefined : { value: permit };
      },
    });
  }

  getPermit(permitId: string): Promise<BuzzinPermit> {
    return this.send({
      method: "GET",
      path: BUZZIN_API.permit(permitId),
      schema: permitSchema,
      doing: "read",
      what: `permit ${permitId}`,
    });
  }

  updatePermitDates(
    permitId: string,
    dates: { startDate: LocalDate; endDate: LocalDate },
  ): Promise<BuzzinPermit> {
    return this.send({
      method: "PATCH",
      path: BUZZIN_API.permit(permitId),
      body: { startDate: dates.startDate, endDate: dates.endDate },
      schema: permitSchema,
      doing: "change the dates of",
      what: `permit ${permitId}`,
    });
  }

  revokePass(permitId: string): Promise<BuzzinPermit> {
    return this.send({
      method: "PATCH",
      path: BUZZIN_API.permitPass(permitId),
      body: { action: BUZZIN_API.revoke },
      schema: permitSchema,
      doing: "revoke",
      what: `the pass of permit ${permitId}`,
    });
  }

  /** Each reissue makes a new access code, so a lost answer is not followed by a second reissue. */
  reissuePass(permitId: string): Promise<BuzzinPermit> {
    return this.send({
      method: "PATCH",
      path: BUZZIN_API.permitPass(permitId),
      body: { action: BUZZIN_API.reissue },
      schema: permitSchema,
      doing: "reissue",
      what: `the pass of permit ${permitId}`,
      replay: "unsafe",
    });
  }

  async close(): Promise<void> {
    await this.ownedAgent?.close();
  }

  private send<T>(call: BuzzinCall<T>): Promise<T> {
    return this.transport.send(call);
  }
}

/** The client from `config.buzzin`; a community that uses Buzz-in must have set BUZZIN_API_KEY. */
export function createBuzzinClient(
  config: { baseUrl: string; apiKey?: string; apiKeyHeader: string },
  extra: Omit<BuzzinClientOptions, "baseUrl" | "apiKey" | "apiKeyHeader"> = {},
): BuzzinClient {
  if (!config.apiKey) {
    throw new ConfigError("BUZZIN_API_KEY", "BUZZIN_API_KEY is missing: it is required to use Buzz-in.");
  }
  return new BuzzinClient({ ...extra, ...config, apiKey: config.apiKey });
}
