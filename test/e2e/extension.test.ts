/**
 * Extending a contract: the requester asks from the reminder's "Extend" or /contractor extend, an
 * approver approves, and DoorFlow gets a new group reservation to the new end (the old one is
 * removed after, so there is no gap), valid_to moves, the offboarding moves and reminders re-arm.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import { findManagedByRequest } from "../../src/db/repositories/managed-people.js";
import { findOffboardingForRequest, findOpenOffboarding } from "../../src/db/repositories/offboardings.js";
import { addDays, endOfLocalDay, formatLocalDate, localDateOf, rfc3339In } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { provisionContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
beforeAll(async () => {
  s = await startTestStory();
});
afterAll(async () => {
  await s.close();
});

const today = () => localDateOf(new Date(), s.gatehouse.timeZone);

function provisioned(email: string, endInDays: number): Promise<string> {
  return provisionContractor(s, {
    firstName: "Ext",
    lastName: "Ender",
    email,
    company: "Longer Ltd",
    groupIds: [5122, 5125],
    startDate: today(),
    endDate: addDays(today(), endInDays),
    credential: "mobile",
  });
}

function extensionValues(managedId: number, newEnd: string) {
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

describe("contract extension", () => {
  it("is approved by an approver, then replaces the group reservation and moves valid_to and the offboarding", async () => {
    const id = await provisioned("ext.ender@longer.example", 10);
    const managed = findManagedByRequest(s.gatehouse.db, id);
    expect(managed).toBeDefined();
    const oldReservation = managed?.groupReservationId;
    const newEnd = addDays(today(), 40);

    await s.driver.command({
      command: "/contractor",
      text: "extend <mailto:ext.ender@longer.example|ext.ender@longer.example>",
      userId: CAST.requester.id,
    });
    await s.gatehouse.idle();
    const modal = await s.slack.waitFor("views.open", (a) =>
      JSON.stringify(a.view).includes(CALLBACK.extensionRequest),
    );
    expect(JSON.stringify(modal.args.view)).toContain("Ext Ender");

    const tooEarly = await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.extensionRequest,
      values: extensionValues(managed?.id ?? 0, addDays(today(), 5)),
    });
    expect(tooEarly.body).toMatchObject({
      response_action: "errors",
      errors: { [FIELD.newEndDate.block]: expect.stringContaining("after the current end date") },
    });

    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.extensionRequest,
      values: extensionValues(managed?.id ?? 0, newEnd),
    });
    await s.gatehouse.idle();
    const message = s.slack.messages(CHANNELS.approval).at(-1);
    expect(message?.text).toContain("Extension for Ext Ender");
    const extId = /"value":"(ext_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1] ?? "";

    // The requester cannot approve their own extension; an approver can.
    await s.driver.blockAction({
      userId: CAST.requester.id,
      actionId: ACTION.extensionApprove,
      value: extId,
      message: { ts: message?.ts ?? "", channel: CHANNELS.approval },
    });
    await s.gatehouse.idle();
    expect(findManagedByRequest(s.gatehouse.db, id)?.endDate).toBe(addDays(today(), 10));
    await s.driver.blockAction({
      userId: CAST.approver2.id,
      actionId: ACTION.extensionApprove,
      value: extId,
      message: { ts: message?.ts ?? "", channel: CHANNELS.approval },
    });
    await s.gatehouse.idle();

    const after = findManagedByRequest(s.gatehouse.db, id);
    expect(after?.endDate).toBe(newEnd);
    expect(after?.groupReservationId).not.toBe(oldReservation);
    const sandbox = s.doorflow.sandbox;
    const person = sandbox.personBySystemId(id);
    expect(person?.validTo).toBe(
      rfc3339In(endOfLocalDay(newEnd, s.gatehouse.timeZone), s.gatehouse.timeZone),
    );
    // The active group reservation is left alone (deleting it would take the groups away now);
    // the extension is a second one chained to start where the first ends, pending until then.
    const live = sandbox.state.groupReservations
      .filter((g) => g.personId === person?.id && g.deactivatedAt === null)
      .sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    expect(live.map((g) => g.id)).toEqual([oldReservation, after?.groupReservationId]);
    expect(live[1]?.startTime.getTime()).toBe(live[0]?.endTime.getTime());
    expect(live[1]?.endTime.getTime()).toBe(endOfLocalDay(newEnd, s.gatehouse.timeZone).getTime());
    expect(live[1]?.groupIds.sort()).toEqual([5122, 5125]);
    expect(person?.groupIds).toEqual([]);
    // Nothing to alert: the read-back found the groups, valid_to and the chain.
    expect(s.slack.messages(CHANNELS.security).filter((m) => String(m.text).includes("Extension"))).toEqual(
      [],
    );
    expect(
      findOffboardingForRequest(s.gatehouse.db, id)?.lastDay ??
        findOpenOffboarding(s.gatehouse.db, person?.id ?? 0)?.lastDay,
    ).toBe(newEnd);
    const told = s.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === CAST.requester.id && String(c.args.text).includes("now ends"));
    expect(told).toHaveLength(1);
    const updated = s.slack.messages(CHANNELS.approval).find((m) => m.ts === message?.ts);
    expect(JSON.stringify(updated?.blocks)).not.toContain(ACTION.extensionApprove);
  });

  it("lets an operator extend directly from the reminder's Extend button", async () => {
    const id = await provisioned("op.extend@longer.example", 7);
    const managed = findManagedByRequest(s.gatehouse.db, id);
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.extend,
      value: String(managed?.id),
    });
    await s.gatehouse.idle();
    await s.driver.viewSubmission({
      userId: CAST.operator.id,
      callbackId: CALLBACK.extensionRequest,
      values: extensionValues(managed?.id ?? 0, addDays(today(), 20)),
    });
    await s.gatehouse.idle();
    expect(findManagedByRequest(s.gatehouse.db, id)?.endDate).toBe(addDays(today(), 20));
    expect(s.doorflow.sandbox.personBySystemId(id)?.validTo).toBe(
      rfc3339In(endOfLocalDay(addDays(today(), 20), s.gatehouse.timeZone), s.gatehouse.timeZone),
    );
  });

  it("records a stranger's refused Approve and Deny in the audit trail", async () => {
    const id = await provisioned("refused.ext@longer.example", 10);
    const managed = findManagedByRequest(s.gatehouse.db, id);
    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.extensionRequest,
      values: extensionValues(managed?.id ?? 0, addDays(today(), 30)),
    });
    await s.gatehouse.idle();
    const message = s.slack.messages(CHANNELS.approval).at(-1);
    const extId = /"value":"(ext_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1] ?? "";
    for (const actionId of [ACTION.extensionApprove, ACTION.extensionDeny]) {
      await s.driver.blockAction({
        userId: CAST.stranger.id,
        actionId,
        value: extId,
        message: { ts: message?.ts ?? "", channel: CHANNELS.approval },
      });
    }
    await s.gatehouse.idle();
    const refused = listAuditFor(s.gatehouse.db, { email: "refused.ext@longer.example" })
      .filter((e) => e.action === "extension.decision_refused")
      .map((e) => [e.actor, e.outcome, (e.details as { attempted?: string }).attempted]);
    expect(refused).toEqual([
      [CAST.stranger.id, "failed", "approve"],
      [CAST.stranger.id, "failed", "deny"],
    ]);
  });

  it("answers Deny on an unknown or oversized extension id with a message, never a modal", async () => {
    for (const value of ["ext_gone", "é".repeat(2000)]) {
      const before = s.slack.calls.length;
      const res = await s.driver.blockAction({
        userId: CAST.approver2.id,
        actionId: ACTION.extensionDeny,
        value,
        message: { ts: "1.0", channel: CHANNELS.approval },
      });
      expect(res.status).toBe(200);
      await s.gatehouse.idle();
      const calls = s.slack.calls.slice(before);
      expect(calls.map((c) => c.method)).not.toContain("views.open");
      expect(calls.find((c) => c.method === "response_url")?.args.text).toBe(
        "This extension no longer exists.",
      );
    }
  });
});

describe("an extension and an operator's scheduled offboarding", () => {
  const validTo = (day: string) => rfc3339In(endOfLocalDay(day, s.gatehouse.timeZone), s.gatehouse.timeZone);

  const schedule = async (personId: number, lastDay: string) => {
    const res = await s.driver.viewSubmission({
      userId: CAST.operator.id,
      callbackId: CALLBACK.offboardSchedule,
      privateMetadata: String(personId),
      values: {
        [FIELD.lastDay.block]: { [FIELD.lastDay.action]: { type: "datepicker", selected_date: lastDay } },
      },
    });
    expect(res.body).toBe("");
    await s.gatehouse.idle();
  };

  /** The requester asks (the modal opened from /contractor extend), an approver approves. */
  const askAndApprove = async (email: string, managedId: number, newEnd: string) => {
    const opened = s.slack.callsTo("views.open").length;
    await s.driver.command({ command: "/contractor", text: `extend ${email}`, userId: CAST.requester.id });
    await s.gatehouse.idle();
    const modal = JSON.stringify(s.slack.callsTo("views.open").slice(opened).at(-1)?.args.view);
    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.extensionRequest,
      values: extensionValues(managedId, newEnd),
    });
    await s.gatehouse.idle();
    const message = s.slack.messages(CHANNELS.approval).at(-1);
    const requested = JSON.stringify(message?.blocks);
    const extId = /"value":"(ext_[A-Za-z0-9_-]+)"/.exec(requested)?.[1] ?? "";
    await s.driver.blockAction({
      userId: CAST.approver2.id,
      actionId: ACTION.extensionApprove,
      value: extId,
      message: { ts: message?.ts ?? "", channel: CHANNELS.approval },
    });
    await s.gatehouse.idle();
    const decided = JSON.stringify(
      s.slack.messages(CHANNELS.approval).find((m) => m.ts === message?.ts)?.blocks,
    );
    const told = s.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === CAST.requester.id)
      .at(-1)?.args.text;
    return { modal, requested, decided, told: JSON.stringify(told) };
  };

  it("never moves an earlier scheduled last day later, and says so on the form and the message", async () => {
    const id = await provisioned("early.stop@longer.example", 10);
    const managed = findManagedByRequest(s.gatehouse.db, id);
    const person = s.doorflow.sandbox.personBySystemId(id);
    const reservation = managed?.groupReservationId;
    const lastDay = addDays(today(), 2);
    await schedule(person?.id ?? 0, lastDay);

    const seen = await askAndApprove("early.stop@longer.example", managed?.id ?? 0, addDays(today(), 40));
    const note = `Offboarding scheduled by <@${CAST.operator.id}> for ${formatLocalDate(lastDay)} — an extension does not change it`;
    expect(seen.modal).toContain(note);
    expect(seen.requested).toContain(note);
    expect(seen.decided).toContain(note);
    expect(seen.told).toContain(formatLocalDate(lastDay));

    const open = findOpenOffboarding(s.gatehouse.db, person?.id ?? 0);
    expect(open).toMatchObject({ reason: "scheduled", lastDay, requestedBy: CAST.operator.id });
    const after = findManagedByRequest(s.gatehouse.db, id);
    expect(after?.endDate).toBe(addDays(today(), 10));
    expect(after?.groupReservationId).toBe(reservation);
    expect(s.doorflow.sandbox.personBySystemId(id)?.validTo).toBe(validTo(addDays(today(), 10)));
  });

  it("extends a contract only up to a scheduled last day after its end", async () => {
    const id = await provisioned("late.stop@longer.example", 10);
    const managed = findManagedByRequest(s.gatehouse.db, id);
    const person = s.doorflow.sandbox.personBySystemId(id);
    const lastDay = addDays(today(), 20);
    await schedule(person?.id ?? 0, lastDay);

    const seen = await askAndApprove("late.stop@longer.example", managed?.id ?? 0, addDays(today(), 40));
    expect(seen.decided).toContain("an extension does not change it");
    expect(findManagedByRequest(s.gatehouse.db, id)?.endDate).toBe(lastDay);
    expect(s.doorflow.sandbox.personBySystemId(id)?.validTo).toBe(validTo(lastDay));
    expect(findOpenOffboarding(s.gatehouse.db, person?.id ?? 0)).toMatchObject({
      reason: "scheduled",
      lastDay,
    });
  });
});
