/**
 * "Show PIN": the requester reads their contractor's or visitor's PIN back from DoorFlow while the
 * access lasts. Once the person is offboarded — the request ended, or the person Gatehouse manages
 * marked offboarded (a request an older version left active) — there is no PIN to show.
 */
import type { AccessRequest } from "../model.js";
import { getAccessRequest } from "../../db/repositories/access-requests.js";
import { recordAudit } from "../../db/repositories/audit.js";
import { findManagedByRequest } from "../../db/repositories/managed-people.js";
import type { Deps } from "../deps.js";
import { readPin } from "../providers/doorflow/provision.js";
import { personName } from "../model.js";

export type RevealPinResult =
  | { status: "forbidden" }
  | { status: "ended"; request: AccessRequest }
  | { status: "no_pin"; request: AccessRequest }
  | { status: "pin"; request: AccessRequest; pin: string };

export async function revealPin(
  deps: Pick<Deps, "db" | "doorflow" | "catalog" | "now">,
  input: { requestId: string; userId: string },
): Promise<RevealPinResult> {
  const request = getAccessRequest(deps.db, input.requestId);
  if (!request || request.requesterId !== input.userId || request.doorflowPersonId === null)
    return { status: "forbidden" };
  const managed = findManagedByRequest(deps.db, request.id);
  if (request.state === "ended" || managed?.status === "offboarded") return { status: "ended", request };
  if (request.state !== "active") return { status: "forbidden" };
  const pin = await readPin(deps, request.doorflowPersonId);
  recordAudit(deps.db, {
    at: deps.now(),
    actor: input.userId,
    action: "pin.shown",
    requestId: request.id,
    doorflowPersonId: request.doorflowPersonId,
    subjectEmail: request.email,
    subjectName: personName(request),
    outcome: pin ? "ok" : "failed",
  });
  return pin ? { status: "pin", request, pin } : { status: "no_pin", request };
}
