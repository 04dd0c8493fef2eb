import { permitStatus } from "../../../buzzin/schemas.js";
import { inTransaction } from "../../../db/database.js";
import { transitionAccessRequest } from "../../../db/repositories/access-requests.js";
import { recordAudit } from "../../../db/repositories/audit.js";
import {
  findBuzzinByManagedPerson,
  getBuzzinPermit,
  updateBuzzinPermit,
} from "../../../db/repositories/buzzin-permits.js";
import { markOffboarded } from "../../../db/repositories/managed-people.js";
import type { Offboarding } from "../../model.js";
import type { Deps } from "../../deps.js";
import { describeFailure } from "../../failures.js";
import { offboardingActor } from "../../offboarding-actor.js";
import type { ProviderOffboarding } from "../../ports.js";
import { buzzinClientOf } from "./shared.js";

/**
 * Revoking the contractor archives their permits (each QR stops working); the permit is then read
 * back, and a pass still ACCEPTED is revoked on its own and read back again.
 */
export async function offboardInBuzzin(deps: Deps, o: Offboarding): Promise<ProviderOffboarding> {
  const link = o.requestId
    ? getBuzzinPermit(deps.db, o.requestId)
    : o.managedPersonId !== null
      ? findBuzzinByManagedPerson(deps.db, o.managedPersonId)
      : undefined;
  const details: Record<string, unknown> = {
    provider: "buzzin",
    contractorId: link?.contractorId ?? null,
    permitId: link?.permitId ?? null,
  };
  try {
    if (link?.contractorId || link?.permitId) {
      const client = buzzinClientOf(deps);
      // Without the contractor's id (never learned) the pass itself is revoked below.
      if (link.contractorId) details.contractor = await client.revokeContractor(link.contractorId);
      if (link.permitId) {
        let status = permitStatus(await client.getPermit(link.permitId));
        if (status.accepted) {
          await client.revokePass(link.permitId, `Offboarded by Gatehouse (${o.reason}).`);
          status = permitStatus(await client.getPermit(link.permitId));
        }
        if (status.accepted)
          throw new Error(`Buzz-in still shows permit ${link.permitId} as ACCEPTED after revoking its pass.`);
        details.pass = status.name;
      }
    }
    const now = deps.now();
    inTransaction(deps.db, (tx) => {
      if (link) updateBuzzinPermit(tx, link.requestId, { stage: "revoked" }, now);
      const managedId = o.managedPersonId ?? link?.managedPersonId ?? null;
      if (managedId !== null) markOffboarded(tx, managedId, now);
      if (o.requestId)
        transitionAccessRequest(
          tx,
          o.requestId,
          ["approved", "provisioning", "awaiting_provider", "active"],
          "ended",
          now,
        );
      recordAudit(tx, {
        at: now,
        actor: offboardingActor(o),
        action: "offboard.completed",
        outcome: "ok",
        requestId: o.requestId,
        subjectEmail: o.email,
        subjectName: o.personName,
        details: { ...details, reason: o.reason, verified: true },
      });
    });
    return { offboarding: o, outcome: null };
  } catch (error) {
    const reason = describeFailure(error);
    recordAudit(deps.db, {
      at: deps.now(),
      actor: offboardingActor(o),
      action: "offboard.failed",
      outcome: "failed",
      requestId: o.requestId,
      subjectEmail: o.email,
      subjectName: o.personName,
      details: { ...details, reason: o.reason, error: reason },
    });
    return { offboarding: o, outcome: null, error: reason };
  }
}
