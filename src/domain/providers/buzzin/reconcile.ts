import { accessCodeIn, permitStatus } from "../../../buzzin/schemas.js";
import { RECONCILE_AFTER_MS } from "../../../buzzin/assumptions.js";
import { inTransaction } from "../../../db/database.js";
import { transitionAccessRequest } from "../../../db/repositories/access-requests.js";
import {
  getBuzzinPermit,
  listAwaitingCommunity,
  listPassesToReconcile,
  updateBuzzinPermit,
} from "../../../db/repositories/buzzin-permits.js";
import { type BuzzinPermit } from "../../model.js";
import { buzzinClientOf } from "./shared.js";
import type { Deps } from "../../deps.js";
import { describeFailure } from "../../failures.js";
import { deliverPass, reissue } from "./pass.js";

/** A contractor waiting for the community admin is probed this often once the first hour has passed. */
const APPROVAL_PROBE_EVERY_MS = 60 * 60_000;
/** …and no more after this long (the admin declined without telling, or forgot). */
const APPROVAL_PROBE_FOR_MS = 14 * 24 * 60 * 60_000;

/**
 * Reads back what lost webhooks would have said. Every permit waiting for its pass, and every pass
 * whose code the requester never got, untouched for RECONCILE_AFTER_MS (all of them with `all`, at
 * start): an ACCEPTED permit's code is sent if the read-back shows it, otherwise the pass is
 * reissued so that the code comes again. Contractors still waiting for the community admin are
 * probed by trying the permit (`provision`): Buzz-in refuses it until the admin approved.
 */
export async function reconcileBuzzin(
  deps: Deps,
  options: { all: boolean; provision: (requestId: string) => Promise<void> },
): Promise<{ passes: number; probes: number }> {
  if (!deps.buzzin) return { passes: 0, probes: 0 };
  const now = deps.now();
  const before = options.all ? now : new Date(now.getTime() - RECONCILE_AFTER_MS);
  let passes = 0;
  for (const link of listPassesToReconcile(deps.db, before, now, options.all)) {
    try {
      if (await reconcilePass(deps, link)) passes++;
    } catch (error) {
      deps.logger.warn("could not read a Buzz-in permit back", {
        requestId: link.requestId,
        error: describeFailure(error),
      });
    }
  }
  let probes = 0;
  for (const link of listAwaitingCommunity(deps.db, before)) {
    const age = now.getTime() - link.createdAt.getTime();
    const idle = now.getTime() - link.updatedAt.getTime();
    if (age > APPROVAL_PROBE_FOR_MS) continue;
    if (!options.all && age > APPROVAL_PROBE_EVERY_MS && idle < APPROVAL_PROBE_EVERY_MS) continue;
    const moved = inTransaction(deps.db, (tx) => {
      const row = updateBuzzinPermit(tx, link.requestId, { stage: "permit" }, now, ["awaiting_community"]);
      if (!row) return false;
      transitionAccessRequest(tx, link.requestId, ["awaiting_provider"], "approved", now);
      return true;
    });
    if (!moved) continue;
    probes++;
    await options.provision(link.requestId).catch((error: unknown) =>
      deps.logger.warn("could not probe a Buzz-in contractor's approval", {
        requestId: link.requestId,
        error: describeFailure(error),
      }),
    );
  }
  return { passes, probes };
}

async function reconcilePass(deps: Deps, link: BuzzinPermit): Promise<boolean> {
  const client = buzzinClientOf(deps);
  const permitId = link.permitId as string;
  const permit = await client.getPermit(permitId);
  const status = permitStatus(permit);
  if (!status.accepted) {
    // Nothing to send; touched so the next look is a while away.
    updateBuzzinPermit(deps.db, link.requestId, {}, deps.now());
    return false;
  }
  const code = accessCodeIn(permit);
  const fresh = getBuzzinPermit(deps.db, link.requestId) ?? link;
  const known = fresh.passFingerprint;
  if (code && (known === null || known === client.fingerprint(code))) {
    const delivered = await deliverPass(deps, fresh, {
      permitId,
      accessCode: code,
      ...(typeof permit.qrImageUrl === "string" ? { qrImageUrl: permit.qrImageUrl } : {}),
      ...(permit.passNumber ? { passNumber: permit.passNumber } : {}),
      ...(permit.validTill ? { validTill: new Date(permit.validTill) } : {}),
      issuedAt: fresh.passIssuedAt ?? deps.now(),
    });
    return delivered === "sent";
  }
  await reissue(deps, fresh, "system", "recover_undelivered_code");
  return true;
}
