/**
 * What the fault scenarios found, pinned down one by one so they cannot come back: a provisioning
 * retry after the contract was offboarded handed the access back; a request submitted while
 * DoorFlow could not list the doors answered Slack with a 500; a bulk alert too long for one Slack
 * message lost its last people without a word. (DoorFlow down for the whole daily run is the light
 * scenario of the same name in faults.test.ts.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { getAccessRequest, listRequestsByEmail } from "../../src/db/repositories/access-requests.js";
import { zonedInstant } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { buildSecurityAlert } from "../../src/slack/views/security-alert.js";
import { visitorValues } from "../helpers/forms.js";
import { approveAll, requestIdsOf, submitRequests } from "./drive.js";
import { DAY_ONE, requestForms, startWorld, VISIT_DAY, type World, ZONE } from "./world.js";

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("found under faults", () => {
  it("does not set up access again once the contract was offboarded while provisioning waited to retry", async () => {
    world = await startWorld({ seed: 21 });
    const s = world.story;
    const removeFault = s.doorflow.sandbox.faults.add({
      method: "POST",
      path: "/api/3/group_reservations",
      status: 503,
    });
    const forms = requestForms(
      { contractors: 1, dueContractors: 1, visitors: 0, offboardNow: 0, bulk: 0 },
      "race",
    );
    await submitRequests(s, forms);
    const [id] = requestIdsOf(s, forms).ids;
    await approveAll(s, [id as string]);
    expect(getAccessRequest(s.gatehouse.db, id as string)).toMatchObject({
      state: "approved",
      step: "access",
    });

    world.clock.set(zonedInstant(DAY_ONE, "17:05", ZONE));
    await s.gatehouse.runDaily();
    await s.gatehouse.idle();
    const person = s.doorflow.sandbox.personBySystemId(id as string);
    expect(person?.enabled).toBe(false);

    removeFault();
    world.clock.advanceMinutes(20);
    await s.gatehouse.housekeeping();
    await s.gatehouse.idle();

    const request = getAccessRequest(s.gatehouse.db, id as string);
    expect(request?.state).toBe("failed");
    expect(request?.lastError).toContain("offboarded before their access was fully set up");
    expect(s.doorflow.sandbox.personBySystemId(id as string)?.enabled).toBe(false);
    expect(s.doorflow.sandbox.state.groupReservations.filter((g) => g.personId === person?.id)).toEqual([]);
    // No card and PIN for someone whose access has ended, and the security channel heard once.
    expect(s.slack.messages().filter((m) => JSON.stringify(m.blocks).includes(ACTION.showPin))).toEqual([]);
    const alerts = s.slack.messages(CHANNELS.security).filter((m) => m.text.startsWith("Access for"));
    expect(alerts).toHaveLength(1);
  });

  it("asks to submit again, recording nothing, when DoorFlow cannot list the doors to check a visitor", async () => {
    world = await startWorld({ seed: 22 });
    const s = world.story;
    const removeFault = s.doorflow.sandbox.faults.add({
      method: "GET",
      path: "/api/3/channels",
      status: 503,
    });
    const submit = () =>
      s.driver.viewSubmission({
        userId: CAST.requester.id,
        callbackId: CALLBACK.visitorRequest,
        values: visitorValues({
          firstName: "Vera",
          lastName: "Visit",
          email: "vera@visitors.example",
          company: "Guests Ltd",
          doorIds: [1340],
          visitDate: VISIT_DAY,
        }),
      });
    const refused = await submit();
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ response_action: "errors" });
    expect(JSON.stringify(refused.body)).toContain("submit it again in a minute");
    await s.gatehouse.idle();
    expect(listRequestsByEmail(s.gatehouse.db, "vera@visitors.example")).toEqual([]);

    removeFault();
    const accepted = await submit();
    expect(accepted).toMatchObject({ status: 200, body: "" });
    await s.gatehouse.idle();
    expect(listRequestsByEmail(s.gatehouse.db, "vera@visitors.example")).toHaveLength(1);
  });

  it("keeps whole lines in an alert too long for Slack and says how many more there are", () => {
    const failures = Array.from(
      { length: 30 },
      (_, i) =>
        `• leaver${i}@staff.example: DoorFlow failed to list reservations (502, request id 0d190e0a-bdb7-48ab-bc72-76e51f3745ed): try again in a few minutes.`,
    );
    const message = buildSecurityAlert({
      title: "Bulk offboarding: 30 of 30 failed",
      lines: ["Started by <@U0OPERATE1>.", ...failures],
    });
    const body = JSON.stringify(message.blocks);
    const text = (message.blocks[1] as { text: { text: string } }).text.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    const shown = text.split("\n").slice(1, -1);
    expect(shown.length).toBeGreaterThan(10);
    expect(shown).toEqual(failures.slice(0, shown.length));
    expect(text.split("\n").at(-1)).toBe(`…and ${30 - shown.length} more: see the audit trail.`);
    expect(body).not.toContain(`leaver${shown.length}@`);
  });
});
