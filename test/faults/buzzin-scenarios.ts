/**
 * Buzz-in fault scenarios, light (npm test) and heavy (npm run bench): its API failing on every
 * call (5xx, 429, connections dropped before and after Buzz-in acted), its webhooks lost and
 * repeated, and Slack failing the DMs, drawn from the sandbox's seeded generator.
 */
import type { FaultRule as BuzzinFault } from "../../tools/sandbox/buzzin/types.js";
import type { BuzzinScenario } from "./buzzin-scenario.js";
import { slackTrouble } from "./scenarios.js";

/** Every API call: contractors, permits, passes. */
const API = /^\/(communityContractors|permits|passes)(\/|$)/;

function buzzinServerErrors(p: number): BuzzinFault[] {
  return [
    { path: API, status: 503, probability: p },
    { path: API, status: 500, probability: p / 2, processed: true },
    { path: API, status: 502, probability: p / 2 },
  ];
}

function buzzinRateLimits(p: number): BuzzinFault[] {
  return [
    { path: API, status: 429, probability: p, headers: { "retry-after": "0" } },
    { path: API, status: 429, probability: p / 2 },
  ];
}

/** Dropped after Buzz-in did the work (the duplicate risk) and before it did. */
function buzzinDroppedConnections(p: number): BuzzinFault[] {
  return [
    { path: API, drop: true, probability: p },
    { path: API, drop: true, processed: false, probability: p / 2 },
  ];
}

export function lightBuzzinScenarios(): BuzzinScenario[] {
  return [
    {
      name: "Buzz-in 5xx, 429 and dropped connections",
      seed: 21,
      requests: 4,
      due: 1,
      buzzin: [...buzzinServerErrors(0.12), ...buzzinRateLimits(0.08), ...buzzinDroppedConnections(0.08)],
    },
    {
      name: "Buzz-in webhooks lost and repeated, Slack failing",
      seed: 22,
      requests: 4,
      due: 1,
      webhooks: { lose: 0.35, repeat: 0.3 },
      slack: slackTrouble(1).slice(0, 3),
    },
  ];
}

export function heavyBuzzinScenarios(seeds: number[]): BuzzinScenario[] {
  return seeds.flatMap((seed) => [
    {
      name: `Buzz-in 5xx (seed ${seed})`,
      seed: seed + 10,
      requests: 16,
      due: 4,
      buzzin: buzzinServerErrors(0.2),
    },
    {
      name: `Buzz-in 429 (seed ${seed})`,
      seed: seed + 11,
      requests: 16,
      due: 4,
      buzzin: buzzinRateLimits(0.2),
    },
    {
      name: `Buzz-in dropped connections (seed ${seed})`,
      seed: seed + 12,
      requests: 16,
      due: 4,
      buzzin: buzzinDroppedConnections(0.2),
    },
    {
      name: `Buzz-in webhooks lost and repeated (seed ${seed})`,
      seed: seed + 13,
      requests: 16,
      due: 4,
      webhooks: { lose: 0.4, repeat: 0.3 },
    },
    {
      name: `Buzz-in everything at once (seed ${seed})`,
      seed: seed + 14,
      requests: 16,
      due: 4,
      buzzin: [...buzzinServerErrors(0.08), ...buzzinRateLimits(0.05), ...buzzinDroppedConnections(0.06)],
      webhooks: { lose: 0.25, repeat: 0.2 },
      slack: slackTrouble(1),
    },
  ]);
}
