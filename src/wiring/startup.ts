/**
 * Starting while a service is down: what /healthz reports, and the account's time zone when
 * DoorFlow may not answer yet. The bot starts degraded on a temporary problem (a service down or
 * limiting us) and is whole once the start-up check, run again in the background, passes.
 */
import type { CheckProblem } from "../domain/self-check.js";
import type { DoorFlowClient } from "../doorflow/client.js";
import { DoorFlowError } from "../doorflow/errors.js";
import { errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { type AccountZone, resolveAccountTimeZone } from "./doorflow.js";

export interface Health {
  status: "ok" | "degraded";
  /** Codes of what is wrong (e.g. doorflow_unreachable): no messages, the endpoint is public. */
  problems?: string[];
  timeZone?: string;
}

/** Degraded while a problem is temporary or fatal, or while the bot is not up yet. */
export function healthOf(problems: CheckProblem[], timeZone: string | undefined): Health {
  const down = problems.filter((p) => p.temporary || p.severity === "fatal").map((p) => p.code);
  if (down.length === 0 && timeZone) return { status: "ok", timeZone };
  return {
    status: "degraded",
    problems: down.length > 0 ? down : ["starting"],
    ...(timeZone ? { timeZone } : {}),
  };
}

/**
 * The account's zone: ACCOUNT_TIMEZONE, else DoorFlow's account; undefined while DoorFlow does not
 * answer (network, 5xx, 429), so that the start can go on and ask again later. A zone Gatehouse
 * does not know, or a refused token, still throws: a person has to fix those.
 */
export async function accountZoneIfReachable(
  doorflow: Pick<DoorFlowClient, "getAccount">,
  configured: string | undefined,
  logger: Logger,
): Promise<AccountZone | undefined> {
  try {
    return await resolveAccountTimeZone(doorflow, configured);
  } catch (error) {
    if (!(error instanceof DoorFlowError && error.retryable)) throw error;
    logger.warn("the account's time zone is not known yet: DoorFlow did not answer", {
      error: errorMessage(error),
    });
    return undefined;
  }
}
