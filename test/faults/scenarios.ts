/**
 * The fault scenarios, light (npm test) and heavy (npm run bench). Probabilities are drawn from the
 * sandbox's seeded generator, so a scenario with the same seed repeats; Slack faults are counted
 * (`times`) and armed again at each phase of the run.
 */
import type { FaultRule as DoorFlowFault } from "../../tools/sandbox/doorflow/types.js";
import type { FaultRule as SlackFault } from "../../tools/sandbox/slack/types.js";
import type { Scenario } from "./scenario.js";
import type { Mix } from "./world.js";

const API = /^\/api\/3\//;

function serverErrors(p: number): DoorFlowFault[] {
  return [
    { path: API, status: 503, probability: p },
    { path: API, status: 500, probability: p / 2 },
    { path: API, status: 502, probability: p / 2 },
  ];
}

/** DoorFlow's own 429 carries `retry_in`; a proxy in front of it might send only Retry-After. */
function rateLimits(p: number): DoorFlowFault[] {
  return [
    { path: API, status: 429, probability: p, body: { error: "rate_limited", retry_in: 0.02 } },
    { path: API, status: 429, probability: p / 2, headers: { "retry-after": "0" } },
  ];
}

function rateLimitBurst(calls: number): DoorFlowFault[] {
  return [{ path: API, status: 429, times: calls, body: { error: "rate_limited", retry_in: 0.01 } }];
}

function slowAnswers(p: number, latencyMs: number): DoorFlowFault[] {
  return [{ path: API, latencyMs, probability: p }];
}

/** Dropped after DoorFlow did the work (the duplicate risk) and before it did. */
function droppedConnections(p: number): DoorFlowFault[] {
  return [
    { path: API, drop: true, probability: p },
    { path: API, drop: true, processed: false, probability: p / 2 },
  ];
}

/** At most three faults per method at a time: the bot's Slack client makes four attempts. */
export function slackTrouble(retryAfterSeconds: number): SlackFault[] {
  return [
    { method: "chat.postMessage", status: 429, retryAfterSeconds, times: 1 },
    { method: "chat.update", status: 500, times: 1 },
    { method: "chat.postMessage", status: 503, times: 1 },
    { method: "chat.update", status: 502, times: 1 },
    { method: "chat.postMessage", status: 500, times: 1 },
    { method: "views.publish", status: 429, retryAfterSeconds, times: 1 },
  ];
}

/** Every DoorFlow call fails for the whole daily run. */
const DOORFLOW_DOWN: DoorFlowFault[] = [{ path: API, status: 503 }];

const LIGHT_MIX: Mix = { contractors: 4, dueContractors: 2, visitors: 2, offboardNow: 2, bulk: 3 };
const HEAVY_MIX: Mix = { contractors: 24, dueContractors: 8, visitors: 8, offboardNow: 4, bulk: 16 };

export function lightScenarios(): Scenario[] {
  return [
    {
      name: "DoorFlow 5xx and 429 bursts",
      seed: 11,
      mix: LIGHT_MIX,
      doorflow: [...serverErrors(0.12), ...rateLimits(0.06)],
      doorflowBursts: rateLimitBurst(6),
    },
    {
      name: "DoorFlow slow and dropping connections",
      seed: 12,
      mix: LIGHT_MIX,
      doorflow: [...slowAnswers(0.25, 60), ...droppedConnections(0.1)],
    },
    {
      // The alerts for the outage are posted while Slack itself is failing.
      name: "Slack 429 and 5xx, DoorFlow down at the daily run",
      seed: 13,
      mix: LIGHT_MIX,
      slack: slackTrouble(1).slice(0, 3),
      doorflowAtDaily: DOORFLOW_DOWN,
    },
    {
      // Every alert, receipt, approval message and card reminder of the morning waits for Slack.
      name: "Slack down for 10 minutes during the morning's work",
      seed: 14,
      mix: LIGHT_MIX,
      doorflow: serverErrors(0.05),
      slackDown: { at: "morning", minutes: 10 },
    },
  ];
}

export function heavyScenarios(seeds: number[]): Scenario[] {
  return seeds.flatMap((seed) => [
    {
      name: `DoorFlow 5xx (seed ${seed})`,
      seed,
      mix: HEAVY_MIX,
      doorflow: serverErrors(0.2),
    },
    {
      name: `DoorFlow 429 bursts (seed ${seed})`,
      seed: seed + 1,
      mix: HEAVY_MIX,
      doorflow: rateLimits(0.15),
      doorflowBursts: rateLimitBurst(12),
    },
    { name: `DoorFlow slow (seed ${seed})`, seed: seed + 2, mix: HEAVY_MIX, doorflow: slowAnswers(0.4, 250) },
    {
      name: `DoorFlow dropped connections (seed ${seed})`,
      seed: seed + 3,
      mix: HEAVY_MIX,
      doorflow: droppedConnections(0.15),
    },
    { name: `Slack 429 and 5xx (seed ${seed})`, seed: seed + 4, mix: HEAVY_MIX, slack: slackTrouble(1) },
    {
      name: `DoorFlow down at the daily run (seed ${seed})`,
      seed: seed + 5,
      mix: HEAVY_MIX,
      doorflow: serverErrors(0.05),
      doorflowAtDaily: DOORFLOW_DOWN,
    },
    {
      name: `Slack down for 10 minutes in the morning (seed ${seed})`,
      seed: seed + 7,
      mix: HEAVY_MIX,
      doorflow: serverErrors(0.05),
      slackDown: { at: "morning", minutes: 10 },
    },
    {
      name: `Slack down for 10 minutes while DoorFlow is down at the daily run (seed ${seed})`,
      seed: seed + 8,
      mix: HEAVY_MIX,
      doorflowAtDaily: DOORFLOW_DOWN,
      slackDown: { at: "daily", minutes: 10 },
    },
    {
      name: `everything at once (seed ${seed})`,
      seed: seed + 6,
      mix: HEAVY_MIX,
      doorflow: [
        ...serverErrors(0.08),
        ...rateLimits(0.05),
        ...droppedConnections(0.06),
        ...slowAnswers(0.2, 150),
      ],
      doorflowBursts: rateLimitBurst(8),
      slack: slackTrouble(1),
    },
  ]);
}
