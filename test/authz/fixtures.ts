/**
 * What each cell of the authorisation matrix acts on, made fresh for every cell through the same
 * paths production uses (signed requests to the real bot, the daily job, the messenger), and what
 * the acting user was shown, read back from the Slack stand-in.
 */
import { findManagedByRequest } from "../../src/db/repositories/managed-people.js";
import { type ManagedPerson } from "../../src/domain/model.js";
import { scheduleOffboarding } from "../../src/db/repositories/offboardings.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { CALLBACK, FIELD } from "../../src/slack/ids.js";
import { getBuzzinPermit } from "../../src/db/repositories/buzzin-permits.js";
import { approve, latestApproval, type PostedRequest, submitContractor } from "../helpers/flows.js";
import { buzzinInputFor, buzzinValues } from "../helpers/forms.js";
import type { TestStory } from "../helpers/story.js";

let serial = 0;
/** A name and email no other cell uses, so each cell reads back only its own effect. */
export function unique(prefix: string): { lastName: string; email: string } {
  serial += 1;
  return { lastName: `${prefix}${serial}`, email: `${prefix.toLowerCase()}${serial}@matrix.example` };
}

export const today = (s: TestStory) => localDateOf(new Date(), s.gatehouse.timeZone);

export function contractorInput(s: TestStory, who: { lastName: string; email: string }) {
  return {
    ...{ firstName: "Matrix", lastName: who.lastName, email: who.email, company: "Grid Ltd" },
    ...{ groupIds: [5121], startDate: today(s), endDate: addDays(today(s), 10) },
    ...{ credential: "card" as const, cardNumber: String(70_000_000 + serial) },
  };
}

/** A request from the requester, waiting in the approval channel. */
export function pendingRequest(s: TestStory): Promise<PostedRequest & { lastName: string }> {
  const who = unique("Pending");
  return submitContractor(s, contractorInput(s, who)).then((r) => ({ ...r, lastName: who.lastName }));
}

/**
 * A request for someone DoorFlow already has (a disabled ex-employee, made here through the API
 * with groups and a card), waiting in the approval channel: only an operator may approve it.
 */
export async function existingPersonRequest(s: TestStory): Promise<PostedRequest & { personId: number }> {
  const who = unique("Former");
  const person = await s.gatehouse.doorflow.createPerson({
    first_name: "Former",
    last_name: who.lastName,
    email: who.email,
    system_id: `HR-${who.lastName}`,
    enabled: false,
    group_ids: [5124],
  });
  const request = await submitContractor(s, contractorInput(s, who));
  return { ...request, personId: person.id };
}

type Active = { requestId: string; managed: ManagedPerson };
const provisioned: Active[] = [];

/**
 * A contractor the requester asked for, approved and provisioned: card, PIN, group reservation.
 * Each is used by one cell only; they are approved eight at a time, since every approval waits
 * out the App Home refresh's debounce once however many approvals share it.
 */
export async function activeContractor(s: TestStory): Promise<Active> {
  if (provisioned.length === 0) {
    const requests = [];
    for (let i = 0; i < 8; i++)
      requests.push(await submitContractor(s, contractorInput(s, unique("Active"))));
    await Promise.all(requests.map((r) => approve(s, r)));
    for (const r of requests) {
      const managed = findManagedByRequest(s.gatehouse.db, r.id);
      if (!managed) throw new Error("the contractor was not provisioned");
      provisioned.push({ requestId: r.id, managed });
    }
  }
  return provisioned.shift() as Active;
}

export function extensionValues(managedId: number, newEnd: string) {
  return {
    [FIELD.contractor.block]: {
      [FIELD.contractor.action]: {
        type: "static_select",
        selected_option: { value: String(managedId), text: { type: "plain_text", text: "x" } },
      },
    },
    [FIELD.newEndDate.block]: { [FIELD.newEndDate.action]: { type: "datepicker", selected_date: newEnd } },
  } as never;
}

/** The requester's extension of their contractor, waiting in the approval channel. */
export async function pendingExtension(s: TestStory) {
  const { managed } = await activeContractor(s);
  await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.extensionRequest,
    values: extensionValues(managed.id, addDays(today(s), 30)),
  });
  await s.gatehouse.idle();
  const row = s.gatehouse.db.$client
    .prepare("select id, approval_ts as ts from extensions where managed_person_id = ?")
    .get(managed.id) as { id: string; ts: string } | undefined;
  if (!row) throw new Error("no extension was recorded");
  return { extensionId: row.id, ts: row.ts, managed };
}

/** Someone in DoorFlow, enabled, whom Gatehouse did not create (an employee, say). */
export async function doorflowPerson(s: TestStory) {
  const who = unique("Employee");
  const person = await s.gatehouse.doorflow.createPerson({
    first_name: "Matrix",
    last_name: who.lastName,
    email: who.email,
    enabled: true,
    group_ids: [5127],
  });
  return { id: person.id, email: who.email, name: `Matrix ${who.lastName}` };
}

export const isEnabled = (s: TestStory, personId: number) =>
  s.doorflow.sandbox.state.people.find((p) => p.id === personId)?.enabled === true;

/** An offboarding that failed in the daily job: its alert in the security channel has Retry. */
export async function failedOffboarding(s: TestStory) {
  const person = await doorflowPerson(s);
  const offboarding = scheduleOffboarding(
    s.gatehouse.db,
    {
      doorflowPersonId: person.id,
      personName: person.name,
      email: person.email,
      reason: "scheduled",
      lastDay: today(s),
      dueAt: new Date(Date.now() - 60_000),
      requestedBy: CAST.operator.id,
    },
    new Date(),
  );
  const remove = s.doorflow.sandbox.faults.add({
    method: "PUT",
    path: `/api/3/people/${person.id}`,
    status: 503,
    body: { error: "unavailable" },
  });
  await s.gatehouse.runDaily();
  await s.gatehouse.idle();
  remove();
  const alert = s.slack
    .messages(CHANNELS.security)
    .find((m) => JSON.stringify(m.blocks).includes(`"value":"${offboarding.id}"`));
  if (!alert || !isEnabled(s, person.id)) throw new Error("the offboarding did not fail as planned");
  return { person, offboardingId: offboarding.id, ts: alert.ts };
}

/** The facilities channel's reminder to collect the card of a contractor DoorFlow has disabled. */
export async function cardReminder(s: TestStory) {
  const { managed } = await activeContractor(s);
  const person = s.doorflow.sandbox.state.people.find((p) => p.id === managed.doorflowPersonId);
  if (person) person.enabled = false;
  await s.gatehouse.deps.messenger.cardCollection({
    personName: `${managed.firstName} ${managed.lastName}`,
    email: managed.email,
    cardNumbers: managed.credentials.flatMap((c) => (c.cardNumber ? [c.cardNumber] : [])),
    managedPersonId: managed.id,
    doorflowPersonId: managed.doorflowPersonId,
  });
  // Queued in the outbox: delivered by the time the bot is idle.
  await s.gatehouse.idle();
  const message = s.slack.messages(CHANNELS.facilities).at(-1);
  if (!message) throw new Error("no card reminder was posted");
  return { managedId: managed.id, ts: message.ts };
}

/**
 * Everything `userId` was shown since call number `since`: replies through response URLs that
 * lead to them, direct messages, modals opened for them, and the homes published for them.
 */
export function shownTo(s: TestStory, userId: string, since: number): string {
  const dm = s.slack.workspace.openIm(userId).conversation.id;
  return s.slack.calls
    .slice(since)
    .filter((c) => {
      if (c.method === "response_url")
        return s.slack.workspace.responseTargets.get(c.path.split("/").pop() ?? "")?.userId === userId;
      if (c.method === "chat.postMessage" || c.method === "chat.postEphemeral")
        return c.args.channel === userId || c.args.channel === dm || c.args.user === userId;
      if (c.method === "views.open")
        return s.slack.workspace.triggers.get(String(c.args.trigger_id)) === userId;
      if (c.method === "views.publish") return c.args.user_id === userId;
      return false;
    })
    .map((c) => JSON.stringify(c.args))
    .join("\n");
}

/** "New contractor" for the Buzz-in community, filled in as the requester would. */
export function buzzinInput(s: TestStory, who: { lastName: string; email: string }) {
  const today = localDateOf(new Date(), s.gatehouse.deps.settings.buzzinTimeZone);
  return buzzinValues(
    buzzinInputFor(today, 100_000 + serial, {
      firstName: "Matrix",
      lastName: who.lastName,
      email: who.email,
      company: "Grid Ltd",
      endDate: addDays(today, 10),
    }),
  );
}

/** A Buzz-in contractor the requester asked for, with their pass issued (the whole Buzz-in flow). */
export async function buzzinContractor(s: TestStory): Promise<ManagedPerson> {
  const buzzin = s.buzzin?.sandbox;
  if (!buzzin) throw new Error("the matrix story has a Buzz-in community");
  const settle = async () => {
    await buzzin.settled();
    await new Promise((resolve) => setImmediate(resolve));
    await s.gatehouse.idle();
  };
  const who = unique("Pass");
  await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.buzzinRequest,
    values: buzzinInput(s, who),
  });
  await s.gatehouse.idle();
  const request = latestApproval(s);
  await approve(s, request);
  await settle();
  const link = getBuzzinPermit(s.gatehouse.db, request.id);
  buzzin.approveContractor(link?.contractorId ?? "");
  await settle();
  buzzin.acceptPermit(getBuzzinPermit(s.gatehouse.db, request.id)?.permitId ?? "");
  await settle();
  const managed = findManagedByRequest(s.gatehouse.db, request.id);
  if (!managed) throw new Error("the Buzz-in contractor's pass was not issued");
  return managed;
}

/** The Buzz-in contractor id behind a managed Buzz-in contractor. */
export function buzzinContractorId(s: TestStory, managed: ManagedPerson): string | undefined {
  return managed.requestId
    ? (getBuzzinPermit(s.gatehouse.db, managed.requestId)?.contractorId ?? undefined)
    : undefined;
}
