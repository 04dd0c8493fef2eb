/**
 * The access-provider port: what Gatehouse asks of the system that opens the doors. DoorFlow
 * (src/domain/doorflow-provider.ts) and Buzz-in work permits (src/domain/buzzin-provider.ts)
 * implement it; a request, a managed person and an offboarding each name their provider, and the
 * use cases (approval, extension, the daily job) go through `providerFor` instead of a client.
 */
import { getAccessRequest } from "../db/repositories/access-requests.js";
import type { ManagedPerson } from "../db/repositories/managed-people.js";
import type { Offboarding } from "../db/repositories/offboardings.js";
import type { ProviderId } from "../db/schema.js";
import type { LocalDate } from "../lib/time.js";
import { createBuzzinProvider } from "./buzzin-provider.js";
import type { Deps } from "./deps.js";
import { createDoorFlowProvider } from "./doorflow-provider.js";
import type { OffboardOutcome } from "./offboarding.js";
import type { ProvisionResult } from "./provisioning.js";
import { resolveProvisioningAlert } from "./provisioning-failure.js";

/** How one claimed offboarding went: `error` set means it is retried with backoff and alerted once. */
export interface ProviderOffboarding {
  offboarding: Offboarding;
  /** DoorFlow's per-person outcome; null for a provider without one, or when nobody was found. */
  outcome: OffboardOutcome | null;
  error?: string;
}

export interface AccessProvider {
  readonly id: ProviderId;
  /**
   * Carries an approved request as far as it can go now, one recorded step at a time, so a
   * restart resumes where it stopped. A provider whose own people must act first (Buzz-in) answers
   * `waiting`; its webhook calls `provision` again.
   */
  provision(requestId: string): Promise<ProvisionResult>;
  /**
   * Moves a contractor's last day in the provider and reads it back. Answers the DoorFlow group
   * reservation that now carries the access, when there is one.
   */
  extend(person: ManagedPerson, newEndDate: LocalDate): Promise<{ groupReservationId?: number }>;
  /** Revokes the access of claimed offboardings (disable or revoke, never delete) and verifies it. */
  offboard(claimed: Offboarding[]): Promise<ProviderOffboarding[]>;
}

export function providerFor(deps: Deps, id: ProviderId): AccessProvider {
  return id === "buzzin" ? createBuzzinProvider(deps) : createDoorFlowProvider(deps);
}

/** Provisions an approved request with the provider it names. */
export async function provisionApproved(deps: Deps, requestId: string): Promise<ProvisionResult> {
  const request = getAccessRequest(deps.db, requestId);
  const result = await providerFor(deps, request?.provider ?? "doorflow").provision(requestId);
  // Set up after a reported failure: that alert now says it is resolved.
  if (result.status === "active") await resolveProvisioningAlert(deps, result.request);
  return result;
}
