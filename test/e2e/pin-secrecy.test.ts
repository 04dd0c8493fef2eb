/**
 * The PIN appears in exactly one place: the requester's direct message. Not in a log line (the
 * whole story runs at DEBUG), not in the database file or its WAL, not in any other Slack call.
 * The DoorFlow token and the Slack bot token and signing secret are not in the logs either.
 */
import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { BOT_TOKEN, CAST, CHANNELS, SIGNING_SECRET } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { contractorValues, visitorValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory | undefined;
const DOORFLOW_TOKEN = "dftok_5ecret_9f8e7d6c5b4a";
afterAll(async () => {
  await s?.close();
});

async function approveLatest(story: TestStory): Promise<string> {
  const message = story.slack.messages(CHANNELS.approval).at(-1);
  const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1] ?? "";
  await story.driver.blockAction({
    userId: CAST.approver.id,
    actionId: ACTION.approve,
    value: id,
    message: { ts: message?.ts ?? "", channel: CHANNELS.approval },
  });
  await story.gatehouse.idle();
  return id;
}

describe("PIN secrecy", () => {
  it("keeps PINs and tokens out of logs, the database and every Slack call but the requester's DM", async () => {
    s = await startTestStory({ env: { LOG_LEVEL: "debug" }, doorflow: { token: DOORFLOW_TOKEN } });
    const today = localDateOf(new Date(), s.gatehouse.timeZone);
    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.contractorRequest,
      values: contractorValues({
        firstName: "Pia",
        lastName: "Secret",
        email: "pia@secret.example",
        company: "Hush Ltd",
        groupIds: [5121],
        startDate: today,
        endDate: addDays(today, 20),
        credential: "card",
        cardNumber: "55501234",
      }),
    });
    await s.gatehouse.idle();
    const contractorId = await approveLatest(s);
    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.visitorRequest,
      values: visitorValues({
        firstName: "Vic",
        lastName: "Visitor",
        company: "Guests Inc",
        doorIds: [1340, 1341],
        visitDate: today,
      }),
    });
    await s.gatehouse.idle();
    const visitorId = await approveLatest(s);

    const sandbox = s.doorflow.sandbox;
    const pins = [contractorId, visitorId].map((id) => {
      const person = sandbox.personBySystemId(id);
      return (
        sandbox.state.credentials.find(
          (c) => c.personId === person?.id && c.credentialTypeId === sandbox.credentialTypeId("pin"),
        )?.value ?? ""
      );
    });
    expect(pins.every((p) => /^\d{4,}$/.test(p))).toBe(true);

    // The visitor's access is one reservation on the visit day for the chosen doors.
    const visitor = sandbox.personBySystemId(visitorId);
    const reservations = sandbox.state.reservations.filter((r) => r.personId === visitor?.id);
    expect(reservations).toHaveLength(1);
    expect(reservations[0]?.channelIds.sort()).toEqual([1340, 1341]);

    // Show PIN reads it back from DoorFlow into a modal only the requester sees.
    const stranger = await s.driver.blockAction({
      userId: CAST.stranger.id,
      actionId: ACTION.showPin,
      value: contractorId,
      message: { ts: "1.1", channel: CAST.stranger.id },
    });
    expect(stranger.status).toBe(200);
    await s.driver.blockAction({ userId: CAST.requester.id, actionId: ACTION.showPin, value: contractorId });
    await s.gatehouse.idle();

    await s.stopBot();
    const wal = `${s.databaseFile}-wal`;
    const dbBytes = Buffer.concat([
      readFileSync(s.databaseFile),
      existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0),
    ]).toString("latin1");
    const logs = s.logLines.join("\n");
    expect(s.logLines.length).toBeGreaterThan(20);
    expect(logs).toContain('"level":"debug"');
    for (const pin of pins) {
      expect(logs).not.toContain(pin);
      expect(dbBytes).not.toContain(pin);
      const carrying = s.slack.calls.filter((c) => JSON.stringify(c.args).includes(pin));
      expect(carrying.length).toBeGreaterThanOrEqual(1);
      for (const call of carrying) {
        const toRequester =
          call.args.channel === CAST.requester.id ||
          (call.method === "views.open" && JSON.stringify(call.args).includes("pin_view"));
        expect({ method: call.method, toRequester }).toEqual({ method: call.method, toRequester: true });
      }
    }
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, DOORFLOW_TOKEN]) {
      expect(logs).not.toContain(secret);
      expect(dbBytes).not.toContain(secret);
      expect(s.slack.calls.filter((c) => JSON.stringify(c.args).includes(secret))).toEqual([]);
    }
    // The stranger's Show PIN opened nothing.
    const pinViews = s.slack.callsTo("views.open").filter((c) => JSON.stringify(c.args).includes("pin_view"));
    expect(pinViews).toHaveLength(1);
  });
});
