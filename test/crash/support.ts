/**
 * The crash suite's shared moves: waiting on the child process, the promise every scenario is held
 * to (same end state as an uninterrupted run), and one request submitted and approved.
 */
import { expect } from "vitest";
import type { CrashWorld, KillPlan } from "../../tools/sandbox/crash/world.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { contractorValues } from "../helpers/forms.js";
import { seededRandom } from "../../tools/sandbox/doorflow/random.js";
import { runCrashScenario } from "./run.js";
import { until } from "../helpers/until.js";
import type { CrashScenario } from "./scenarios.js";

/**
 * The suite's promise for one scenario: an uninterrupted run, then a run whose bot is SIGKILLed
 * `kills` times at seeded random DoorFlow calls and restarted on the same database, ends in the same
 * DoorFlow state with nothing duplicated, nothing left half done, and a clean final stop.
 */
export async function expectSurvivesKills(
  make: () => CrashScenario,
  kills: { plans?: KillPlan[]; random?: number; seed?: number },
) {
  const reference = await runCrashScenario(make(), { kills: 0, inProcess: true });
  expect({ problems: reference.problems, duplicates: reference.duplicates, exit: reference.exit }).toEqual({
    problems: [],
    duplicates: [],
    exit: { code: 0, signal: null },
  });
  const run = await runCrashScenario(make(), {
    plans: kills.plans,
    kills: kills.random ?? 0,
    random: seededRandom(kills.seed ?? 1),
    callSpan: reference.calls,
    reference: reference.state,
  });
  // Every hand-chosen kill point is on the work's path, so each must have been reached.
  expect(run.kills, `kill plan ${JSON.stringify(run.plans)}`).toBeGreaterThanOrEqual(
    Math.max(1, kills.plans?.length ?? 0),
  );
  expect({
    problems: run.problems,
    duplicates: run.duplicates,
    mismatches: run.mismatches,
    halfDone: run.halfDone,
    exit: run.exit,
  }).toEqual({ problems: [], duplicates: [], mismatches: [], halfDone: 0, exit: { code: 0, signal: null } });
  return run;
}

/** Submits one contractor request to the running bot and clicks Approve; returns the request id. */
export async function approveOne(w: CrashWorld): Promise<string> {
  const today = localDateOf(new Date(), w.doorflow.sandbox.timeZone);
  const submitted = await w.driver().viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.contractorRequest,
    values: contractorValues({
      firstName: "Sia",
      lastName: "Shutdown",
      email: "sia.shutdown@graceful.example",
      company: "Graceful Ltd",
      groupIds: [5121],
      startDate: today,
      endDate: addDays(today, 10),
      credential: "card",
      cardNumber: "66001234",
    }),
  });
  expect(submitted.status).toBe(200);
  const message = await until(() => w.slack.messages(CHANNELS.approval).at(-1), "the approval message");
  const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message.blocks))?.[1] ?? "";
  const clicked = await w.driver().blockAction({
    userId: CAST.approver.id,
    actionId: ACTION.approve,
    value: id,
    message: { ts: message.ts, channel: CHANNELS.approval },
  });
  expect(clicked.status).toBe(200);
  return id;
}
