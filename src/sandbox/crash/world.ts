/**
 * One crash-suite world: the DoorFlow sandbox and the Slack stand-in in this process, a database
 * file, and the real bot as a child process that can be started, killed at a chosen DoorFlow call
 * and started again on the same database. The sandbox's state outlives every kill, as DoorFlow's
 * would.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Env } from "../../config.js";
import { closeDatabase, type Database, openDatabase } from "../../db/database.js";
import { createLogger } from "../../lib/logger.js";
import { type BotExit, type BotProcess, startBotProcess } from "../bot-process.js";
import { type RunningDoorFlowSandbox, startDoorFlowSandbox } from "../doorflow/server.js";
import { createSlackDriver, type SlackDriver } from "../slack/driver.js";
import type { SlackStandIn, SlackStandInOptions } from "../slack/web-api.js";
import { SIGNING_SECRET, type Story, startStory, startStorySlack, storyEnv } from "../story.js";

export interface KillPlan {
  /**
   * What is counted: DoorFlow calls (the default), Slack Web API calls as they arrive at the
   * stand-in (`method` is then a Slack method, e.g. `usergroups.users.list`), or the bot's
   * acknowledgements of block actions as the driver receives them (`ack`: a click Slack was told
   * the bot received).
   */
  on?: "doorflow" | "slack" | "ack";
  /** Kill at the n-th matching call (1-based) counted from the bot's start. */
  atCall: number;
  /** Count only calls with this method and path (e.g. the first disable: PUT /api/3/people/{id}). */
  method?: string;
  path?: RegExp;
  /** 0: while DoorFlow's answer is on its way (the work done, unheard of); otherwise this much later. */
  delayMs: number;
}

export interface CrashWorld {
  doorflow: RunningDoorFlowSandbox;
  slack: SlackStandIn;
  databaseFile: string;
  env: Env;
  /** The running bot, if any. */
  bot: BotProcess | undefined;
  /** When the latest bot was started (ms since the epoch). */
  botStartedAt: number | undefined;
  /** Signed Slack requests to the running bot. */
  driver(): SlackDriver;
  /** A read connection to the bot's database (opened on first use). */
  db(): Database;
  /** The bot in this process (preparing a scenario), on the same database; stop it before `startBot`. */
  inProcess(): Promise<Story>;
  /**
   * The bot in this process in place of the child, catching up at start like it (a quicker
   * uninterrupted run); `driver` and `stopBot` then act on it.
   */
  startInProcess(): Promise<void>;
  /** Starts the bot; with a plan, it is SIGKILLed at that call (`killed` resolves once it is gone). */
  startBot(
    plan?: KillPlan,
    options?: { entry?: string },
  ): Promise<{ bot: BotProcess; killed: Promise<BotExit> | null }>;
  /** Drops the kill plan (the work settled before its kill point came). */
  disarm(): void;
  /** SIGTERM, then the exit. */
  stopBot(): Promise<BotExit>;
  close(): Promise<void>;
}

export async function createCrashWorld(
  options: {
    env?: Env;
    doorflowLatencyMs?: number;
    slack?: Pick<SlackStandInOptions, "usergroups" | "methodLatencyMs">;
  } = {},
): Promise<CrashWorld> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-crash-"));
  const databaseFile = join(dir, "gatehouse.db");
  const doorflow = await startDoorFlowSandbox({ latencyMs: options.doorflowLatencyMs ?? 0 });
  const slack = await startStorySlack(options.slack);
  const env = storyEnv({ doorflow, slack, databaseFile, env: options.env });
  let bot: BotProcess | undefined;
  let driver: SlackDriver | undefined;
  let db: Database | undefined;
  let stopListening: (() => void) | undefined;
  let botStartedAt: number | undefined;
  let story: Story | undefined;
  const quietLogger = createLogger({ level: "error", write: () => undefined });

  const world: CrashWorld = {
    doorflow,
    slack,
    databaseFile,
    env,
    get bot() {
      return bot;
    },
    get botStartedAt() {
      return botStartedAt;
    },
    driver() {
      if (!driver) throw new Error("the bot is not running");
      return driver;
    },
    db() {
      db ??= openDatabase(`file:${databaseFile}`, { migrate: false });
      return db;
    },
    async inProcess() {
      return startStory({
        logger: quietLogger,
        sandbox: doorflow,
        slack,
        databaseFile,
        env: options.env,
        catchUp: false,
      });
    },
    async startInProcess() {
      botStartedAt = Date.now();
      story = await startStory({
        logger: quietLogger,
        sandbox: doorflow,
        slack,
        databaseFile,
        env: options.env,
      });
      driver = story.driver;
    },
    async startBot(plan, startOptions) {
      world.disarm();
      botStartedAt = Date.now();
      const started = await startBotProcess({ env, cwd: dir, entry: startOptions?.entry });
      bot = started;
      driver = createSlackDriver({
        eventsUrl: started.eventsUrl,
        signingSecret: SIGNING_SECRET,
        standIn: slack,
      });
      if (!plan) return { bot: started, killed: null };
      // Counted from when the bot says it is listening: its catch-up and retries start right then.
      let count = 0;
      let armed = true;
      const kill = () => {
        if (armed) started.signal("SIGKILL");
      };
      const counted = () => {
        count += 1;
        if (count !== plan.atCall) return;
        if (plan.delayMs === 0) kill();
        else setTimeout(kill, plan.delayMs);
      };
      let unlisten: () => void;
      if (plan.on === "slack") {
        unlisten = slack.onCall((method) => {
          if (!plan.method || method === plan.method) counted();
        });
      } else if (plan.on === "ack") {
        // The driver has Slack's side: a 200 to a block action is the click acknowledged.
        const clicks = driver;
        const blockAction = clicks.blockAction.bind(clicks);
        let watching = true;
        clicks.blockAction = async (input) => {
          const res = await blockAction(input);
          if (watching && res.status === 200) counted();
          return res;
        };
        unlisten = () => {
          watching = false;
        };
      } else {
        unlisten = doorflow.onCall((call) => {
          if (plan.method && call.method !== plan.method) return;
          if (plan.path && !plan.path.test(call.path)) return;
          counted();
        });
      }
      stopListening = () => {
        armed = false;
        unlisten();
      };
      return { bot: started, killed: started.exited };
    },
    disarm() {
      stopListening?.();
      stopListening = undefined;
    },
    async stopBot() {
      if (story) {
        await story.stopBot();
        story = undefined;
        return { code: 0, signal: null };
      }
      if (!bot) throw new Error("the bot is not running");
      bot.signal("SIGTERM");
      return bot.exited;
    },
    async close() {
      stopListening?.();
      await story?.stopBot();
      if (bot && !bot.gone) {
        bot.signal("SIGKILL");
        await bot.exited;
      }
      if (db) closeDatabase(db);
      await slack.close();
      await doorflow.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
