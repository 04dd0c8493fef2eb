/**
 * The skeleton every provider's provisioning shares: claim the request's lease, record the
 * attempt, run it, turn a failure into a retry or a final failure (reported once), release the
 * lease. A crashed process's request is picked up again once its lease lapses.
 */
import {
  claimProvisioning,
  recordProvisioningProgress,
  releaseProvisioningLease,
} from "../../db/repositories/access-requests.js";
import { type AccessRequest } from "../model.js";
import type { Deps } from "../deps.js";
import type { ProvisionResult } from "../ports.js";
import { handleProvisioningFailure } from "../provisioning-failure.js";

/** Renewed before every step; a crashed process's request is picked up again once it lapses. */
const LEASE_MS = 2 * 60_000;

export interface ProvisioningAttempt {
  /** The request as the attempt last left it: a failure is recorded against this one. */
  request: AccessRequest;
  /** An earlier attempt may have carried out a step without recording it. */
  resumed: boolean;
  /** Renews the lease before a step; false once another process holds it. */
  renew(): boolean;
}

export async function underProvisioningLease(
  deps: Deps,
  requestId: string,
  attempt: (run: ProvisioningAttempt) => Promise<ProvisionResult>,
): Promise<ProvisionResult> {
  const claimed = claimProvisioning(deps.db, requestId, deps.processId, LEASE_MS, deps.now());
  if (!claimed) return { status: "busy" };
  // The attempt is recorded before any provider call: a crash leaves `attempts` > 0, so the next
  // run knows a write may have gone through unrecorded.
  recordProvisioningProgress(deps.db, requestId, { attempts: claimed.attempts + 1 }, deps.now());
  const run: ProvisioningAttempt = {
    request: { ...claimed, attempts: claimed.attempts + 1 },
    resumed: claimed.attempts > 0,
    renew: () => claimProvisioning(deps.db, requestId, deps.processId, LEASE_MS, deps.now()) !== undefined,
  };
  try {
    return await attempt(run);
  } catch (error) {
    return await handleProvisioningFailure(deps, run.request, error);
  } finally {
    releaseProvisioningLease(deps.db, requestId, deps.processId, deps.now());
  }
}
