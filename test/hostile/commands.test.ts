/**
 * Property: whatever anyone types after /contractor or /offboard, the real bot answers 200 at once,
 * never rejects a promise nobody handles, answers the caller alone (one ephemeral reply, or one
 * modal), changes nothing (commands only read), and shows nothing Slack would refuse or that
 * would ping a channel or carry a link from the input.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST } from "../../tools/sandbox/story.js";
import { parseContractorCommand } from "../../src/slack/commands-parse.js";
import { parseOffboardCommand } from "../../src/slack/commands-parse.js";
import { provisionContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { commandText } from "./arbitraries.js";
import {
  doorflowWritesSince,
  effects,
  expectHandledCleanly,
  type RejectionWatch,
  runs,
  slackCallsSince,
  watchUnhandledRejections,
} from "./support.js";

let s: TestStory;
let rejections: RejectionWatch;
beforeAll(async () => {
  rejections = watchUnhandledRejections();
  s = await startTestStory({
    catchUp: false,
    doorflowRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 500 },
  });
  // Someone to list, show the status of and audit.
  const today = localDateOf(new Date(), s.gatehouse.timeZone);
  await provisionContractor(s, {
    ...{ firstName: "Cmd", lastName: "Target", email: "cmd.target@spark.example", company: "Spark" },
    ...{ groupIds: [5123], startDate: today, endDate: addDays(today, 9), credential: "mobile" },
  });
});
afterAll(async () => {
  await s?.close();
  rejections.stop();
});

const people = Object.values(CAST).map((p) => p.id);
const anyone = fc.constantFrom(...people);

/** Runs one command and checks everything that must hold whatever the text; returns the one answer. */
async function runCommand(command: string, text: string, userId: string) {
  const before = effects(s);
  const res = await s.driver.command({ command, text, userId });
  expect(res.status).toBe(200);
  expect(res.body).toBe("");
  await s.gatehouse.idle();

  expectHandledCleanly(s, before, rejections);
  const calls = slackCallsSince(s, before);
  const responsePath = new URL(res.responseUrl).pathname;
  const replies = calls.filter((c) => c.method === "response_url" && c.path === responsePath);
  const modals = calls.filter((c) => c.method === "views.open" && c.args.trigger_id === res.triggerId);
  // Exactly one answer, to the caller alone: nothing posted in a channel or a DM.
  expect(replies.length + modals.length).toBe(1);
  for (const r of replies) expect(r.args.response_type).toBe("ephemeral");
  expect(calls.filter((c) => c.method.startsWith("chat."))).toEqual([]);
  // Commands read; only the submissions and clicks that follow them write.
  expect(doorflowWritesSince(s, before)).toEqual([]);
  const row = s.gatehouse.db.$client.prepare("select total_changes() as n").get() as { n: number };
  expect(row.n).toBe(before.dbChanges);
  const reply = replies[0] ? JSON.stringify(replies[0].args) : "";
  return { modal: modals[0]?.args.view as { callback_id?: string } | undefined, reply };
}

describe("hostile slash-command text", () => {
  it("/contractor: one private answer, a modal or a reply, for any text from anyone", async () => {
    await fc.assert(
      fc.asyncProperty(
        commandText(["new", "visitor", "buzzin", "list", "status", "audit", "extend", "help"]),
        anyone,
        async (text, userId) => {
          const { modal, reply } = await runCommand("/contractor", text, userId);
          const sub = parseContractorCommand(text);
          const operator = userId === CAST.operator.id;
          const expected: Record<typeof sub.kind, RegExp> = {
            new: /^contractor_request$/,
            visitor: /^visitor_request$/,
            extend: /^extension_request$/,
            list: /active contractors/,
            status: /Status of/,
            audit: !operator ? /Only operators can read/ : /Audit trail for|Say whose history/,
            help: /Gatehouse commands/,
            // This story has no Buzz-in community configured.
            buzzin: /Buzz-in is not set up here/,
          };
          if (["new", "visitor", "extend"].includes(sub.kind))
            expect(modal?.callback_id).toMatch(expected[sub.kind]);
          else if (sub.kind === "status" && !("email" in sub && sub.email))
            expect(reply).toMatch(expected.help);
          else expect(reply).toMatch(expected[sub.kind]);
        },
      ),
      { numRuns: runs(80) },
    );
  });

  it("/offboard: operators get a preview, help or what to fix; everyone else a refusal", async () => {
    await fc.assert(
      fc.asyncProperty(commandText(["bulk", "help"]), anyone, async (text, userId) => {
        const { modal, reply } = await runCommand("/offboard", text, userId);
        if (userId !== CAST.operator.id) {
          expect(modal).toBeUndefined();
          expect(reply).toContain("Only Gatehouse operators");
          return;
        }
        const sub = parseOffboardCommand(text);
        if (sub.kind === "bulk") expect(modal?.callback_id).toBe("offboard_bulk");
        else if (sub.kind === "help") expect(reply).toContain("/offboard bulk");
        // Someone to offboard, or why not: nobody, several people, or Slack has no email for them.
        else
          expect(reply).toMatch(/Offboard |No DoorFlow person|DoorFlow people have|Slack (has no|could not)/);
      }),
      { numRuns: runs(80) },
    );
  });
});
