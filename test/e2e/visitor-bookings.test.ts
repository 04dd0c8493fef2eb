/**
 * A visitor's reservation is known by the id Gatehouse recorded, not by DoorFlow's list: per the
 * spec `GET /reservations` lists *future* reservations, so a visit that has begun is not in it.
 * A reservation POST whose answer was lost (the bot stopped while DoorFlow carried it out) is not
 * made twice on restart, and "Offboard now" ends the visit's current reservation by its id.
 */
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { listBookingsOfRequest } from "../../src/db/repositories/bookings.js";
import { auditEvents } from "../../src/db/schema.js";
import { localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { approve, latestApproval } from "../helpers/flows.js";
import { visitorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { until } from "../helpers/until.js";

const stories: TestStory[] = [];
afterEach(async () => {
  for (const s of stories.splice(0).reverse()) await s.close();
});

const EMAIL = "vic.visit@guests.example";
const RESERVATIONS = /^\/api\/3\/reservations$/;

describe("a visitor's reservation, known by its recorded id", () => {
  it("is made once when its answer was lost, and Offboard now ends it though DoorFlow no longer lists it", async () => {
    const first = await startTestStory();
    stories.push(first);
    // DoorFlow creates the reservation, but the answer comes after the bot is gone.
    first.doorflow.sandbox.faults.add({
      method: "POST",
      path: RESERVATIONS,
      latencyMs: 1_500,
      processed: true,
      times: 1,
    });
    await first.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.visitorRequest,
      values: visitorValues({
        firstName: "Vic",
        lastName: "Visit",
        email: EMAIL,
        company: "Guests Ltd",
        doorIds: [1340],
        visitDate: localDateOf(new Date(), first.gatehouse.timeZone),
      }),
    });
    await first.gatehouse.idle();
    const message = first.slack.messages(CHANNELS.approval).at(-1);
    const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1] ?? "";
    expect(id).not.toBe("");
    void first.driver.blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.approve,
      value: id,
      message: { ts: message?.ts ?? "", channel: CHANNELS.approval },
    });
    await until(
      () => first.doorflow.sandbox.calls.some((c) => c.method === "POST" && RESERVATIONS.test(c.path)),
      "the reservation POST",
    );
    // The attempt is on record before the POST goes out.
    expect(listBookingsOfRequest(first.gatehouse.db, id).map((b) => b.kind)).toContain("reservation");
    await first.gatehouse.stop().catch(() => undefined);

    const later = () => new Date(Date.now() + 3 * 60_000);
    const second = await startTestStory({
      sandbox: first.doorflow,
      slack: first.slack,
      databaseFile: first.databaseFile,
      now: later,
    });
    stories.push(second);
    await until(
      () => getAccessRequest(second.gatehouse.db, id)?.state === "active",
      "the visit to be active",
    );
    await second.gatehouse.idle();

    const sandbox = first.doorflow.sandbox;
    const people = sandbox.state.people.filter((p) => p.email === EMAIL);
    expect(people).toHaveLength(1);
    const personId = people[0]?.id ?? -1;
    const reservations = sandbox.state.reservations.filter((r) => r.personId === personId);
    expect(reservations).toHaveLength(1);
    // The id Gatehouse recorded is DoorFlow's.
    expect(listBookingsOfRequest(second.gatehouse.db, id).map((b) => b.doorflowId)).toContain(
      reservations[0]?.id,
    );

    // The visit has begun: DoorFlow's list of (future) reservations does not hold it any more.
    const listed = await second.gatehouse.doorflow.listReservations({ personId });
    expect(listed.map((r) => r.id)).not.toContain(reservations[0]?.id);

    const before = second.slack.callsTo("response_url").length;
    await second.driver.command({ command: "/offboard", text: EMAIL, userId: CAST.operator.id });
    await second.gatehouse.idle();
    expect(second.slack.callsTo("response_url").length).toBe(before + 1);
    const preview = second.slack
      .messages()
      .filter((m) => m.ephemeralTo === CAST.operator.id)
      .at(-1);
    await second.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardNow,
      value: String(personId),
      message: { ts: preview?.ts ?? "", channel: preview?.channel ?? "" },
    });
    await second.gatehouse.idle();

    expect(sandbox.state.people.find((p) => p.id === personId)?.enabled).toBe(false);
    expect(sandbox.state.reservations.filter((r) => r.personId === personId)).toHaveLength(0);
    expect(
      sandbox.calls.some(
        (c) => c.method === "DELETE" && c.path === `/api/3/reservations/${reservations[0]?.id}`,
      ),
    ).toBe(true);
  });

  // Crash bench seed 932164: an offboarding's DELETE of the reservation was carried out, but the bot
  // was killed before it recorded the reservation ended; every later attempt asked DoorFlow to delete
  // it again, got 404, and failed the person for ever.
  it("offboards a visitor whose recorded reservation an earlier, killed attempt already deleted", async () => {
    const s = await startTestStory();
    stories.push(s);
    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.visitorRequest,
      values: visitorValues({
        firstName: "Kim",
        lastName: "Killed",
        email: "kim.killed@guests.example",
        company: "Guests Ltd",
        doorIds: [1340],
        visitDate: localDateOf(new Date(), s.gatehouse.timeZone),
      }),
    });
    await s.gatehouse.idle();
    const request = latestApproval(s);
    await approve(s, request);
    expect(getAccessRequest(s.gatehouse.db, request.id)?.state).toBe("active");
    const sandbox = s.doorflow.sandbox;
    const personId = sandbox.state.people.find((p) => p.email === "kim.killed@guests.example")?.id ?? -1;
    const reservation = sandbox.state.reservations.find((r) => r.personId === personId);
    expect(reservation).toBeDefined();
    // The killed attempt's DELETE reached DoorFlow; its record of the reservation ending did not.
    await s.gatehouse.doorflow.deleteReservation(reservation?.id ?? -1);
    expect(listBookingsOfRequest(s.gatehouse.db, request.id).map((b) => b.status)).toContain("live");

    await s.driver.command({
      command: "/offboard",
      text: "kim.killed@guests.example",
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
      value: String(personId),
      message: { ts: preview?.ts ?? "", channel: preview?.channel ?? "" },
    });
    await s.gatehouse.idle();

    expect(sandbox.state.people.find((p) => p.id === personId)?.enabled).toBe(false);
    const outcomes = s.gatehouse.db
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.doorflowPersonId, personId), eq(auditEvents.actor, CAST.operator.id)))
      .all()
      .filter((a) => a.action.startsWith("offboard."));
    expect(outcomes.map((a) => [a.action, a.details?.error])).toEqual([["offboard.completed", undefined]]);
    expect(listBookingsOfRequest(s.gatehouse.db, request.id).map((b) => b.status)).not.toContain("live");
  });
});
