/** What the Buzz-in behaviours share: the client, a permit's window, a word to the requester. */
import type { BuzzinClient, SubmitDetails } from "../../../buzzin/client.js";
import { type BuzzinPermit } from "../../model.js";
import { type LocalDate, zonedInstant } from "../../../lib/time.js";
import type { Deps } from "../../deps.js";
import { describeFailure, ProvisioningRefused } from "../../failures.js";

export function buzzinClientOf(deps: Pick<Deps, "buzzin">): BuzzinClient {
  if (!deps.buzzin)
    throw new ProvisioningRefused(
      "Buzz-in is not configured here: set BUZZIN_API_KEY (and BUZZIN_WEBHOOK_TOKEN for its webhooks).",
    );
  return deps.buzzin;
}

/**
 * The permit's window in the community's zone: from time in on the first day to time out on the
 * last (the documented example runs 10:00–22:00 Dubai, 06:00Z–18:00Z). Rows from before the form
 * asked for times run from the start of the first day to the end of the last.
 */
export function permitWindow(
  link: Pick<BuzzinPermit, "timeIn" | "timeOut">,
  days: { startDate: LocalDate; endDate: LocalDate },
  timeZone: string,
): { validFrom: Date; validTill: Date } {
  return {
    validFrom: zonedInstant(days.startDate, link.timeIn || "00:00", timeZone),
    validTill: zonedInstant(days.endDate, link.timeOut || "23:59", timeZone),
  };
}

export function submitDetailsOf(link: BuzzinPermit): SubmitDetails {
  return {
    timeIn: link.timeIn,
    timeOut: link.timeOut,
    representative: { name: link.representativeName, phone: link.representativePhone },
    employees: link.employees,
  };
}

export async function tell(deps: Deps, userId: string, text: string): Promise<void> {
  await deps.messenger
    .notifyUser(userId, text)
    .catch((error: unknown) =>
      deps.logger.warn("could not tell the requester", { error: describeFailure(error) }),
    );
}
