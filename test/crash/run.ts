/**
 * Runs a crash scenario: the bot as a child process, SIGKILLed at random DoorFlow calls (drawn from
 * `random`, so a seed repeats the plan), started again on the same database each time, until the
 * work settles; then DoorFlow's state is compared with an uninterrupted run's and the bot is stopped
 * gracefully. Shared by test/crash (a few kills) and bench/crash.ts (many).
 */
import { createCrashWorld, type CrashWorld, type KillPlan } from "../../tools/sandbox/crash/world.js";
import { type AccountState, accountState, compareStates, duplicatesIn } from "./doorflow-state.js";
import type { CrashScenario, ScenarioChecks } from "./scenarios.js";

export interface CrashRunOptions {
  /** Kill points chosen by hand, used first, one per start. */
  plans?: KillPlan[];
  /** How many random kills to plan after those (0 and no plans: the uninterrupted reference run). */
  kills: number;
  random?: () => number;
  /** Kill points are drawn from the first this-many DoorFlow calls after a start. */
  callSpan?: number;
  /** Without kills: run the bot in this process (a quicker uninterrupted run). */
  inProcess?: boolean;
  /** The uninterrupted run's end state, to compare with. */
  reference?: AccountState;
  settleTimeoutMs?: number;
}

export interface CrashRunResult extends ScenarioChecks {
  scenario: string;
  /** Kills that happened (a planned kill point past the end of the work never comes). */
  kills: number;
  /** Calls (DoorFlow's, or Buzz-in's) from the first start to settled (the reference run sizes `callSpan` with it). */
  calls: number;
  state: AccountState;
  duplicates: string[];
  mismatches: string[];
  /** Exit of the final graceful stop. */
  exit: { code: number | null; signal: NodeJS.Signals | null };
  plans: KillPlan[];
}

/** Polls until the work has settled or the bot is gone (killed). */
async function settleOrDie(
  scenario: CrashScenario,
  world: CrashWorld,
  timeoutMs: number,
): Promise<"settled" | "killed"> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (world.bot?.gone) return "killed";
    scenario.tick?.(world);
    if (scenario.settled(world)) return "settled";
    if (Date.now() > deadline) {
      const tail = world.bot?.lines.slice(-20).join("\n") ?? "";
      throw new Error(`${scenario.name}: not settled after ${timeoutMs} ms; the bot's last lines:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function runCrashScenario(
  scenario: CrashScenario,
  options: CrashRunOptions,
): Promise<CrashRunResult> {
  const random = options.random ?? Math.random;
  const span = Math.max(1, options.callSpan ?? 40);
  const plans: KillPlan[] = [];
  const chosen = [...(options.plans ?? [])];
  const plan = (first: boolean): KillPlan | undefined => {
    const next = chosen.shift();
    if (next) {
      plans.push(next);
      return next;
    }
    if (plans.length >= (options.plans?.length ?? 0) + options.kills) return undefined;
    if (scenario.randomKill) {
      const p = scenario.randomKill(random);
      plans.push(p);
      return p;
    }
    // Later kills come sooner: a restarted bot has less left to do.
    const atCall = 1 + Math.floor(random() * (first ? span : Math.ceil(span / 2)));
    const delayMs = random() < 0.5 ? 0 : Math.floor(random() * 40);
    // A Buzz-in world is also killed right after the bot acknowledged a pass's webhook (before its DM).
    const ack = scenario.killOn === "buzzin" && random() < 0.4;
    const p: KillPlan = ack
      ? {
          on: "buzzin-webhook-ack",
          event: "passes.permits.issued",
          atCall: 1 + Math.floor(random() * 3),
          delayMs,
        }
      : { atCall, delayMs, ...(scenario.killOn === "buzzin" ? { on: "buzzin" as const } : {}) };
    plans.push(p);
    return p;
  };
  const world = await createCrashWorld({
    env: scenario.env,
    slack: scenario.slack,
    ...(scenario.buzzin ? { buzzin: scenario.buzzin } : {}),
  });
  const callsSoFar = () =>
    scenario.killOn === "buzzin"
      ? (world.buzzin?.sandbox.calls.length ?? 0)
      : world.doorflow.sandbox.calls.length;
  try {
    await scenario.prepare(world);
    const firstCall = callsSoFar();
    const first = plan(true);
    if (options.inProcess && !first) await world.startInProcess();
    else await world.startBot(first);
    await scenario.begin(world);
    let kills = 0;
    for (;;) {
      if ((await settleOrDie(scenario, world, options.settleTimeoutMs ?? 30_000)) === "settled") {
        world.disarm();
        // A kill already on its way (a delayed kill point) lands within these few milliseconds.
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (!world.bot?.gone) break;
      }
      const exit = await world.bot?.exited;
      if (exit?.signal !== "SIGKILL") {
        throw new Error(
          `the bot exited by itself (${JSON.stringify(exit)}):\n${world.bot?.lines.slice(-20).join("\n")}`,
        );
      }
      kills += 1;
      await world.startBot(plan(false));
      await scenario.resume(world);
    }
    const calls = callsSoFar() - firstCall;
    const checks = scenario.check(world);
    const state = accountState(world.doorflow.sandbox);
    const exit = await world.stopBot();
    return {
      scenario: scenario.name,
      kills,
      calls,
      state,
      duplicates: duplicatesIn(world.doorflow.sandbox),
      mismatches: options.reference ? compareStates(options.reference, state) : [],
      exit,
      plans,
      ...checks,
    };
  } finally {
    await world.close();
  }
}
