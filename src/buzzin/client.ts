/**
 * The Buzz-in work-permit API (DAMAC integration), as its pages document it (docs.api.buzz-in.co;
 * summarised in ../shared/buzzin/reference.md):
 *
 *   POST  /communityContractors            create contractor (Pending until the community admin approves)
 *   PATCH /communityContractors/{id}       {action:"revoke"}: detaches it, archives its permits
 *   POST  /permits                         a NOC / fit-out permit, created as a DRAFT (status 10)
 *   GET   /permits/{id}                    read it back (reconciliation)
 *   PATCH /permits/{id}                    {validFrom?, validTill?}: extend / change the window
 *   PATCH /passes/{id}                     {action:"submit" | "revoke" | "reissuePass"}, answers {}
 *
 * What the pages leave open is in assumptions.ts, one named constant or function per gap.
 */
import { ConfigError } from "../lib/errors.js";
import { type HttpCall, type HttpClientOptions, HttpTransport } from "../lib/http/transport.js";
import type { LocalDate } from "../lib/time.js";
import {
  accessCodeFingerprint,
  CONTRACTOR_GONE_STATUS,
  DEFAULT_API_KEY_HEADER,
  existingIdFromConflict,
  passIdFor,
  placeRef,
  RATE_LIMIT,
  SUBMIT_DETAILS_SENT_WITH,
  type SubmitDetails,
  submitDetailsBody,
} from "./assumptions.js";
import { type BuzzinCallContext, type BuzzinError, buzzinErrors } from "./errors.js";
import {
  type BuzzinContractor,
  type BuzzinPermit,
  contractorSchema,
  ignoredSchema,
  permitSchema,
  permitStatus,
} from "./schemas.js";

export type { SubmitDetails } from "./assumptions.js";

/** A Buzz-in call: the shared transport's, plus whether a 409 means a taken contractor field. */
type BuzzinCall<T> = HttpCall<T, BuzzinError> & Pick<BuzzinCallContext, "conflictIsDuplicate">;

const id = (value: string) => encodeURIComponent(value);

const BUZZIN_API = {
  contractors: "/communityContractors",
  contractor: (contractorId: string) => `/communityContractors/${id(contractorId)}`,
  permits: "/permits",
  permit: (permitId: string) => `/permits/${id(permitId)}`,
  pass: (permitId: string) => `/passes/${id(passIdFor(permitId))}`,
} as const;

type TradeLicense =
  { type: "url"; url: string } | { type: "base64"; data: string; fileName: string; contentType: string };

export interface ContractorInput {
  name: string;
  email: string;
  /** E.164, e.g. +971500000000. */
  phone: string;
  company: { companyName: string; tradeLicense: TradeLicense; tradeLicenseExpiryDate: LocalDate };
  salesforceId: string;
}

/** The NOC: a no-objection certificate attached to the permit (a document, not a permit type). */
interface NocDocument {
  url: string;
  nocNumber: string;
  issueDate: LocalDate;
  expiryDate: LocalDate;
}

export interface PermitInput {
  /** Unique in Buzz-in: a second POST with it is a 409, never a second permit. */
  salesforcePermitId: string;
  /** Buzz-in's id, or the contractor's DAMAC Salesforce id when the id was never learned. */
  contractor: { id: string } | { salesforceId: string };
  /** Buzz-in's id (24 hex) or DAMAC's external id; see `placeRef`. */
  property: string;
  unit: string;
  validFrom: Date;
  validTill: Date;
  jobsSummary: string;
  noc: NocDocument;
  details: SubmitDetails;
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

/** `POST /permits` as the create-noc-fit-out-permit example has it. */
export function permitBody(input: PermitInput): Record<string, unknown> {
  const property = placeRef(input.property);
  const flat = placeRef(input.unit);
  return {
    salesforcePermitId: input.salesforcePermitId,
    ...("id" in input.contractor
      ? { communityContractorId: input.contractor.id }
      : { contractorSalesforceId: input.contractor.salesforceId }),
    ...("id" in property ? { propertyId: property.id } : { propertyExternalId: property.externalId }),
    ...("id" in flat ? { flatId: flat.id } : { flatExternalId: flat.externalId }),
    validFrom: input.validFrom.toISOString(),
    validTill: input.validTill.toISOString(),
    jobsSummary: input.jobsSummary,
    noc: {
      type: "url",
      url: input.noc.url,
      nocNumber: input.noc.nocNumber,
      issueDate: input.noc.issueDate,
      expiryDate: input.noc.expiryDate,
    },
    ...(SUBMIT_DETAILS_SENT_WITH.create ? submitDetailsBody(input.details) : {}),
  };
}

export type CreatedPermit =
  | { status: "created"; permit: BuzzinPermit }
  /**
   * A permit with this `salesforcePermitId` exists already: an earlier attempt whose answer was
   * lost made it. `permitId` is its id when Buzz-in's 409 says it (see existingIdFromConflict).
   */
  | { status: "exists"; permitId: string | null };

export interface BuzzinClientOptions extends HttpClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Default `x-api-key` (an assumption: see DEFAULT_API_KEY_HEADER). */
  apiKeyHeader?: string;
}

export class BuzzinClient {
  private readonly transport: HttpTransport<BuzzinError, BuzzinCallContext>;
  private readonly apiKey: string;

  constructor(options: BuzzinClientOptions) {
    const { apiKey, apiKeyHeader, ...http } = options;
    this.apiKey = apiKey;
    const key = { [apiKeyHeader ?? DEFAULT_API_KEY_HEADER]: apiKey };
    this.transport = new HttpTransport({
      ...http,
      service: "buzzin",
      auth: { headers: async () => key },
      errors: buzzinErrors,
      // "Pass updated" is documented as `{}`; an empty 200 means the same.
      emptyBody: {},
      concurrency: http.concurrency ?? RATE_LIMIT.concurrency,
    });
  }

  /**
   * Creates the contractor Pending (`approved: false`); `communityContractors.approved` follows.
   * Not sent again once Buzz-in may have created it: a second POST would meet the first one's
   * email (globally unique) and fail with a 409 that says so.
   */
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

  /** Detaches the contractor and archives their permits; `gone` when Buzz-in no longer has them. */
  async revokeContractor(contractorId: string): Promise<"revoked" | "gone"> {
    return this.send<"revoked" | "gone">({
      method: "PATCH",
      path: BUZZIN_API.contractor(contractorId),
      body: { action: "revoke" },
      schema: ignoredSchema.transform(() => "revoked" as const),
      doing: "revoke",
      what: `contractor ${contractorId}`,
      settle: async (error) => (error.status === CONTRACTOR_GONE_STATUS ? { value: "gone" } : undefined),
    });
  }

  /**
   * A DRAFT permit. Sent again after a lost answer: `salesforcePermitId` is unique, so a repeat is
   * a 409, which says the permit exists (an earlier attempt, or a process killed before recording
   * its id); it is never a second permit.
   */
  createPermit(input: PermitInput): Promise<CreatedPermit> {
    return this.send<CreatedPermit>({
      method: "POST",
      path: BUZZIN_API.permits,
      body: permitBody(input),
      schema: permitSchema.transform((permit) => ({ status: "created" as const, permit })),
      doing: "create",
      what: `the permit for contractor ${"id" in input.contractor ? input.contractor.id : input.contractor.salesforceId}`,
      replay: "safe",
      settle: async (error) =>
        error.status === 409
          ? { value: { status: "exists", permitId: existingIdFromConflict(error.body) } }
          : undefined,
    });
  }

  /**
   * Submits a DRAFT into Buzz-in's approval workflow. A refusal (the permit is no longer a draft:
   * an earlier submit whose answer was lost, or a restart) is checked against the permit itself.
   */
  async submitPermit(permitId: string, details: SubmitDetails): Promise<"submitted" | "already_submitted"> {
    return this.send<"submitted" | "already_submitted">({
      method: "PATCH",
      path: BUZZIN_API.pass(permitId),
      body: { action: "submit", ...(SUBMIT_DETAILS_SENT_WITH.submit ? submitDetailsBody(details) : {}) },
      schema: ignoredSchema.transform(() => "submitted" as const),
      doing: "submit",
      what: `permit ${permitId}`,
      settle: async (error) => {
        if (!isRefusal(error)) return undefined;
        const status = permitStatus(await this.getPermit(permitId));
        return status.draft ? undefined : { value: "already_submitted" };
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

  /** Extends or changes the window; the QR is updated in place and `passes.permits.updated` fires. */
  async updatePermitValidity(permitId: string, window: { validFrom?: Date; validTill: Date }): Promise<void> {
    await this.send({
      method: "PATCH",
      path: BUZZIN_API.permit(permitId),
      body: {
        ...(window.validFrom ? { validFrom: window.validFrom.toISOString() } : {}),
        validTill: window.validTill.toISOString(),
      },
      schema: ignoredSchema,
      doing: "change the dates of",
      what: `permit ${permitId}`,
    });
  }

  /** REVOKED at once: the code stops working. A refusal after a lost answer is checked on the permit. */
  async revokePass(permitId: string, reason: string): Promise<void> {
    await this.send({
      method: "PATCH",
      path: BUZZIN_API.pass(permitId),
      body: { action: "revoke", reason },
      schema: ignoredSchema,
      doing: "revoke",
      what: `the pass of permit ${permitId}`,
      settle: async (error, h) => {
        if (!isRefusal(error) || !h.mayHaveAppliedBefore) return undefined;
        return permitStatus(await this.getPermit(permitId)).accepted ? undefined : { value: undefined };
      },
    });
  }

  /**
   * The old code dies at once and `passes.permits.issued` fires with a new one. Not sent again
   * after a lost answer: each reissue kills the code before it.
   */
  async reissuePass(permitId: string): Promise<void> {
    await this.send({
      method: "PATCH",
      path: BUZZIN_API.pass(permitId),
      body: { action: "reissuePass" },
      schema: ignoredSchema,
      doing: "reissue",
      what: `the pass of permit ${permitId}`,
      replay: "unsafe",
    });
  }

  /** Tells one pass from the next without keeping its code (see accessCodeFingerprint). */
  fingerprint(accessCode: string): string {
    return accessCodeFingerprint(this.apiKey, accessCode);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private send<T>(call: BuzzinCall<T>): Promise<T> {
    return this.transport.send(call);
  }
}

/** A 4xx that says "not in this state" rather than "you are not allowed" or "no such thing". */
function isRefusal(error: BuzzinError): boolean {
  return error.status === 400 || error.status === 409 || error.status === 422;
}

/** The client from `config.buzzin`; a community that uses Buzz-in must have set BUZZIN_API_KEY. */
export function createBuzzinClient(
  config: { baseUrl: string; apiKey?: string; apiKeyHeader: string },
  extra: Omit<BuzzinClientOptions, "baseUrl" | "apiKey" | "apiKeyHeader"> = {},
): BuzzinClient {
  if (!config.apiKey) {
    throw new ConfigError("BUZZIN_API_KEY", "BUZZIN_API_KEY is missing: it is required to use Buzz-in.");
  }
  return new BuzzinClient({
    ...extra,
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    apiKeyHeader: config.apiKeyHeader,
  });
}
