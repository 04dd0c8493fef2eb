/**
 * Property: the other modals ("Extend contract", a deny reason for a request or an extension,
 * "Bulk offboarding", "Schedule offboarding") take anything in any field from anyone and answer
 * 200: errors on their own fields, or accepted and then one direct message saying what happened.
 * No DoorFlow write happens except an operator's accepted extension; no refusal changes anything.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST } from "../../tools/sandbox/story.js";
import { BULK_EMAIL_BOXES, bulkEmailsField, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { OFFBOARD_REFUSAL } from "../../src/slack/views/offboard-preview.js";
import { provisionContractor, submitContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { anyText, dayText } from "./arbitraries.js";
import {
  doorflowWritesSince,
  type Effects,
  effects,
  expectHandledCleanly,
  expectNoEffect,
  type RejectionWatch,
  runs,
  slackCallsSince,
  submissionErrors,
  watchUnhandledRejections,
} from "./support.js";

let s: TestStory;
let rejections: RejectionWatch;
let managedIds: string[] = [];
let pendingRequests: string[] = [];
let pendingExtensions: string[] = [];
const today = () => localDateOf(new Date(), s.gatehouse.timeZone);
const column = (sql: string) =>
  (s.gatehouse.db.$client.prepare(sql).all() as Array<{ v: unknown }>).map((r) => String(r.v));

beforeAll(async () => {
  rejections = watchUnhandledRejections();
  s = await startTestStory({
    catchUp: false,
    doorflowRetry: { maxAttempts: 1, baseDelayMs: 1, maxElapsedMs: 200 },
  });
  const contractor = (n: number) => ({
    ...{ firstName: "<!channel>", lastName: `Ext${n}`, email: `ext${n}@spark.example`, company: "Spark" },
    ...{
      groupIds: [5122],
      startDate: today(),
      endDate: addDays(today(), 5 + n),
      credential: "mobile" as const,
    },
  });
  for (const n of [1, 2]) await provisionContractor(s, contractor(n));
  for (const n of [3, 4, 5, 6, 7, 8]) await submitContractor(s, contractor(n));
  managedIds = column("select id as v from managed_people");
  pendingRequests = column("select id as v from access_requests where state = 'requested'");
  for (const id of managedIds)
    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.extensionRequest,
      values: extensionValues(id, addDays(today(), 30)),
    });
  await s.gatehouse.idle();
  pendingExtensions = column("select id as v from extensions where state = 'requested'");
  expect([managedIds.length, pendingRequests.length, pendingExtensions.length]).toEqual([2, 6, 2]);
});
afterAll(async () => {
  await s?.close();
  rejections.stop();
});

function extensionValues(selected: string | null, newEnd: string | null) {
  return {
    [FIELD.contractor.block]: {
      [FIELD.contractor.action]: {
        type: "static_select",
        selected_option:
          selected === null ? null : { value: selected, text: { type: "plain_text", text: "x" } },
      },
    },
    [FIELD.newEndDate.block]: { [FIELD.newEndDate.action]: { type: "datepicker", selected_date: newEnd } },
  } as never;
}

const anyone = fc.constantFrom(...Object.values(CAST).map((p) => p.id));
const idOr = (ids: () => string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((i) => ids()[i % ids().length] ?? "") },
    { weight: 1, arbitrary: anyText },
  );
const reason = fc.oneof(
  anyText,
  fc.constantFrom("Wrong dates", "<!channel> see <https://evil.example|here>"),
  fc.constant(null),
);
const futureDay = dayText(fc.integer({ min: -2, max: 220 }).map((n) => addDays(today(), n)));

/** The direct messages the bot sent `userId` since `before`. */
const dms = (before: Effects, userId: string) =>
  slackCallsSince(s, before).filter((c) => c.method === "chat.postMessage" && c.args.channel === userId);

async function afterSubmission(before: Effects, res: { status: number; body: unknown }, blocks: string[]) {
  const errors = submissionErrors(res, blocks);
  await s.gatehouse.idle();
  expectHandledCleanly(s, before, rejections);
  if (errors) expectNoEffect(s, { ...before, doorflowCalls: s.doorflow.sandbox.calls.length });
  return errors;
}

describe("hostile decision and offboarding modals", () => {
  it('"Extend contract": errors on its fields, or an extension recorded and its requester told', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyone,
        idOr(() => managedIds),
        futureDay,
        async (userId, selected, newEnd) => {
          const before = effects(s);
          const res = await s.driver.viewSubmission({
            userId,
            callbackId: CALLBACK.extensionRequest,
            values: extensionValues(selected, newEnd),
          });
          const errors = await afterSubmission(before, res, [FIELD.contractor.block, FIELD.newEndDate.block]);
          if (!managedIds.includes(selected)) expect(errors).toHaveProperty(FIELD.contractor.block);
          // Every contractor here is the requester's: someone else who is neither approver nor operator may not.
          if (userId === CAST.stranger.id) expect(errors).toHaveProperty(FIELD.contractor.block);
          if (errors) return;
          // Only an operator's extension is applied at once; anyone else's waits for an approver.
          if (userId !== CAST.operator.id) expect(doorflowWritesSince(s, before)).toEqual([]);
          expect(dms(before, userId).length + dms(before, CAST.requester.id).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: runs(60), examples: [[CAST.operator.id, managedIds[0] ?? "", addDays(today(), 60)]] },
    );
  });

  it("a deny reason: blank is sent back, anything else decides once or is refused by direct message", async () => {
    const denyCallbacks = [
      { callbackId: CALLBACK.denyReason, ids: () => pendingRequests },
      { callbackId: CALLBACK.extensionDenyReason, ids: () => pendingExtensions },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...denyCallbacks),
        anyone,
        fc.nat(),
        fc.option(anyText, { nil: undefined }),
        reason,
        async (target, userId, pick, forged, typed) => {
          const before = effects(s);
          const res = await s.driver.viewSubmission({
            userId,
            callbackId: target.callbackId,
            privateMetadata: forged ?? target.ids()[pick % target.ids().length],
            values: {
              [FIELD.denyReason.block]: {
                [FIELD.denyReason.action]: { type: "plain_text_input", value: typed },
              },
            },
          });
          const errors = await afterSubmission(before, res, [FIELD.denyReason.block]);
          expect(errors !== null).toBe((typed ?? "").trim() === "");
          expect(doorflowWritesSince(s, before)).toEqual([]);
          if (errors) return;
          // Denied (the requester is told) or refused (the clicker is told): someone always hears.
          expect(
            slackCallsSince(s, before).filter((c) => c.method === "chat.postMessage").length,
          ).toBeGreaterThan(0);
        },
      ),
      { numRuns: runs(60), examples: [[denyCallbacks[0]!, CAST.approver.id, 0, undefined, "Wrong dates"]] },
    );
  });

  it('"Bulk offboarding": errors on the box to fix, a refusal for non-operators, or one summary', async () => {
    const line = fc.oneof(
      fc.integer({ min: 1, max: 999 }).map((n) => `nobody.${n}@nowhere.example`),
      fc.constantFrom("", "  ", "NOBODY.1@NOWHERE.EXAMPLE", "not an email", "<mailto:a@nowhere.example|a>"),
      anyText,
    );
    const box = fc.option(
      fc.array(line, { maxLength: 6 }).map((ls) => ls.join("\n")),
      { nil: null },
    );
    await fc.assert(
      fc.asyncProperty(
        anyone,
        fc.array(box, { minLength: BULK_EMAIL_BOXES, maxLength: BULK_EMAIL_BOXES }),
        async (userId, boxes) => {
          const before = effects(s);
          const values = Object.fromEntries(
            boxes.map((text, i) => {
              const f = bulkEmailsField(i + 1);
              return [f.block, { [f.action]: { type: "plain_text_input", value: text } }];
            }),
          );
          const res = await s.driver.viewSubmission({ userId, callbackId: CALLBACK.offboardBulk, values });
          const blocks = boxes.map((_, i) => bulkEmailsField(i + 1).block);
          const errors = await afterSubmission(before, res, blocks);
          expect(doorflowWritesSince(s, before)).toEqual([]);
          if (userId !== CAST.operator.id) {
            expect(errors).not.toBeNull();
            return;
          }
          if (errors) return;
          expect(slackCallsSince(s, before).some((c) => JSON.stringify(c.args).includes("not found"))).toBe(
            true,
          );
        },
      ),
      {
        numRuns: runs(50),
        examples: [[CAST.operator.id, ["nobody.1@nowhere.example", null, null, null, null, null]]],
      },
    );
  });

  async function trySchedule(userId: string, personId: string, lastDay: string | null, before = effects(s)) {
    const res = await s.driver.viewSubmission({
      userId,
      callbackId: CALLBACK.offboardSchedule,
      privateMetadata: personId,
      values: {
        [FIELD.lastDay.block]: { [FIELD.lastDay.action]: { type: "datepicker", selected_date: lastDay } },
      },
    });
    const errors = await afterSubmission(before, res, [FIELD.lastDay.block]);
    expect(doorflowWritesSince(s, before)).toEqual([]);
    if (userId !== CAST.operator.id) expect(errors).toEqual({ [FIELD.lastDay.block]: OFFBOARD_REFUSAL });
    if (!errors) expect(dms(before, userId)).toHaveLength(1);
  }

  it('"Schedule offboarding": a refusal for non-operators, errors on the day, or a direct message', async () => {
    const seeded = () => Array.from({ length: 20 }, (_, i) => String(40201 + i));
    await fc.assert(
      fc.asyncProperty(anyone, idOr(seeded), futureDay, (userId, personId, lastDay) =>
        trySchedule(userId, personId, lastDay),
      ),
      {
        numRuns: runs(50),
        examples: [
          [CAST.operator.id, "40201", addDays(today(), 3)],
          // Counterexample of HOSTILE_RUNS=4000 (seed -863675312); see the test below.
          [CAST.requester.id, "40206", "\u202e\u2066evil"],
        ],
      },
    );
  });

  // That counterexample was refused cleanly: the DoorFlow write blamed on it was a sync wanted
  // earlier (provisioning in beforeAll), put off by DoorFlow's 429 (about one sync a 30 s), which the
  // bot's timer sent by itself while this input was being tried. Here it goes out in that window.
  it('"Schedule offboarding": a sync put off earlier and going out meanwhile is not the input\'s write', async () => {
    const before = effects(s);
    s.doorflow.sandbox.state.account.lastSyncAt = null;
    // What the sync scheduler's put-off timer does when it fires.
    await expect(s.gatehouse.doorflow.requestSync()).resolves.toEqual({ status: "requested" });
    await trySchedule(CAST.requester.id, "40206", "\u202e\u2066evil", before);
  });
});
