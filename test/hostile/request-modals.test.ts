/**
 * Property: any "New contractor" or "New visitor" submission, with anything in any field (hostile
 * text, forged select values, impossible dates, missing or mistyped elements), is answered 200 at
 * once: either the errors on the fields that need fixing and nothing recorded, or the request
 * recorded once, posted for approval and confirmed to the requester, all safe to show in Slack.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { CALLBACK, FIELD, type FieldName } from "../../src/slack/ids.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { contractorForms, type Form, type State, stateValues, visitorForms } from "./request-forms.js";
import {
  doorflowWritesSince,
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
beforeAll(async () => {
  rejections = watchUnhandledRejections();
  s = await startTestStory({ catchUp: false });
  // The Slack guard learns the bot's own ids (auth.test, bots.info) at start, in the background:
  // one request first, so those calls do not land inside the first property's "no effect" window.
  await s.driver.command({ command: "/contractor", text: "help", userId: CAST.requester.id });
  await s.gatehouse.idle();
});
afterAll(async () => {
  await s?.close();
  rejections.stop();
});

const today = () => localDateOf(new Date(), s.gatehouse.timeZone);

const CONTRACTOR_BLOCKS = [
  "firstName",
  "lastName",
  "email",
  "company",
  "accessGroups",
  "startDate",
  "endDate",
  "credential",
  "cardNumber",
  "notes",
].map((f) => FIELD[f as FieldName].block);
const VISITOR_BLOCKS = ["firstName", "lastName", "email", "company", "doors", "visitDate"].map(
  (f) => FIELD[f as FieldName].block,
);

const requestCount = () =>
  (s.gatehouse.db.$client.prepare("select count(*) as n from access_requests").get() as { n: number }).n;

/** An email someone already asked for and that is still open: refused on the email field, by design. */
const alreadyAskedFor = (state: State | undefined) =>
  typeof state?.value === "string" &&
  s.gatehouse.db.$client
    .prepare(
      "select 1 from access_requests where lower(email) = ? and state in ('requested', 'approved', 'provisioning', 'awaiting_provider')",
    )
    .get(state.value.trim().toLowerCase()) !== undefined;

const blank = (state: State | undefined) => typeof state?.value !== "string" || state.value.trim() === "";
/** An element Slack would never send (a number for a text, no type): the form cannot be read at all. */
const mistyped = (form: Form) =>
  Object.values(form).some(
    (st) => st !== undefined && (typeof st.type !== "string" || typeof st.value === "number"),
  );
const REQUIRED = ["firstName", "lastName", "company"] as const;

async function submit(callbackId: string, input: { form: Form; broken: FieldName[] }, blocks: string[]) {
  const { form } = input;
  const userId = CAST.requester.id;
  const before = effects(s);
  const count = requestCount();
  const duplicate = alreadyAskedFor(form.email);
  const res = await s.driver.viewSubmission({ userId, callbackId, values: stateValues(form) as never });
  const errors = submissionErrors(res, blocks);
  await s.gatehouse.idle();
  expectHandledCleanly(s, before, rejections);
  expect(doorflowWritesSince(s, before)).toEqual([]);
  if (errors) {
    // Nothing recorded, nothing said beyond the errors on the form.
    expectNoEffect(s, { ...before, doorflowCalls: s.doorflow.sandbox.calls.length });
    // A form nobody broke is a valid one: refusing it would be the bug (unless its email is taken).
    if (duplicate && input.broken.length === 0) {
      expect(Object.keys(errors)).toEqual([FIELD.email.block]);
      return errors;
    }
    expect(input.broken.length).toBeGreaterThan(0);
    if (mistyped(form)) expect(Object.keys(errors)).toEqual([FIELD.firstName.block]);
    else
      for (const name of REQUIRED)
        if (blank(form[name])) expect(Object.keys(errors)).toContain(FIELD[name].block);
    return errors;
  }
  expect(mistyped(form)).toBe(false);
  expect(duplicate).toBe(false);
  for (const name of REQUIRED) expect(blank(form[name])).toBe(false);
  expect(requestCount()).toBe(count + 1);
  // Recorded as typed, trimmed: hostile text is data, not markup, all the way to the database.
  const row = s.gatehouse.db.$client
    .prepare("select first_name, last_name, company, email from access_requests order by rowid desc limit 1")
    .get() as Record<string, string | null>;
  const typed = (state: State | undefined) => (state?.value as string).trim();
  expect(row).toEqual({
    first_name: typed(form.firstName),
    last_name: typed(form.lastName),
    company: typed(form.company),
    email: blank(form.email) ? null : typed(form.email).toLowerCase(),
  });
  const calls = slackCallsSince(s, before);
  const posted = calls.filter((c) => c.method === "chat.postMessage");
  expect(posted.map((c) => c.args.channel).sort()).toEqual([CHANNELS.approval, userId].sort());
  expect(String(posted.find((c) => c.args.channel === userId)?.args.text)).toContain("is recorded");
  return null;
}

describe("hostile request modals", () => {
  it('"New contractor": errors on the fields to fix, or the request recorded once', async () => {
    await fc.assert(
      fc.asyncProperty(contractorForms(today()), async (input) => {
        const errors = await submit(CALLBACK.contractorRequest, input, CONTRACTOR_BLOCKS);
        const groups = input.form.accessGroups?.selected_options as unknown[] | undefined;
        if (errors && !mistyped(input.form) && (groups ?? []).length === 0)
          expect(Object.keys(errors)).toContain(FIELD.accessGroups.block);
      }),
      { numRuns: runs(100) },
    );
  });

  it('"New visitor": errors on the fields to fix, or the request recorded once', async () => {
    await fc.assert(
      fc.asyncProperty(visitorForms(today()), async (input) => {
        await submit(CALLBACK.visitorRequest, input, VISITOR_BLOCKS);
      }),
      { numRuns: runs(100) },
    );
  });
});
