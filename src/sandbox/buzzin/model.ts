/**
 * The rules of the Buzz-in sandbox: documented ones (a contractor is Pending until approved; email
 * is unique everywhere, phone and Salesforce id within a community) and the assumed permit life
 * draft → submitted → accepted with a pass, whose changes fire the webhooks src/buzzin/events.ts
 * reads. Nothing here knows about HTTP beyond building the answer.
 */
import { endOfLocalDay, localDateOf, startOfLocalDay } from "../../lib/time.js";
import { json } from "../doorflow/respond.js";
import type { ContractorFields, PermitFields } from "./input.js";
import {
  conflict,
  contractorEventData,
  contractorJson,
  issuedEventData,
  nestError,
  passEventData,
  permitJson,
} from "./serialize.js";
import type {
  BuzzinSandboxState,
  SandboxContractor,
  SandboxPass,
  SandboxPermit,
  SandboxResponse,
} from "./types.js";

export interface ModelContext {
  state: BuzzinSandboxState;
  now: Date;
  timeZone: string;
  random: () => number;
  autoAccept: boolean;
  fire: (event: string, data: unknown) => void;
}

/** A Mongo-looking id, as Buzz-in's `_id`s are. */
export function newId(state: BuzzinSandboxState): string {
  return `66f0a1b2c3d4e5f6${(state.nextId++).toString(16).padStart(8, "0")}`;
}

export function findContractor(state: BuzzinSandboxState, communityId: string, id: string) {
  return state.contractors.find((c) => c.id === id && c.communityId === communityId);
}

export function findPermit(state: BuzzinSandboxState, communityId: string, id: string) {
  return state.permits.find((p) => p.id === id && p.communityId === communityId);
}

export function createContractor(ctx: ModelContext, communityId: string, input: ContractorFields) {
  const { state, now } = ctx;
  const today = localDateOf(now, ctx.timeZone);
  if (input.tradeLicenseExpiryDate < today) {
    return nestError(400, ["company.tradeLicenseExpiryDate must not be in the past"]);
  }
  const taken: string[] = [];
  const email = input.email.toLowerCase();
  if (state.contractors.some((c) => c.email.toLowerCase() === email)) taken.push("email");
  const community = state.contractors.filter((c) => c.communityId === communityId);
  if (community.some((c) => c.phone === input.phone)) taken.push("phone");
  if (input.salesforceId && community.some((c) => c.salesforceId === input.salesforceId)) {
    taken.push("salesforceId");
  }
  if (taken.length > 0) {
    return nestError(409, `A contractor with this ${taken.join(", ")} already exists`, { fields: taken });
  }
  const contractor: SandboxContractor = {
    id: newId(state),
    communityId,
    ...input,
    approved: false,
    createdAt: now,
  };
  state.contractors.push(contractor);
  return json(201, contractorJson(contractor));
}

function revokePasses(state: BuzzinSandboxState, contractorId: string): void {
  for (const permit of state.permits) {
    if (permit.contractorId === contractorId && permit.pass?.status === "active")
      permit.pass.status = "revoked";
  }
}

export function revokeContractor(ctx: ModelContext, contractor: SandboxContractor): SandboxResponse {
  contractor.revokedAt ??= ctx.now;
  revokePasses(ctx.state, contractor.id);
  return json(200, contractorJson(contractor));
}

export function approveContractor(ctx: ModelContext, contractor: SandboxContractor): SandboxResponse {
  if (contractor.revokedAt || contractor.removedAt) return conflict("Contractor is revoked or removed");
  if (!contractor.approved) {
    contractor.approved = true;
    contractor.approvedAt = ctx.now;
    ctx.fire("communityContractors.approved", contractorEventData(contractor));
  }
  return json(200, contractorJson(contractor));
}

export function removeContractor(ctx: ModelContext, contractor: SandboxContractor): SandboxResponse {
  if (!contractor.removedAt) {
    contractor.removedAt = ctx.now;
    revokePasses(ctx.state, contractor.id);
    ctx.fire("communityContractors.removed", contractorEventData(contractor));
  }
  return json(200, contractorJson(contractor));
}

export function createPermit(ctx: ModelContext, communityId: string, input: PermitFields) {
  const contractor = findContractor(ctx.state, communityId, input.contractorId);
  if (!contractor)
    return nestError(400, [`contractorId ${input.contractorId} is not a contractor of this community`]);
  if (contractor.revokedAt || contractor.removedAt) return conflict(`Contractor ${contractor.id} is revoked`);
  if (!contractor.approved) return conflict(`Contractor ${contractor.id} is pending approval`);
  if (input.endDate < localDateOf(ctx.now, ctx.timeZone))
    return nestError(400, ["endDate must not be in the past"]);
  const permit: SandboxPermit = {
    id: newId(ctx.state),
    communityId,
    ...input,
    status: "draft",
    pass: null,
    formerPasses: [],
    createdAt: ctx.now,
  };
  ctx.state.permits.push(permit);
  return json(201, permitJson(permit));
}

function newPass(ctx: ModelContext, permit: SandboxPermit): SandboxPass {
  const id = newId(ctx.state);
  return {
    id,
    status: "active",
    accessCode: String(Math.floor(ctx.random() * 1_000_000)).padStart(6, "0"),
    qrCodeUrl: `https://cdn.buzz-in.co/public/passes/${id}/qr.png`,
    validFrom: startOfLocalDay(permit.startDate, ctx.timeZone),
    validTo: endOfLocalDay(permit.endDate, ctx.timeZone),
  };
}

function issuePass(ctx: ModelContext, permit: SandboxPermit): void {
  if (permit.pass) {
    if (permit.pass.status === "active") permit.pass.status = "revoked";
    permit.formerPasses.push(permit.pass);
  }
  permit.pass = newPass(ctx, permit);
  ctx.fire("passes.permits.issued", issuedEventData(permit, permit.pass));
}

/** A revoked or removed contractor's permits go no further. */
function contractorGone(ctx: ModelContext, permit: SandboxPermit): SandboxResponse | undefined {
  const contractor = findContractor(ctx.state, permit.communityId, permit.contractorId);
  if (contractor?.revokedAt || contractor?.removedAt)
    return conflict(`Contractor ${permit.contractorId} is revoked`);
  return undefined;
}

export function acceptPermit(ctx: ModelContext, permit: SandboxPermit): SandboxResponse {
  if (permit.status === "accepted") return json(200, permitJson(permit));
  if (permit.status !== "submitted")
    return conflict(`Permit ${permit.id} is ${permit.status}, not submitted`);
  const gone = contractorGone(ctx, permit);
  if (gone) return gone;
  permit.status = "accepted";
  issuePass(ctx, permit);
  return json(200, permitJson(permit));
}

export function rejectPermit(permit: SandboxPermit): SandboxResponse {
  if (permit.status !== "submitted")
    return conflict(`Permit ${permit.id} is ${permit.status}, not submitted`);
  permit.status = "rejected";
  return json(200, permitJson(permit));
}

const OPEN: ReadonlySet<string> = new Set(["draft", "submitted", "accepted"]);

export function updatePermit(
  ctx: ModelContext,
  permit: SandboxPermit,
  patch: { submit: boolean; startDate?: string; endDate?: string },
): SandboxResponse {
  if (!OPEN.has(permit.status)) return conflict(`Permit ${permit.id} is ${permit.status}`);
  const gone = patch.submit && permit.status === "draft" ? contractorGone(ctx, permit) : undefined;
  if (gone) return gone;
  const startDate = patch.startDate ?? permit.startDate;
  const endDate = patch.endDate ?? permit.endDate;
  if (endDate < startDate) return nestError(400, ["endDate must not be before startDate"]);
  if (startDate !== permit.startDate || endDate !== permit.endDate) {
    permit.startDate = startDate;
    permit.endDate = endDate;
    const pass = permit.pass;
    if (pass?.status === "active") {
      pass.validFrom = startOfLocalDay(startDate, ctx.timeZone);
      pass.validTo = endOfLocalDay(endDate, ctx.timeZone);
      ctx.fire("passes.permits.updated", {
        ...passEventData(permit, pass),
        validFrom: pass.validFrom.toISOString(),
        validTo: pass.validTo.toISOString(),
      });
    }
  }
  if (patch.submit && permit.status === "draft") {
    permit.status = "submitted";
    if (ctx.autoAccept) return acceptPermit(ctx, permit);
  }
  return json(200, permitJson(permit));
}

export function passAction(ctx: ModelContext, permit: SandboxPermit, action: unknown): SandboxResponse {
  if (action !== "revoke" && action !== "reissue")
    return nestError(400, ["action must be one of revoke, reissue"]);
  if (action === "revoke") {
    if (!permit.pass) return conflict(`Permit ${permit.id} has no pass; it is ${permit.status}`);
    if (permit.pass.status === "active") permit.pass.status = "revoked";
    return json(200, permitJson(permit));
  }
  if (permit.status !== "accepted")
    return conflict(`Permit ${permit.id} is ${permit.status}; only an accepted permit has a pass`);
  const gone = contractorGone(ctx, permit);
  if (gone) return gone;
  issuePass(ctx, permit);
  return json(200, permitJson(permit));
}

export const PASS_EVENTS = ["expiring", "expired", "scanned", "firstScanned", "lastScanned"] as const;
export type PassEventKind = (typeof PASS_EVENTS)[number];

/** What Buzz-in would report on its own: the pass nearing its end, ending, or being scanned at a gate. */
export function passEvent(
  ctx: ModelContext,
  permit: SandboxPermit,
  kind: PassEventKind,
  gate: string | undefined,
): SandboxResponse {
  const pass = permit.pass;
  if (!pass) return conflict(`Permit ${permit.id} has no pass`);
  const base = passEventData(permit, pass);
  if (kind === "expiring" || kind === "expired") {
    if (kind === "expired") {
      pass.status = "expired";
      permit.status = "expired";
    }
    ctx.fire(`passes.permits.${kind}`, { ...base, validTo: pass.validTo.toISOString() });
  } else {
    ctx.fire(`passes.permits.${kind}`, { ...base, scannedAt: ctx.now.toISOString(), gate });
  }
  return json(200, permitJson(permit));
}
