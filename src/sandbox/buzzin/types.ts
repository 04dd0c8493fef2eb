/**
 * The Buzz-in sandbox's in-memory model. Records hold UTC instants and calendar days; serialize.ts
 * turns them into the wire shapes src/buzzin/schemas.ts reads. The transport-neutral request and
 * response, and fault rules, are the DoorFlow sandbox's.
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
  /** Accept a permit (and issue its pass) as soon as it is submitted. Default false. */
  autoAccept?: boolean;
  /** IANA zone of the community: a pass runs from the start of its first day to the end of its last. */
  timeZone?: string;
  now?: Date;
  ticking?: boolean;
  random?: () => number;
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
  revokedAt?: Date;
  removedAt?: Date;
}

export type SandboxPermitStatus = "draft" | "submitted" | "accepted" | "rejected" | "expired" | "cancelled";

export interface SandboxPass {
  id: string;
  status: "active" | "revoked" | "expired";
  accessCode: string;
  qrCodeUrl: string;
  validFrom: Date;
  validTo: Date;
}

export interface SandboxPermit {
  id: string;
  communityId: string;
  type: "noc" | "fitOut";
  contractorId: string;
  property: string;
  unit: string;
  startDate: string;
  endDate: string;
  salesforce: { salesforceId?: string; propertySalesforceId?: string; unitSalesforceId?: string };
  status: SandboxPermitStatus;
  pass: SandboxPass | null;
  /** Passes replaced by a reissue, oldest first. */
  formerPasses: SandboxPass[];
  createdAt: Date;
}

export interface BuzzinSandboxState {
  contractors: SandboxContractor[];
  permits: SandboxPermit[];
  nextId: number;
}

export interface WebhookAttempt {
  at: Date;
  /** The receiver's status, or 0 when it could not be reached. */
  status: number;
  error?: string;
}

export interface WebhookDelivery {
  id: string;
  event: string;
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
