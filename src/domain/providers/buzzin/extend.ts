import { findBuzzinByManagedPerson, getBuzzinPermit } from "../../../db/repositories/buzzin-permits.js";
import { type BuzzinPermit } from "../../model.js";
import { type ManagedPerson } from "../../model.js";
import { formatLocal, type LocalDate } from "../../../lib/time.js";
import type { Deps } from "../../deps.js";
import { ProvisioningRefused } from "../../failures.js";
import { buzzinClientOf, permitWindow } from "./shared.js";

function linkOf(deps: Deps, person: { id: number; requestId: string | null }): BuzzinPermit | undefined {
  return (
    (person.requestId ? getBuzzinPermit(deps.db, person.requestId) : undefined) ??
    findBuzzinByManagedPerson(deps.db, person.id)
  );
}

/** Moves the permit's end; the QR is updated in place. Read back, since that is what gates check. */
export async function extendInBuzzin(
  deps: Deps,
  person: ManagedPerson,
  newEndDate: LocalDate,
): Promise<{ groupReservationId?: number }> {
  const link = linkOf(deps, person);
  if (!link?.permitId) throw new ProvisioningRefused("This contractor has no Buzz-in permit to extend.");
  const client = buzzinClientOf(deps);
  const zone = deps.settings.buzzinTimeZone;
  const { validTill } = permitWindow(link, { startDate: person.startDate, endDate: newEndDate }, zone);
  await client.updatePermitValidity(link.permitId, { validTill });
  const back = await client.getPermit(link.permitId);
  // GET /permits/{id} is undocumented: when it shows the window, it must show the new end.
  if (back.validTill && Math.abs(new Date(back.validTill).getTime() - validTill.getTime()) > 1000)
    throw new Error(
      `Buzz-in still shows permit ${link.permitId} valid till ${formatLocal(new Date(back.validTill), zone)}, not ${formatLocal(validTill, zone)}.`,
    );
  return {};
}
