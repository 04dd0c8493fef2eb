/**
 * The rules of the Buzz-in sandbox, as the pages state them: a contractor is Pending until the
 * community admin approves it; email is unique everywhere, phone and Salesforce id within a
 * community; a permit is created as a DRAFT (10) for an approved contractor and mapped property and
 * unit, with a unique `salesforcePermitId`; submit needs the gate details; Buzz-in accepts it (1)
 * and issues one access code per permit; reissue kills the code and mints another; revoke ends it;
 * revoking a contractor archives their permits. Each change fires the webhook the pages name.
 * Nothing here knows about HTTP beyond building the answer.
 */
import { json } from "../doorflow/respond.js";
import type { ContractorFields, PassAction, PermitFields, PermitPatch, SubmitFields } from "./input.js";
import {
  badRequest,
  contractorJson,
  feathersError,
  issuedEventData,
  notFound,
  permitEventData,
  permitJson,
} from "./serialize.js";
import type {
  BuzzinSandboxState,
  SandboxContractor,
  SandboxFlat,
  SandboxPermit,
  SandboxPermitStatus,
  SandboxProperty,
  SandboxResponse,
} from "./types.js";

export interface ModelOptions {
  autoApproveContractors: boolean;
  autoAccept: boolean;
  permitReadShowsAccessCode: boolean;
  conflictNamesExisting: boolean;
}

export interface ModelContext {
  state: BuzzinSandboxState;
  now: Date;
  random: () => number;
  options: ModelOptions;
  fire: (event: string, data: unknown) => void;
}

/** A Mongo ObjectId, as Buzz-in's `_id`s are (24 hex). */
export function newId(state: BuzzinSandboxState): string {
  return `66f0a1b2c3d4e5f6${(state.nextId++).toString(16).padStart(8, "0")}`;
}

const CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Alphanumeric, 24 characters, as in the documented example (7H2KQ9ZTM4XB1RPA8VC0DLEN). */
function newAccessCode(random: () => number): string {
  let code = "";
  for (let i = 0; i < 24; i++) code += CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)];
  return code;
}

const OPEN: readonly SandboxPermitStatus[] = ["DRAFT", "PENDING", "ACCEPTED"];

/** A contractor of this community that has not been detached (a revoked one is "Record Not Found"). */
export function findContractor(state: BuzzinSandboxState, communityId: string, id: string) {
  return state.contractors.find((c) => c.id === id && c.communityId === communityId && !c.removedAt);
}

export function findPermit(state: BuzzinSandboxState, communityId: string, id: string) {
  return state.permits.find((p) => p.id === id && p.communityId === communityId);
}

export function createContractor(ctx: ModelContext, communityId: string, input: ContractorFields) {
  const { state, now } = ctx;
  if (input.tradeLicenseExpiryDate < now.toISOString().slice(0, 10))
    return badRequest("Trade license has expired", {
      "company.tradeLicenseExpiryDate": "must not be in the past",
    });
  const taken: Record<string, string> = {};
  const email = input.email.toLowerCase();
  if (state.contractors.some((c) => c.email.toLowerCase() === email)) taken.email = "already exists";
  const community = state.contractors.filter((c) => c.communityId === communityId && !c.removedAt);
  if (community.some((c) => c.phone === input.phone)) taken.phone = "already exists in this community";
  if (input.salesforceId && community.some((c) => c.salesforceId === input.salesforceId))
    taken["integrations.damac.salesforceId"] = "already exists in this community";
  if (Object.keys(taken).length > 0)
    return feathersError(409, `Contractor already exists (${Object.keys(taken).join(", ")})`, {
      errors: taken,
    });
  const contractor: SandboxContractor = {
    id: newId(state),
    communityId,
    ...input,
    approved: false,
    createdAt: now,
  };
  state.contractors.push(contractor);
  const created = json(201, contractorJson(contractor));
  if (ctx.options.autoApproveContractors) approveContractor(ctx, contractor);
  return created;
}

function retireCode(p: SandboxPermit): void {
  if (p.accessCode) p.formerCodes.push(p.accessCode);
  p.accessCode = null;
}

/** [doc: revoke-contractor] Detached, active permits archived (each emits updated), removed emitted. */
export function revokeContractor(ctx: ModelContext, contractor: SandboxContractor): SandboxResponse {
  contractor.removedAt = ctx.now;
  for (const permit of ctx.state.permits) {
    if (permit.contractorId !== contractor.id || !OPEN.includes(permit.status)) continue;
    permit.status = "ARCHIVED";
    retireCode(permit);
    ctx.fire("passes.permits.updated", permitEventData(permit));
  }
  ctx.fire("communityContractors.removed", contractorJson(contractor));
  return json(200, contractorJson(contractor));
}

export function approveContractor(ctx: ModelContext, contractor: SandboxContractor): SandboxResponse {
  if (!contractor.approved) {
    contractor.approved = true;
    contractor.approvedAt = ctx.now;
    ctx.fire("communityContractors.approved", contractorJson(contractor));
  }
  return json(200, contractorJson(contractor));
}

function resolveProperty(
  state: BuzzinSandboxState,
  communityId: string,
  ref: { id: string } | { externalId: string },
): SandboxProperty | undefined {
  return state.properties.find(
    (p) => p.communityId === communityId && ("id" in ref ? p.id === ref.id : p.externalId === ref.externalId),
  );
}

function resolveFlat(
  property: SandboxProperty,
  ref: { id: string } | { externalId: string },
): SandboxFlat | undefined {
  return property.flats.find((f) => ("id" in ref ? f.id === ref.id : f.externalId === ref.externalId));
}

/** [doc: create-noc-fit-out-permit] */
export function createPermit(ctx: ModelContext, communityId: string, input: PermitFields): SandboxResponse {
  const { state } = ctx;
  const existing = state.permits.find(
    (p) => p.communityId === communityId && p.salesforcePermitId === input.salesforcePermitId,
  );
  if (existing)
    return feathersError(
      409,
      "A permit with this salesforcePermitId already exists",
      ctx.options.conflictNamesExisting ? { data: { _id: existing.id } } : {},
    );
  const contractor =
    "id" in input.contractor
      ? findContractor(state, communityId, input.contractor.id)
      : state.contractors.find(
          (c) =>
            c.communityId === communityId &&
            !c.removedAt &&
            c.salesforceId === (input.contractor as { salesforceId: string }).salesforceId,
        );
  if (!contractor) return notFound();
  if (!contractor.approved) return badRequest("Contractor is not approved");
  const property = resolveProperty(state, communityId, input.property);
  if (!property) return notFound();
  const flat = resolveFlat(property, input.flat);
  if (!flat) return notFound();
  const extra = input.additionalFlats.map((ref) => resolveFlat(property, ref));
  if (extra.some((f) => f === undefined)) return notFound();
  const window = checkWindow(ctx, input.validFrom, input.validTill);
  if (window) return window;
  const permit: SandboxPermit = {
    id: newId(state),
    communityId,
    salesforcePermitId: input.salesforcePermitId,
    contractorId: contractor.id,
    propertyId: property.id,
    flatId: flat.id,
    additionalFlatIds: extra.map((f) => (f as SandboxFlat).id),
    validFrom: input.validFrom,
    validTill: input.validTill,
    ...(input.jobsSummary ? { jobsSummary: input.jobsSummary } : {}),
    ...(input.noc ? { noc: input.noc } : {}),
    nocHistory: [],
    employees: [],
    status: "DRAFT",
    passNumber: null,
    accessCode: null,
    formerCodes: [],
    createdAt: ctx.now,
  };
  mergeSubmitFields(permit, input);
  state.permits.push(permit);
  return json(201, permitJson(permit));
}

/** [doc] validTill required, in the future, and not before validFrom. */
function checkWindow(ctx: ModelContext, validFrom: Date, validTill: Date): SandboxResponse | undefined {
  if (validTill.getTime() <= ctx.now.getTime())
    return badRequest("validTill must be in the future", { validTill: "must be in the future" });
  if (validTill.getTime() < validFrom.getTime())
    return badRequest("validTill must not be before validFrom", {
      validTill: "must not be before validFrom",
    });
  return undefined;
}

function mergeSubmitFields(permit: SandboxPermit, fields: SubmitFields): void {
  if (fields.timeIn) permit.timeIn = fields.timeIn;
  if (fields.timeOut) permit.timeOut = fields.timeOut;
  if (fields.representativeName) permit.representativeName = fields.representativeName;
  if (fields.representativeContact) permit.representativeContact = fields.representativeContact;
  if (fields.employees && fields.employees.length > 0) permit.employees = fields.employees;
}

export function readPermit(ctx: ModelContext, permit: SandboxPermit): SandboxResponse {
  return json(
    200,
    permitJson(permit, { statusName: true, accessCode: ctx.options.permitReadShowsAccessCode }),
  );
}

/** [doc: update-permit-dates-noc] Works on DRAFT too; an issued QR is updated in place. */
export function updatePermit(ctx: ModelContext, permit: SandboxPermit, patch: PermitPatch): SandboxResponse {
  if (!OPEN.includes(permit.status)) return badRequest(`Permit is ${permit.status}`);
  if (patch.action === "replaceNoc") {
    if (permit.noc) permit.nocHistory.push(permit.noc);
    permit.noc = patch.noc;
    return readPermit(ctx, permit);
  }
  const validFrom = patch.validFrom ?? permit.validFrom;
  const validTill = patch.validTill ?? permit.validTill;
  const refused = checkWindow(ctx, validFrom, validTill);
  if (refused) return refused;
  permit.validFrom = validFrom;
  permit.validTill = validTill;
  if (permit.status === "ACCEPTED") ctx.fire("passes.permits.updated", permitEventData(permit));
  return readPermit(ctx, permit);
}

const REQUIRED_TO_SUBMIT = ["timeIn", "timeOut", "representativeName", "representativeContact"] as const;

/** [doc: revoke-or-reissue-a-permit-pass, and submit on the create page] Answers `{}`. */
export function passAction(ctx: ModelContext, permit: SandboxPermit, action: PassAction): SandboxResponse {
  switch (action.action) {
    case "submit": {
      if (permit.status !== "DRAFT")
        return badRequest(`Only a DRAFT permit can be submitted (it is ${permit.status})`);
      const contractor = ctx.state.contractors.find((c) => c.id === permit.contractorId);
      if (!contractor || contractor.removedAt) return badRequest("Contractor is no longer in the community");
      mergeSubmitFields(permit, action);
      const missing: Record<string, string> = {};
      for (const field of REQUIRED_TO_SUBMIT) if (!permit[field]) missing[field] = "is required";
      if (permit.employees.length === 0) missing.employees = "at least one employee is required";
      if (Object.keys(missing).length > 0)
        return badRequest(`Cannot submit: ${Object.keys(missing).join(", ")} missing`, missing);
      permit.status = "PENDING";
      if (ctx.options.autoAccept) acceptPermit(ctx, permit);
      return json(200, {});
    }
    case "revoke":
      if (!OPEN.includes(permit.status)) return badRequest(`Permit is already ${permit.status}`);
      permit.status = "REVOKED";
      if (action.reason) permit.revokeReason = action.reason;
      retireCode(permit);
      return json(200, {});
    case "reissuePass":
      if (permit.status !== "ACCEPTED") return badRequest(`Permit must be ACCEPTED (it is ${permit.status})`);
      retireCode(permit);
      permit.accessCode = newAccessCode(ctx.random);
      ctx.fire("passes.permits.issued", issuedEventData(permit));
      return json(200, {});
  }
}

/** The community accepts a submitted permit: its pass is issued. */
export function acceptPermit(ctx: ModelContext, permit: SandboxPermit): SandboxResponse {
  if (permit.status === "ACCEPTED") return readPermit(ctx, permit);
  if (permit.status !== "PENDING") return feathersError(409, `Permit is ${permit.status}, not submitted`);
  permit.status = "ACCEPTED";
  permit.passNumber ??= `WP-${String(ctx.state.nextPassNumber++).padStart(6, "0")}`;
  permit.accessCode = newAccessCode(ctx.random);
  ctx.fire("passes.permits.issued", issuedEventData(permit));
  return readPermit(ctx, permit);
}

export function rejectPermit(ctx: ModelContext, permit: SandboxPermit): SandboxResponse {
  if (permit.status !== "PENDING") return feathersError(409, `Permit is ${permit.status}, not submitted`);
  permit.status = "REJECTED";
  ctx.fire("passes.permits.updated", permitEventData(permit));
  return readPermit(ctx, permit);
}

/** A community admin submits a DRAFT from the dashboard (filling in what it lacks). */
export function submitFromDashboard(ctx: ModelContext, permit: SandboxPermit): SandboxResponse {
  if (permit.status !== "DRAFT") return feathersError(409, `Permit is ${permit.status}, not a draft`);
  permit.status = "PENDING";
  if (ctx.options.autoAccept) acceptPermit(ctx, permit);
  return readPermit(ctx, permit);
}

export const PASS_EVENTS = ["expiring", "expired", "scanned", "firstScanned", "lastScanned"] as const;
export type PassEventKind = (typeof PASS_EVENTS)[number];

/** What Buzz-in reports on its own: the pass nearing its end, ending, or scanned at a gate. */
export function passEvent(
  ctx: ModelContext,
  permit: SandboxPermit,
  kind: PassEventKind,
  gate: string | undefined,
): SandboxResponse {
  if (permit.status !== "ACCEPTED") return feathersError(409, `Permit ${permit.id} has no live pass`);
  if (kind === "expired") {
    permit.status = "EXPIRED";
    retireCode(permit);
  }
  const data = permitEventData(permit);
  // The scan events' payloads are not documented: when and where, under names the sandbox chose.
  const scan =
    kind === "expiring" || kind === "expired"
      ? {}
      : { scannedAt: ctx.now.toISOString(), ...(gate ? { gate } : {}) };
  ctx.fire(`passes.permits.${kind}`, { ...data, ...scan });
  return readPermit(ctx, permit);
}
