/**
 * The contractor story end to end: a signed /contractor, the modal, a submitted form, the approval
 * message, an approver's click, DoorFlow's state, and the requester's direct message with the PIN.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { findOffboardingForRequest } from "../../src/db/repositories/offboardings.js";
import { addDays, endOfLocalDay, localDateOf, rfc3339In } from "../../src/lib/time.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { contractorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const LOADING_DOCK = 5122;
const WORKSHOP = 5123;

let story: TestStory | undefined;
afterEach(async () => {
  await story?.close();
  story = undefined;
});

function today(s: TestStory): string {
  return localDateOf(new Date(), s.gatehouse.timeZone);
}

async function requestContractor(s: TestStory, overrides: Parameters<typeof contractorValues>[0] = {}) {
  const start = today(s);
  return s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.contractorRequest,
    values: contractorValues({
      firstName: "Jo",
      lastName: "Builder",
      email: "jo.builder@acme-fitouts.example",
      company: "Acme Fit-outs",
      groupIds: [LOADING_DOCK, WORKSHOP],
      startDate: start,
      endDate: addDays(start, 30),
      credential: "card",
      cardNumber: "88012345",
      ...overrides,
    }),
  });
}

function approvalRequestId(s: TestStory): string {
  const posted = s.slack.messages(CHANNELS.approval).at(-1);
  const actions = (
    posted?.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>
  ).find((b) => b.type === "actions");
  const approve = actions?.elements?.find((e) => e.action_id === ACTION.approve);
  if (!approve) throw new Error("no Approve button in the approval message");
  return approve.value;
}

describe("contractor access from Slack", () => {
  it("opens the modal, records the request, provisions on approval and DMs the card and PIN", async () => {
    story = await startTestStory();
    const s = story;

    const command = await s.driver.command({ command: "/contractor", text: "", userId: CAST.requester.id });
    expect(command.status).toBe(200);
    const opened = await s.slack.waitFor("views.open");
    expect(JSON.stringify(opened.args.view)).toContain("New contractor");
    await s.gatehouse.idle();
    const lastView = [...s.slack.views.values()].at(-1)?.view;
    expect(JSON.stringify(lastView)).toContain("Loading dock");

    const submitted = await requestContractor(s);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe("");
    await s.gatehouse.idle();

    const approval = s.slack.messages(CHANNELS.approval).at(-1);
    expect(approval?.text).toContain("Jo Builder");
    const requestId = approvalRequestId(s);
    const pending = getAccessRequest(s.gatehouse.db, requestId);
    expect(pending?.state).toBe("requested");
    // The end of access is on record from the approval on, before any DoorFlow write.
    expect(findOffboardingForRequest(s.gatehouse.db, requestId)).toBeUndefined();

    const click = await s.driver.blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.approve,
      value: requestId,
      message: { ts: approval?.ts ?? "", channel: CHANNELS.approval },
    });
    expect(click.status).toBe(200);
    await s.gatehouse.idle();

    const request = getAccessRequest(s.gatehouse.db, requestId);
    expect(request?.state).toBe("active");
    expect(request?.decidedBy).toBe(CAST.approver.id);

    const person = s.doorflow.sandbox.personBySystemId(requestId);
    expect(person).toMatchObject({
      firstName: "Jo",
      lastName: "Builder",
      enabled: true,
      // Date-times with the zone's offset: valid until the end of the last day, not its midnight.
      validTo: rfc3339In(endOfLocalDay(addDays(today(s), 30), s.gatehouse.timeZone), s.gatehouse.timeZone),
    });
    expect(person?.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
    const credentials = s.doorflow.sandbox.state.credentials.filter((c) => c.personId === person?.id);
    const card = credentials.find(
      (c) => c.credentialTypeId === s.doorflow.sandbox.credentialTypeId("card_number"),
    );
    const pin = credentials.find((c) => c.credentialTypeId === s.doorflow.sandbox.credentialTypeId("pin"));
    expect(card?.value).toBe("88012345");
    expect(pin?.value).toMatch(/^\d{4,}$/);
    const reservations = s.doorflow.sandbox.state.groupReservations.filter((g) => g.personId === person?.id);
    expect(reservations).toHaveLength(1);
    expect(reservations[0]?.groupIds.sort()).toEqual([LOADING_DOCK, WORKSHOP]);

    const offboarding = findOffboardingForRequest(s.gatehouse.db, requestId);
    expect(offboarding).toMatchObject({
      doorflowPersonId: person?.id,
      lastDay: addDays(today(s), 30),
      status: "scheduled",
    });

    // The direct message to the requester carries the card number and the PIN; nothing else does.
    const dm = s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CAST.requester.id);
    const withPin = dm.filter((c) => JSON.stringify(c.args).includes(pin?.value ?? "no-pin"));
    expect(withPin).toHaveLength(1);
    expect(JSON.stringify(withPin[0]?.args)).toContain("88012345");
    const elsewhere = s.slack.calls.filter(
      (c) => c !== withPin[0] && JSON.stringify(c.args).includes(pin?.value ?? "no-pin"),
    );
    expect(elsewhere).toEqual([]);

    // The approval message was updated in place: no buttons, who decided.
    const updated = s.slack.callsTo("chat.update").at(-1);
    expect(JSON.stringify(updated?.args)).toContain(CAST.approver.id);
    expect(JSON.stringify(updated?.args)).not.toContain(ACTION.approve);
  });
});
