/**
 * The story the contract test records: Gatehouse against a recording DoorFlow sandbox on a fixed
 * clock, through signed Slack requests. On the first day a card contractor (5 days) and a mobile
 * contractor (11 days) are granted, a visitor is booked for the next day and the card contractor's
 * contract is extended by a week. The visitor comes; the day after the card contractor's first
 * last day an operator offboards the mobile contractor at once; the daily job offboards the card
 * contractor on the new last day. Along the way it notes which doors the sandbox would open.
 */
import { findManagedByRequest } from "../../src/db/repositories/managed-people.js";
import { addDays, type LocalDate, zonedInstant } from "../../src/lib/time.js";
import type { DoorFlowSandboxOptions } from "../../tools/sandbox/doorflow/types.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { approve, latestApproval, provisionContractor } from "../helpers/flows.js";
import { visitorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const DOCK_DOOR = 1342;
const WORKSHOP_DOOR = 1344;
const MAIN_ENTRANCE = 1340;
export const CARD_NUMBER = "70000001";

export interface Played {
  story: TestStory;
  /** Request ids (DoorFlow system_ids) of the card contractor, the mobile contractor and the visitor. */
  card: string;
  mobile: string;
  visitor: string;
  /** What the sandbox's doors would have decided at each step. */
  opens: {
    cardOnFirstDay: boolean;
    cardAfterFirstLastDay: boolean;
    cardAfterOffboarding: boolean;
    mobileBeforeOffboarding: boolean;
    mobileAfterOffboarding: boolean;
    visitorOnVisit: boolean;
    visitorDayAfter: boolean;
  };
}

function personId(s: TestStory, requestId: string): number {
  const person = s.doorflow.sandbox.personBySystemId(requestId);
  if (!person) throw new Error(`no DoorFlow person for ${requestId}`);
  return person.id;
}

/** Plays the story on an account with `doorflow`'s zone (and shape), recording every exchange. */
export async function playGrantExtendOffboard(
  firstDay: LocalDate,
  doorflow: DoorFlowSandboxOptions & { timeZone: string },
): Promise<Played> {
  const zone = doorflow.timeZone;
  let now = zonedInstant(firstDay, "09:00", zone);
  const s = await startTestStory({
    now: () => now,
    catchUp: false,
    doorflow: { ...doorflow, now, ticking: false, record: true },
    env: { VISITOR_APPROVAL: "true" },
    doorflowRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 500 },
  });
  const at = (day: LocalDate, time: string) => {
    now = zonedInstant(day, time, zone);
    s.doorflow.sandbox.clock.set(now);
  };
  const opens = (requestId: string, door: number) => s.doorflow.sandbox.canOpen(personId(s, requestId), door);

  const card = await provisionContractor(s, {
    firstName: "Carla",
    lastName: "Card",
    email: "carla.card@contract.example",
    company: "Card Co",
    groupIds: [5122, 5125],
    startDate: firstDay,
    endDate: addDays(firstDay, 4),
    credential: "card",
    cardNumber: CARD_NUMBER,
  });
  const mobile = await provisionContractor(s, {
    firstName: "Milo",
    lastName: "Mobile",
    email: "milo.mobile@contract.example",
    company: "Mobile Co",
    groupIds: [5123],
    startDate: firstDay,
    endDate: addDays(firstDay, 10),
    credential: "mobile",
  });
  const cardOnFirstDay = opens(card, DOCK_DOOR);

  await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.visitorRequest,
    values: visitorValues({
      firstName: "Vera",
      lastName: "Visitor",
      email: "vera.visitor@visiting.example",
      company: "Visiting Ltd",
      doorIds: [MAIN_ENTRANCE],
      visitDate: addDays(firstDay, 1),
    }),
  });
  await s.gatehouse.idle();
  const visit = latestApproval(s);
  await approve(s, visit);

  // The card contractor's contract is extended by a week, asked by the requester, approved.
  const managed = findManagedByRequest(s.gatehouse.db, card);
  if (!managed) throw new Error("the card contractor was not provisioned");
  const newEnd = addDays(firstDay, 11);
  await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.extensionRequest,
    values: {
      [FIELD.contractor.block]: {
        [FIELD.contractor.action]: {
          type: "static_select",
          selected_option: { value: String(managed.id), text: { type: "plain_text", text: "x" } },
        },
      },
      [FIELD.newEndDate.block]: {
        [FIELD.newEndDate.action]: { type: "datepicker", selected_date: newEnd },
      },
    },
  });
  await s.gatehouse.idle();
  const extension = s.slack.messages(CHANNELS.approval).at(-1);
  const extId = /"value":"(ext_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(extension?.blocks))?.[1];
  if (!extension || !extId) throw new Error("no extension approval message");
  await s.driver.blockAction({
    userId: CAST.approver.id,
    actionId: ACTION.extensionApprove,
    value: extId,
    message: { ts: extension.ts, channel: CHANNELS.approval },
  });
  await s.gatehouse.idle();

  at(addDays(firstDay, 1), "10:00");
  const visitorOnVisit = opens(visit.id, MAIN_ENTRANCE);
  at(addDays(firstDay, 2), "10:00");
  const visitorDayAfter = opens(visit.id, MAIN_ENTRANCE);

  // The day after the card contractor's first last day, an operator offboards the mobile contractor.
  at(addDays(firstDay, 5), "12:00");
  const cardAfterFirstLastDay = opens(card, DOCK_DOOR);
  const mobileBeforeOffboarding = opens(mobile, WORKSHOP_DOOR);
  await s.driver.command({
    command: "/offboard",
    text: "milo.mobile@contract.example",
    userId: CAST.operator.id,
  });
  await s.gatehouse.idle();
  const preview = s.slack
    .messages()
    .filter((m) => m.ephemeralTo === CAST.operator.id)
    .at(-1);
  await s.driver.blockAction({
    userId: CAST.operator.id,
    actionId: ACTION.offboardNow,
    message: { ts: preview?.ts ?? "", channel: preview?.channel ?? "" },
  });
  await s.gatehouse.idle();
  const mobileAfterOffboarding = opens(mobile, WORKSHOP_DOOR);

  // The daily job on the card contractor's new last day, after OFFBOARD_CRON's 17:00.
  at(newEnd, "17:30");
  await s.gatehouse.runDaily();
  await s.gatehouse.idle();
  const cardAfterOffboarding = opens(card, DOCK_DOOR);

  return {
    story: s,
    card,
    mobile,
    visitor: visit.id,
    opens: {
      cardOnFirstDay,
      cardAfterFirstLastDay,
      cardAfterOffboarding,
      mobileBeforeOffboarding,
      mobileAfterOffboarding,
      visitorOnVisit,
      visitorDayAfter,
    },
  };
}
