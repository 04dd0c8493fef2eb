/** Which failures provisioning retries, and the sentence people are told about one. */
import { BuzzinError } from "../buzzin/errors.js";
import { DoorFlowError } from "../doorflow/errors.js";
import { GatehouseError } from "../lib/errors.js";

/** Provisioning cannot go on without someone changing something (a 4xx, a missing credential type). */
export class ProvisioningRefused extends GatehouseError {
  constructor(message: string) {
    super("provisioning_refused", message);
  }
}

/** Network, timeouts, 429 and 5xx (DoorFlow's or Buzz-in's): worth trying again later. */
export function isTransient(error: unknown): boolean {
  if (error instanceof DoorFlowError || error instanceof BuzzinError) return error.retryable;
  if (error instanceof GatehouseError) return false;
  // A broken local uniqueness (one managed record, one open offboarding per person) does not mend
  // itself: retried for 24 hours it would only repeat whatever DoorFlow writes came before it.
  if (isConstraintViolation(error)) return false;
  // An unexpected error (a bug, Slack down while notifying) is retried rather than dropping the request.
  return true;
}

/** DoorFlow's own words and request id when there are any; never a token or a PIN. */
export function describeFailure(error: unknown): string {
  if (error instanceof DoorFlowError) {
    const id =
      error.requestId && !error.message.includes(error.requestId)
        ? ` [DoorFlow request ${error.requestId}]`
        : "";
    return error.message + id;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** SQLite's constraint failures (better-sqlite3 puts SQLITE_CONSTRAINT_UNIQUE etc. in `code`). */
function isConstraintViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT");
}
