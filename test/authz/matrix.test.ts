/**
 * The authorisation matrix: every command and button against the four kinds of user, each cell
 * tried for real (signed requests to the real bot) on its own fresh subject and judged by what
 * happened: DoorFlow's state, our records, or what the user saw. A refused cell must also change
 * nothing in DoorFlow and, where there is something to refuse, tell the user why.
 *
 * The configuration is the tight one: REQUESTER_USER_IDS names the requester alone, so the
 * approver and the operator are not requesters, and the stranger is nobody at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAST } from "../../tools/sandbox/story.js";
import { startTestStory, type TestStory } from "../helpers/story.js";
import { lastAttempt, type Row } from "./attempt.js";
import { BUTTON_ROWS } from "./button-rows.js";
import { COMMAND_ROWS } from "./command-rows.js";

const ROWS: Record<string, Row> = { ...COMMAND_ROWS, ...BUTTON_ROWS };

type Cell = "allow" | "deny";
const ROLES = ["requester", "approver", "operator", "stranger"] as const;

// prettier-ignore
const MATRIX: Record<string, [Cell, Cell, Cell, Cell]> = {
  //                                                     requester approver  operator  stranger
  "/contractor new":                                    ["allow",  "deny",   "deny",   "deny"],
  "/contractor visitor":                                ["allow",  "deny",   "deny",   "deny"],
  "/contractor buzzin":                                 ["allow",  "deny",   "deny",   "deny"],
  "/contractor list":                                   ["allow",  "allow",  "allow",  "deny"],
  "/contractor status":                                 ["allow",  "allow",  "allow",  "deny"],
  "/contractor audit":                                  ["deny",   "deny",   "allow",  "deny"],
  "/contractor extend":                                 ["allow",  "deny",   "allow",  "deny"],
  "/contractor help":                                   ["allow",  "allow",  "allow",  "allow"],
  "/offboard <email>":                                  ["deny",   "deny",   "allow",  "deny"],
  "/offboard bulk":                                     ["deny",   "deny",   "allow",  "deny"],
  "/offboard help":                                     ["deny",   "deny",   "allow",  "deny"],
  Approve:                                              ["deny",   "allow",  "deny",   "deny"],
  "Approve (existing DoorFlow person)":                 ["deny",   "deny",   "allow",  "deny"],
  Deny:                                                 ["deny",   "allow",  "deny",   "deny"],
  "Show PIN":                                           ["allow",  "deny",   "deny",   "deny"],
  Extend:                                               ["allow",  "deny",   "allow",  "deny"],
  "Extension Approve":                                  ["deny",   "allow",  "deny",   "deny"],
  "Extension Deny":                                     ["deny",   "allow",  "deny",   "deny"],
  "Offboard now":                                       ["deny",   "deny",   "allow",  "deny"],
  "Offboard now (Buzz-in)":                             ["deny",   "deny",   "allow",  "deny"],
  "Reissue pass (Buzz-in)":                             ["allow",  "deny",   "allow",  "deny"],
  "Schedule…":                                          ["deny",   "deny",   "allow",  "deny"],
  Retry:                                                ["deny",   "deny",   "allow",  "deny"],
  "Card collected":                                     ["deny",   "deny",   "allow",  "deny"],
  "App Home: a pending request with Approve and Deny":  ["deny",   "allow",  "deny",   "deny"],
  "App Home: a contractor the requester asked for":     ["allow",  "allow",  "allow",  "deny"],
  "App Home: a failed offboarding with Retry":          ["deny",   "deny",   "allow",  "deny"],
};

let s: TestStory;
beforeAll(async () => {
  s = await startTestStory({
    buzzin: true,
    catchUp: false,
    env: { REQUESTER_USER_IDS: CAST.requester.id },
    doorflowRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 500 },
  });
  await s.gatehouse.idle();
});
afterAll(async () => {
  await s?.close();
});

describe("authorisation matrix", () => {
  it("has a cell for every command and button, and a way to try each", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(ROWS).sort());
  });

  it.each(Object.entries(MATRIX))("%s", async (name, cells) => {
    const row = ROWS[name];
    if (!row) throw new Error(`no row for ${name}`);
    const outcomes: string[] = [];
    for (const [i, role] of ROLES.entries()) {
      const userId = CAST[role].id;
      const { effect, shown } = await row.attempt(s, userId);
      outcomes.push(`${role}: ${effect ? "allow" : "deny"}`);
      if (cells[i] === "deny" && !effect) {
        // Refused: told why (where there is something to refuse), and nothing written to DoorFlow.
        if (row.refusal) expect(shown, `${name} as ${role}`).toMatch(row.refusal);
        if (row.hidden) expect(shown, `${name} as ${role}`).not.toMatch(row.hidden);
        expect(lastAttempt.doorflowWrites, `${name} as ${role}`).toEqual([]);
      }
    }
    expect(outcomes).toEqual(ROLES.map((role, i) => `${role}: ${cells[i]}`));
  });
});
