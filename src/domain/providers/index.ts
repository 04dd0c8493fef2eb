/**
 * The access-provider port: what Gatehouse asks of the system that opens the doors. DoorFlow
 * (providers/doorflow/) and Buzz-in work permits (providers/buzzin/) implement
 * it; a request, a managed person and an offboarding each name their provider, and the
 * use cases (approval, extension, the daily job) go through `providerFor` instead of a client.
 * The port itself is in ../ports.ts, so the providers never import this file.
 */
import { getAccessRequest } from "../../db/repositories/access-requests.js";
import type { ProviderId } from "../model.js";
import { createBuzzinProvider } from "./buzzin/index.js";
import type { Deps } from "../deps.js";
import { createDoorFlowProvider } from "./doorflow/index.js";
import { resolveProvisioningAlert } from "../provisioning-failure.js";
import type { AccessProvider, ProvisionResult } from "../ports.js";

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
