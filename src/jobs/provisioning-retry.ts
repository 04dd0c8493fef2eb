/**
 * Provisioning that stopped (a crash, DoorFlow down) resumes at start and every few minutes, for
 * up to 24 hours after approval; the requests themselves carry when their next attempt is due.
 * The same tick expires requests left pending past PENDING_APPROVAL_HOURS, so nobody waits for
 * the daily job to learn that their request lapsed.
 */
import { findProvisioningDue } from "../db/repositories/access-requests.js";
import type { Deps } from "../domain/deps.js";
import { errorMessage } from "../lib/errors.js";

export interface ProvisioningRetries {
  /** One pass now (also what the timer runs). */
  runOnce(): Promise<number>;
  stop(): void;
}

export function startProvisioningRetries(
  deps: Pick<Deps, "db" | "now" | "logger">,
  provision: (requestId: string) => Promise<void>,
  options: {
    intervalMs?: number;
    /** Delivers the Slack messages whose backoff has passed (the durable outbox). */
    deliver?: () => Promise<unknown>;
    expirePending?: () => Promise<unknown>;
    /** Offboardings whose due time or retry backoff has passed (about 5 min, 15 min, then hourly). */
    retryOffboardings?: () => Promise<unknown>;
    /** Reads back what a provider may have done without telling us (a lost Buzz-in webhook). */
    reconcile?: () => Promise<unknown>;
  } = {},
): ProvisioningRetries {
  let running: Promise<number> | undefined;
  const runOnce = () => {
    running ??= (async () => {
      await options
        .deliver?.()
        .catch((error: unknown) =>
          deps.logger.error("delivering Slack messages failed", { error: errorMessage(error) }),
        );
      await options
        .expirePending?.()
        .catch((error: unknown) =>
          deps.logger.error("expiring pending requests failed", { error: errorMessage(error) }),
        );
      await options
        .retryOffboardings?.()
        .catch((error: unknown) =>
          deps.logger.error("retrying offboardings failed", { error: errorMessage(error) }),
        );
      await options
        .reconcile?.()
        .catch((error: unknown) => deps.logger.error("reconciling failed", { error: errorMessage(error) }));
      const due = findProvisioningDue(deps.db, deps.now());
      for (const request of due) {
        await provision(request.id).catch((error: unknown) =>
          deps.logger.error("provisioning retry failed", {
            requestId: request.id,
            error: errorMessage(error),
          }),
        );
      }
      return due.length;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 120_000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
