/**
 * The Buzz-in sandbox's in-memory model, built from ../shared/buzzin/reference.md. Records hold
 * UTC instants; serialize.ts turns them into the documented wire shapes. The transport-neutral
 * request and response, and fault rules, are the DoorFlow sandbox's.
 */
export type { FaultRule, SandboxRequest, SandboxResponse } from "../doorflow/types.js";

export interface BuzzinSandboxOptions {
  /** API key → community id. Default: one community under `sandbox-buzzin-key`. */
  communities?: Record<string, string>;
  /** Header that carries the API key. Default `x-api-key`. */
  apiKeyHeader?: string;
  /** Where webhooks are POSTed; none are sent (only recorded) when unset. */
  webhookUrl?: string;
  /** Sent as `X-Buzzin-Token`. Default `sandbox-buzzin-webhook-token`. */
  webhookToken?: string;
  /** The community admin approves a contractor as soon as it is created. Default false. */
  autoApproveContractors?: boolean;
  /** Buzz-in accepts a permit (and issues its pass) as soon as it is submitted. Default false. */
  autoAccept?: boolean;
  /**
   * `GET /permits/{id}` also shows the pass's access code. Its page is undocumented; by default the
   * sandbox does not, so Gatehouse must recover a lost code without it.
   */
  permitReadShowsAccessCode?: boolean;
  /**
   * A 409 for a duplicate `salesforcePermitId` names the existing permit in FeathersJS's `data`.
   * Undocumented; by default the sandbox answers the documented bare 409.
   */
  conflictNamesExisting?: boolean;
  /** Re-sends of a delivery the receiver did not acknowledge (Buzz-in's policy is unknown). Default 0. */
  webhookRetries?: number;
  /** Properties of the community (with their units); a default tower when unset. */
  properties?: SandboxProperty[];
  now?: Date;
  ticking?: boolean;
  random?: () => number;
}

export interface SandboxFlat {
  id: string;
  externalId: string;
}

export interface SandboxProperty {
  id: string;
  externalId: string;
  communityId: string;
  flats: SandboxFlat[];
}

export interface SandboxTradeLicense {
  type: "url" | "base64";
  url?: string;
  fileName?: string;
}

export interface SandboxContractor {
  id: string;
  communityId: string;
  name: string;
  email: string;
  phone: string;
  companyName: string;
  tradeLicense: SandboxTradeLicense;
  tradeLicenseExpiryDate: string;
  salesforceId?: string;
  approved: boolean;
  createdAt: Date;
  approvedAt?: Date;
  /** Revoked through the API or removed in the dashboard: detached from the community. */
  removedAt?: Date;
}

/**
 * Permit statuses by name. ACCEPTED (1) and DRAFT (10) are documented; the sandbox gives the
 * others numbers of its own (serialize.ts) and always sends `statusName`, as Buzz-in's webhooks do.
 */
export type SandboxPermitStatus =
  "DRAFT" | "PENDING" | "ACCEPTED" | "REJECTED" | "REVOKED" | "ARCHIVED" | "EXPIRED";

export interface SandboxNoc {
  type: "url" | "base64";
  url?: string;
  nocNumber: string;
  issueDate: string;
  expiryDate: string;
}

export interface SandboxEmployee {
  name: string;
  phone: string;
}

export interface SandboxPermit {
  id: string;
  communityId: string;
  salesforcePermitId: string;
  contractorId: string;
  propertyId: string;
  flatId: string;
  additionalFlatIds: string[];
  validFrom: Date;
  validTill: Date;
  jobsSummary?: string;
  noc?: SandboxNoc;
  nocHistory: SandboxNoc[];
  timeIn?: string;
  timeOut?: string;
  representativeName?: string;
  representativeContact?: string;
  employees: SandboxEmployee[];
  status: SandboxPermitStatus;
  /** Set once the pass is issued. */
  passNumber: string | null;
  /** The live code, while the permit is ACCEPTED; null before, and once it is revoked or archived. */
  accessCode: string | null;
  /** Codes killed by a reissue, revoke or archive, oldest first. */
  formerCodes: string[];
  revokeReason?: string;
  createdAt: Date;
}

export interface BuzzinSandboxState {
  contractors: SandboxContractor[];
  permits: SandboxPermit[];
  properties: SandboxProperty[];
  nextId: number;
  nextPassNumber: number;
}

interface WebhookAttempt {
  at: Date;
  /** The receiver's status, or 0 when it could not be reached (or the delivery was lost on purpose). */
  status: number;
  error?: string;
}

export interface WebhookDelivery {
  /** `X-Buzzin-Delivery`. */
  id: string;
  event: string;
  /** The envelope's `id`. */
  envelopeId: string;
  /** The exact bytes sent, so a re-send is the same delivery. */
  body: string;
  attempts: WebhookAttempt[];
}

export interface BuzzinSandboxCall {
  method: string;
  path: string;
  status: number;
  at: Date;
  requestId: string;
  faulted: boolean;
  dropped: boolean;
}
