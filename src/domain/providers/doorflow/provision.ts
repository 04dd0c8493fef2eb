/**
 * Provisioning an approved request in DoorFlow, one recorded step at a time, so a restart resumes
 * at the step it stopped: person → credentials → access → sync → notify → done.
 *
 * The critical path from the click to the direct message is two sequential DoorFlow round trips, the
 * floor: the person create carrying the card and `pin: "******"` (its answer carries the generated
 * PIN), then the (group) reservation, made while the new credentials' ids are read. Nobody is looked
 * up first: who already had the email was found at submit time (existing-people.ts); the look-ups
 * by system_id and email are for resumed attempts. The vendor guide makes at least four in a row.
 * bench/click-to-dm.ts counts them.
 */
import { type Executor, inTransaction } from "../../../db/database.js";
import { getAccessRequest, recordProvisioningProgress } from "../../../db/repositories/access-requests.js";
import { type AccessRequest, personName } from "../../model.js";
import {
  findManagedByRequest,
  managedFromRequest,
  upsertManagedPerson,
  updateManagedPerson,
} from "../../../db/repositories/managed-people.js";
import {
  attachPersonToOffboarding,
  findOffboardingForRequest,
  findStartedOffboardingForRequest,
} from "../../../db/repositories/offboardings.js";
import type { ManagedCredential } from "../../model.js";
import { DoorFlowError } from "../../../doorflow/errors.js";
import type { Credential, CredentialType, Person } from "../../../doorflow/schemas.js";
import { sameBooking, sameEmail } from "../../../doorflow/wire.js";
import {
  dropBookingAttempt,
  listBookingsOfRequest,
  markBookingLive,
  recordBookingAttempt,
} from "../../../db/repositories/bookings.js";
import { type Booking } from "../../model.js";
import { endOfLocalDay, rfc3339In, startOfLocalDay } from "../../../lib/time.js";
import { auditRequest } from "../../audit.js";
import type { CredentialTypes } from "../../catalog.js";
import type { Deps } from "../../deps.js";
import { CREDENTIAL_TYPE_VARIABLE, type CredentialRole } from "../../credential-types.js";
import {
  cardTakenSentence,
  credentialKind,
  type ExistingPerson,
  reuseBlocker,
} from "../../existing-people.js";
import { ProvisioningRefused } from "../../failures.js";
import type { ProvisionResult } from "../../ports.js";
import { underProvisioningLease } from "../lease.js";

const GENERATE_PIN = "******";

/** What one run carries between steps; the PIN stays in memory only. */
interface RunState {
  person: Person | null;
  pin: string | null;
  credentials: ManagedCredential[];
  /** A step of an earlier attempt may have been carried out without being recorded. */
  resumed: boolean;
  /** This run created the person, with the credentials the account allows inline. */
  createdInline: boolean;
  /** The access write, when the credentials step started it early (see there). */
  access?: Promise<Granted>;
  /** A reused person's old PIN values, in memory only: the new PIN must differ from them. */
  oldPins?: Set<string>;
}

/** null: DoorFlow made it but will not list it (see findAttempted). */
type Granted = { groupReservationId: number | null } | { reservationId: number | null };

/**
 * Assumption from the spec's text, not its schema: creating a reservation "automatically creates a
 * role and shift for the reservation period", so the person's `roles` gains one while it exists.
 * Used only to recognise a reservation whose create answer was lost once DoorFlow no longer lists
 * it (it has begun). Listed in the README's assumptions.
 */
const RESERVATION_ADDS_ROLE = true;

export function provisionRequest(deps: Deps, requestId: string): Promise<ProvisionResult> {
  return underProvisioningLease(deps, requestId, async (attempt) => {
    const run: RunState = {
      person: null,
      pin: null,
      credentials: [],
      resumed: attempt.resumed,
      createdInline: false,
    };
    for (let step = attempt.request.step; step && step !== "done"; step = attempt.request.step) {
      if (!attempt.renew()) return { status: "busy" };
      // A retry that comes after the contract was offboarded (the job ran while DoorFlow was
      // failing us) must not hand the access back: the request ends here instead.
      if (findStartedOffboardingForRequest(deps.db, requestId))
        throw new ProvisioningRefused(
          `${personName(attempt.request)} was offboarded before their access was fully set up, so Gatehouse stopped setting it up.`,
        );
      attempt.request = await STEPS[step](deps, attempt.request, run);
    }
    return { status: "active", request: attempt.request };
  });
}

type Step = (deps: Deps, request: AccessRequest, run: RunState) => Promise<AccessRequest>;

const STEPS: Record<Exclude<NonNullable<AccessRequest["step"]>, "done">, Step> = {
  person: personStep,
  credentials: credentialsStep,
  access: accessStep,
  sync: syncStep,
  notify: notifyStep,
};

function advance(
  deps: Deps,
  request: AccessRequest,
  progress: Parameters<typeof recordProvisioningProgress>[2],
  audit: { action: string; details?: Record<string, unknown> },
  also?: (tx: Executor) => void,
): AccessRequest {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => {
    recordProvisioningProgress(tx, request.id, progress, now);
    also?.(tx);
    const updated = getAccessRequest(tx, request.id) as AccessRequest;
    auditRequest(tx, updated, { actor: "system", action: audit.action, details: audit.details }, now);
    return updated;
  });
}

/** The contract's dates as DoorFlow wants them; access starts now if the start day has begun. */
function accessWindow(deps: Deps, request: AccessRequest): { start: Date; end: Date } {
  const tz = deps.settings.timeZone;
  const dayStart = startOfLocalDay(request.startDate, tz);
  const now = deps.now();
  return {
    start: now.getTime() > dayStart.getTime() ? now : dayStart,
    end: endOfLocalDay(request.endDate, tz),
  };
}

async function personStep(deps: Deps, request: AccessRequest, run: RunState): Promise<AccessRequest> {
  if (request.existingPerson) return reusePersonStep(deps, request, request.existingPerson, run);
  const types = await deps.catalog.credentialTypes();
  // A first attempt looks nothing up: whoever held the email at submit time was shown to the
  // approver, and DoorFlow's own uniqueness (422) catches anyone who appeared since.
  if (!run.resumed) return createPersonStep(deps, request, run, types);
  const { doorflow } = deps;
  const [bySystemId, byEmail] = await Promise.all([
    doorflow.findPersonBySystemId(request.id),
    request.email ? doorflow.findPeopleByEmail(request.email) : Promise.resolve([]),
  ]);
  if (bySystemId) {
    // An earlier attempt created this person and crashed before recording it.
    const created =
      request.personCreated || byEmail.length === 0 || byEmail.every((p) => p.id === bySystemId.id);
    return recordPerson(deps, request, run, bySystemId, created);
  }
  const someoneElse = byEmail[0];
  if (someoneElse) throw new ProvisioningRefused(emailTakenSentence(request, someoneElse));
  return createPersonStep(deps, request, run, types);
}

/** Enabled for the contract's window: from the start of the first day (or now) to the end of the last. */
function personFields(deps: Deps, request: AccessRequest) {
  const { start, end } = accessWindow(deps, request);
  const tz = deps.settings.timeZone;
  return { enabled: true, valid_from: rfc3339In(start, tz), valid_to: rfc3339In(end, tz) };
}

async function createPersonStep(
  deps: Deps,
  request: AccessRequest,
  run: RunState,
  types: CredentialTypes,
): Promise<AccessRequest> {
  let person: Person;
  try {
    person = await deps.doorflow.createPerson({
      first_name: request.firstName,
      last_name: request.lastName,
      email: request.email,
      system_id: request.id,
      ...personFields(deps, request),
      credentials: inlineCredentials(request, types),
    });
  } catch (error) {
    throw await explainTaken(deps, request, types, error);
  }
  run.createdInline = true;
  return recordPerson(deps, request, run, person, true);
}

/**
 * DoorFlow's 422 for an email or a card another person holds, as the sentence people act on (the
 * form checked both at submit time; this is what changed since). Anything else is passed on.
 */
async function explainTaken(
  deps: Deps,
  request: AccessRequest,
  types: CredentialTypes,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof DoorFlowError) || error.code !== "doorflow_validation") return error;
  const fields = error.fieldErrors;
  const taken = (messages: string[] | undefined) =>
    (messages ?? []).some((m) => /already (been )?taken|already in use/i.test(m));
  if (request.email && taken(fields.email)) {
    const holder = (await deps.doorflow.findPeopleByEmail(request.email).catch(() => []))[0];
    return new ProvisioningRefused(
      holder
        ? emailTakenSentence(request, holder)
        : `DoorFlow says the email ${request.email} is already taken; ask again so an operator can decide.`,
    );
  }
  const cardType = types.card;
  if (cardType && request.cardNumber && (taken(fields[cardType.slug]) || taken(fields.value))) {
    return new ProvisioningRefused(await cardTakenNow(deps, cardType.id, request.cardNumber));
  }
  return error;
}

async function cardTakenNow(deps: Deps, cardTypeId: number, cardNumber: string): Promise<string> {
  const holder = await deps.doorflow.findCredentialHolder(cardTypeId, cardNumber).catch(() => null);
  const person = holder ? await deps.doorflow.getPerson(holder.person_id).catch(() => null) : null;
  return person
    ? cardTakenSentence(deps, cardNumber, person)
    : `Card ${cardNumber} is already in use in DoorFlow; collect it first, or use another card.`;
}

function emailTakenSentence(request: AccessRequest, holder: Person): string {
  return `DoorFlow now has a person with the email ${request.email ?? ""} (${holder.first_name} ${holder.last_name}, person ${holder.id}) who was not there when the request was made. Gatehouse will not take them over: ask again, so an operator can decide.`;
}

/**
 * The person recorded (managed, and attached to the contract's offboarding) and the step moved on.
 * For a person this run created there is nothing to check first: the id is new.
 */
function recordPerson(
  deps: Deps,
  request: AccessRequest,
  run: RunState,
  person: Person,
  created: boolean,
): AccessRequest {
  run.person = person;
  return advance(
    deps,
    request,
    { step: "credentials", doorflowPersonId: person.id, personCreated: created },
    {
      action: created ? "provision.person_created" : "provision.person_found",
      details: { doorflowPersonId: person.id },
    },
    (tx) => attachManaged(tx, deps, request, person.id),
  );
}

function attachManaged(tx: Executor, deps: Deps, request: AccessRequest, personId: number): void {
  const now = deps.now();
  const managed = upsertManagedPerson(
    tx,
    { ...managedFromRequest(request), doorflowPersonId: personId, status: "active" },
    now,
  );
  attachPersonToOffboarding(tx, request.id, { doorflowPersonId: personId, managedPersonId: managed.id }, now);
}

/**
 * An operator approved reusing a DoorFlow person who already had the email. They are reused only in
 * a clean state: enabled for the new window, static groups cleared, every credential but the card
 * asked for removed (old PINs, mobile credentials, other cards and fobs); names and system_id stay
 * (our key is in our database). The intent and the previous state are recorded before the first
 * DoorFlow write, so the audit always shows what was there and the contract always has its end.
 */
async function reusePersonStep(
  deps: Deps,
  request: AccessRequest,
  existing: ExistingPerson,
  run: RunState,
): Promise<AccessRequest> {
  const personId = existing.doorflowPersonId;
  const blocker = reuseBlocker(deps.db, personId, request.id);
  if (blocker) throw new ProvisioningRefused(blocker);
  const [types, person, credentials] = await Promise.all([
    deps.catalog.credentialTypes(),
    deps.doorflow.getPerson(personId).catch((error: unknown) => {
      if (error instanceof DoorFlowError && error.code === "doorflow_not_found")
        throw new ProvisioningRefused(
          `DoorFlow person ${personId} (${personName(existing)}) no longer exists; ask again.`,
        );
      throw error;
    }),
    deps.doorflow.listCredentials(personId),
  ]);
  if (!request.email || !sameEmail(person.email, request.email))
    throw new ProvisioningRefused(
      `DoorFlow person ${personId} no longer has the email ${request.email ?? ""}; Gatehouse will not change someone else. Ask again.`,
    );
  if (request.doorflowPersonId === null) {
    const now = deps.now();
    inTransaction(deps.db, (tx) => {
      recordProvisioningProgress(tx, request.id, { doorflowPersonId: personId, personCreated: false }, now);
      attachManaged(tx, deps, request, personId);
      auditRequest(
        tx,
        { ...request, doorflowPersonId: personId },
        {
          actor: "system",
          action: "provision.person_reuse_started",
          details: { previous: previousState(person, credentials, types), approvedBy: request.decidedBy },
        },
        now,
      );
    });
  }
  const keep = (c: Credential) =>
    request.credential === "card" &&
    !!request.cardNumber &&
    types.card?.id === c.credential_type_id &&
    c.value === request.cardNumber;
  const removed = credentials.filter((c) => !keep(c) && c.status !== "revoking" && c.status !== "revoked");
  run.oldPins = new Set(
    credentials.flatMap((c) =>
      types.pin && c.credential_type_id === types.pin.id && c.value ? [c.value] : [],
    ),
  );
  const [updated] = await Promise.all([
    deps.doorflow.updatePerson(personId, { ...personFields(deps, request), group_ids: [] }),
    ...removed.map((c) => deps.doorflow.deleteCredential(personId, c.id)),
  ]);
  run.person = updated;
  return advance(
    deps,
    { ...request, doorflowPersonId: personId },
    { step: "credentials", doorflowPersonId: personId, personCreated: false },
    {
      action: "provision.person_reused",
      details: {
        doorflowPersonId: personId,
        groupsCleared: person.groups,
        credentialsRemoved: removed.map((c) => credentialKind(c, types)),
      },
    },
  );
}

/** What the person was before reuse, for the audit: never a PIN value. */
function previousState(person: Person, credentials: Credential[], types: CredentialTypes) {
  return {
    enabled: person.enabled,
    systemId: person.system_id ?? null,
    validFrom: person.valid_from ?? null,
    validTo: person.valid_to ?? null,
    groupIds: person.groups,
    credentials: credentials.map((c) => ({
      kind: credentialKind(c, types),
      ...(types.card?.id === c.credential_type_id ? { cardNumber: c.value ?? null } : {}),
    })),
  };
}

/** Card number and generated PIN in the create call itself, where the account has those slugs. */
function inlineCredentials(request: AccessRequest, types: CredentialTypes): Record<string, string> {
  const fields: Record<string, string> = {};
  if (request.credential === "card" && request.cardNumber && types.card)
    fields[types.card.slug] = request.cardNumber;
  if (types.pin) fields[types.pin.slug] = GENERATE_PIN;
  return fields;
}

interface WantedCredential {
  type: CredentialType | null;
  value: string | null;
  what: string;
  role: CredentialRole;
}

/** Whether the create answer already shows every wanted credential, so none needs writing. */
function heldInline(person: Person | null, wanted: WantedCredential[]): boolean {
  const fields: Record<string, unknown> = person ?? {};
  return wanted.every((w) => {
    const held = w.type ? fields[w.type.slug] : undefined;
    if (typeof held !== "string" || held === "") return false;
    return w.what === "PIN" || held === w.value;
  });
}

async function credentialsStep(deps: Deps, request: AccessRequest, run: RunState): Promise<AccessRequest> {
  const personId = request.doorflowPersonId as number;
  const types = await deps.catalog.credentialTypes();
  if (!types.pin)
    throw new ProvisioningRefused(
      `Gatehouse cannot tell which DoorFlow credential type is the PIN: set ${CREDENTIAL_TYPE_VARIABLE.pin} (see \`gatehouse doorflow check\`).`,
    );
  const wanted: WantedCredential[] = [
    ...(request.credential === "card"
      ? [{ type: types.card, value: request.cardNumber, what: "card", role: "card" as const }]
      : []),
    ...(request.credential === "mobile"
      ? [{ type: types.mobile, value: null, what: "mobile credential", role: "mobile" as const }]
      : []),
    { type: types.pin, value: GENERATE_PIN, what: "PIN", role: "pin" as const },
  ];
  // Nothing to write here for a person just created with card and PIN inline, only their ids to
  // read: make the reservation meanwhile, so the requester waits one DoorFlow round trip less. Should
  // this step fail first, the run ends, and the next attempt (resumed) finds that reservation.
  if (run.createdInline && heldInline(run.person, wanted)) {
    run.access = grantAccess(deps, request, run);
    run.access.catch(() => undefined);
  }
  const listed = await deps.doorflow.listCredentials(personId);
  // A mobile credential on its way out (a reused person's, revoked by the reuse step) is not theirs.
  const leaving = (c: Credential) => c.status === "revoking" || c.status === "revoked";
  const existing = listed.filter((c) => !leaving(c));
  const issued: ManagedCredential[] = [];
  for (const w of wanted) {
    if (!w.type)
      throw new ProvisioningRefused(
        `Gatehouse cannot tell which DoorFlow credential type is the ${w.what}: set ${CREDENTIAL_TYPE_VARIABLE[w.role]} (see \`gatehouse doorflow check\`).`,
      );
    const typeId = w.type.id;
    let credential = existing.find((c) => c.credential_type_id === typeId);
    // DoorFlow holds one credential per type (409) until the revocation is done, a moment later:
    // a transient failure, so the step is retried then and invites them afresh.
    if (!credential && listed.some((c) => c.credential_type_id === typeId && c.status === "revoking"))
      throw new Error(
        `DoorFlow is still revoking the previous ${w.what} of person ${personId}; Gatehouse invites them again once it is done.`,
      );
    if (credential && w.what === "card" && credential.value !== w.value) {
      credential = await deps.doorflow.updateCredential(personId, credential.id, {
        value: w.value as string,
      });
    }
    credential ??= await deps.doorflow
      .createCredential(personId, { credentialTypeId: typeId, value: w.value })
      .catch(async (error: unknown) => {
        throw await explainTaken(deps, request, types, error);
      });
    if (w.what === "PIN") credential = await freshPin(deps, personId, credential, run.oldPins);
    if (w.what === "PIN") run.pin = credential.value ?? null;
    issued.push({
      id: credential.id,
      typeSlug: w.type.slug,
      cardNumber: w.what === "card" ? (credential.value ?? null) : null,
    });
  }
  run.credentials = issued;
  return advance(
    deps,
    request,
    { step: "access" },
    {
      action: "provision.credentials",
      details: { credentials: issued.map((c) => c.typeSlug), cardNumber: request.cardNumber },
    },
    (tx) => {
      const managedId = managedIdOf(tx, request);
      if (managedId !== undefined) updateManagedPerson(tx, managedId, { credentials: issued }, deps.now());
    },
  );
}

/**
 * A reused person's new PIN must not be their old one: the old PIN was deleted first, so DoorFlow's
 * generator could in principle hand the same digits back. Generate again until it differs.
 */
async function freshPin(
  deps: Deps,
  personId: number,
  pin: Credential,
  oldPins: ReadonlySet<string> | undefined,
): Promise<Credential> {
  let current = pin;
  for (let attempt = 0; attempt < 3 && current.value && oldPins?.has(current.value); attempt++) {
    await deps.doorflow.deleteCredential(personId, current.id);
    current = await deps.doorflow.createCredential(personId, {
      credentialTypeId: current.credential_type_id,
      value: GENERATE_PIN,
    });
  }
  return current;
}

function managedIdOf(tx: Executor, request: AccessRequest): number | undefined {
  return findManagedByRequest(tx, request.id)?.id;
}

/**
 * The (group) reservation, or the one an earlier attempt made without recording it. Every create
 * is recorded before it is sent (doorflow_bookings) and its id as soon as DoorFlow answers, so a
 * resumed grant never makes a second one: a recorded id is used as it is, and an attempt whose
 * answer was lost is looked for in DoorFlow's lists. Those show present and future group
 * reservations but only *future* reservations; a current reservation is recognised instead by the
 * role DoorFlow adds to the person with each reservation (spec: createReservation "automatically
 * creates a role and shift"; RESERVATION_ADDS_ROLE).
 */
async function grantAccess(deps: Deps, request: AccessRequest, run: RunState): Promise<Granted> {
  const personId = request.doorflowPersonId as number;
  const kind = request.kind === "contractor" ? "group_reservation" : "reservation";
  const recorded = listBookingsOfRequest(deps.db, request.id, kind);
  const live = recorded.find((b) => b.status === "live");
  if (live) return granted(kind, live.doorflowId);
  for (const attempt of recorded.filter((b) => b.status === "attempted")) {
    const found = await findAttempted(deps, attempt, personId);
    if (found !== undefined) {
      markBookingLive(deps.db, attempt.id, found, deps.now());
      return granted(kind, found);
    }
    dropBookingAttempt(deps.db, attempt.id);
  }

  const { start, end } = accessWindow(deps, request);
  const rolesBefore =
    kind === "reservation" ? (run.person?.roles ?? (await deps.doorflow.getPerson(personId)).roles) : null;
  const attempt = recordBookingAttempt(
    deps.db,
    {
      kind,
      doorflowPersonId: personId,
      requestId: request.id,
      managedPersonId: managedIdOf(deps.db, request) ?? null,
      startsAt: start,
      endsAt: end,
      accessIds: request.accessIds,
      rolesBefore,
    },
    deps.now(),
  );
  try {
    const created =
      kind === "group_reservation"
        ? await deps.doorflow.createGroupReservation({
            personId,
            startTime: start,
            endTime: end,
            groupIds: request.accessIds,
          })
        : await deps.doorflow.createReservation({
            personId,
            startTime: start,
            endTime: end,
            channelIds: request.accessIds,
          });
    markBookingLive(deps.db, attempt.id, created.id, deps.now());
    return granted(kind, created.id);
  } catch (error) {
    // Certainly not created (a 4xx, a refused connection): nothing to look for next time.
    if (error instanceof DoorFlowError && !error.mayHaveApplied) dropBookingAttempt(deps.db, attempt.id);
    throw error;
  }
}

function granted(kind: "group_reservation" | "reservation", id: number | null): Granted {
  return kind === "group_reservation" ? { groupReservationId: id } : { reservationId: id };
}

/**
 * DoorFlow's id for a create whose answer was lost: undefined when it provably was not made, null
 * when it was (the person gained a reservation's role) but DoorFlow will not list it.
 */
async function findAttempted(
  deps: Deps,
  attempt: Booking,
  personId: number,
): Promise<number | null | undefined> {
  const window = { personId, startTime: attempt.startsAt, endTime: attempt.endsAt };
  if (attempt.kind === "group_reservation") {
    const listed = await deps.doorflow.listGroupReservations({ personId });
    const match = listed.find(
      (g) => g.state !== "deactivated" && sameBooking(g, window, (x) => x.group_ids, attempt.accessIds),
    );
    return match?.id;
  }
  const listed = await deps.doorflow.listReservations({ personId });
  const match = listed.find((r) => sameBooking(r, window, (x) => x.channel_ids, attempt.accessIds));
  if (match) return match.id;
  if (!RESERVATION_ADDS_ROLE) return undefined;
  const before = new Set(attempt.rolesBefore ?? []);
  const person = await deps.doorflow.getPerson(personId);
  return person.roles.some((r) => !before.has(r)) ? null : undefined;
}

async function accessStep(deps: Deps, request: AccessRequest, run: RunState): Promise<AccessRequest> {
  const granted = await (run.access ?? grantAccess(deps, request, run));
  run.access = undefined;
  const details =
    "groupReservationId" in granted
      ? { action: "provision.group_reservation", details: { ...granted, groups: request.accessNames } }
      : { action: "provision.reservation", details: { ...granted, doors: request.accessNames } };
  return advance(deps, request, { step: "sync", ...granted }, details, (tx) => {
    const managedId = managedIdOf(tx, request);
    if (managedId !== undefined) updateManagedPerson(tx, managedId, granted, deps.now());
  });
}

async function syncStep(deps: Deps, request: AccessRequest): Promise<AccessRequest> {
  deps.sync.request(`access for ${request.id}`);
  return advance(deps, request, { step: "notify" }, { action: "provision.sync_requested" });
}

async function notifyStep(deps: Deps, request: AccessRequest, run: RunState): Promise<AccessRequest> {
  // After a restart the PIN is no longer in memory: read it back from DoorFlow, never from our database.
  const pin = run.pin ?? (await readPin(deps, request.doorflowPersonId as number));
  const { start } = accessWindow(deps, request);
  await deps.messenger.accessGranted(request, {
    personName: personName(request),
    cardNumber: request.credential === "card" ? request.cardNumber : null,
    pin,
    start,
    // The true end: when the daily job offboards them (valid_to, the end of the day, is the
    // backstop should Gatehouse be down then).
    end:
      findOffboardingForRequest(deps.db, request.id)?.dueAt ??
      deps.settings.offboardingDueAt(request.endDate),
  });
  return advance(
    deps,
    request,
    { step: "done", state: "active", nextAttemptAt: null, lastError: null },
    { action: "provision.completed", details: { notified: request.requesterId } },
  );
}

export async function readPin(
  deps: Pick<Deps, "doorflow" | "catalog">,
  personId: number,
): Promise<string | null> {
  const types = await deps.catalog.credentialTypes();
  if (!types.pin) return null;
  const pinTypeId = types.pin.id;
  const credentials = await deps.doorflow.listCredentials(personId);
  return credentials.find((c) => c.credential_type_id === pinTypeId)?.value ?? null;
}
