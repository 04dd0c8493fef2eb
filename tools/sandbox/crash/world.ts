/**
 * One crash-suite world: the DoorFlow sandbox, the Slack stand-in and (when asked) the Buzz-in
 * sandbox in this process, a database file, and the real bot as a child process that can be
 * started, killed at a chosen DoorFlow or Buzz-in call (or right after it acknowledged a Buzz-in
 * webhook) and started again on the same database. The sandboxes' state outlives every kill, as
 * DoorFlow's and Buzz-in's would; Buzz-in's webhooks follow the bot to its new port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Env } from "../../../src/config.js";
import { closeDatabase, type Database, openDatabase } from "../../../src/db/database.js";
import { createLogger } from "../../../src/lib/logger.js";
import { type BotExit, type BotProcess, startBotProcess } from "../bot-process.js";
import { DEFAULT_BUZZIN_API_KEY } from "../buzzin/sandbox.js";
import { type RunningBuzzinSandbox, startBuzzinSandbox } from "../buzzin/server.js";
import type { BuzzinSandboxOptions } from "../buzzin/types.js";
import { type RunningDoorFlowSandbox, startDoorFlowSandbox } from "../doorflow/server.js";
import { createSlackDriver, type SlackDriver } from "../slack/driver.js";
import type { SlackStandIn, SlackStandInOptions } from "../slack/web-api.js";
import { SIGNING_SECRET, type Story, startStory, startStorySlack, storyEnv } from "../story.js";

export interface KillPlan {
  /**
   * What is counted: DoorFlow calls (the default), Slack Web API calls as they arrive at the
   * stand-in (`method` is then a Slack method, e.g. `usergroups.users.list`), the bot's
   * acknowledgements of block actions as the driver receives them (`ack`: a click Slack was told
   * the bot received), Buzz-in's API calls, or the Buzz-in webhook deliveries the bot answered 2xx
   * (`buzzin-webhook-ack`: the kill then falls between the answer and the work it acknowledged).
   */
  on?: "doorflow" | "slack" | "ack" | "buzzin" | "buzzin-webhook-ack";
  /** For webhook acknowledgements: only deliveries of this event. */
  event?: string;
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
  /** Present when the world was created with `buzzin`. */
  buzzin?: RunningBuzzinSandbox;
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
    buzzin?: BuzzinSandboxOptions;
  } = {},
): Promise<CrashWorld> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-crash-"));
  const databaseFile = join(dir, "gatehouse.db");
  const doorflow = await startDoorFlowSandbox({ latencyMs: options.doorflowLatencyMs ?? 0 });
  const slack = await startStorySlack(options.slack);
  const buzzin = options.buzzin ? await startBuzzinSandbox(options.buzzin) : undefined;
  const buzzinEnv: Env = buzzin
    ? {
        BUZZIN_BASE_URL: buzzin.url,
        BUZZIN_API_KEY: DEFAULT_BUZZIN_API_KEY,
        BUZZIN_WEBHOOK_TOKEN: buzzin.sandbox.webhookToken,
      }
    : {};
  const env = storyEnv({ doorflow, slack, databaseFile, env: { ...buzzinEnv, ...options.env } });
  let bot: BotProcess | undefined;
  let driver: SlackDriver | undefined;
  let db: Database | undefined;
  let stopListening: (() => void) | undefined;
  let botStartedAt: number | undefined;
  let story: Story | undefined;
  const quietLogger = createLogger({ level: "error", write: () => undefined });

  const world: CrashWorld = {
    doorflow,
    ...(buzzin ? { buzzin } : {}),
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
        ...(buzzin ? { buzzinSandbox: buzzin } : {}),
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
        ...(buzzin ? { buzzinSandbox: buzzin } : {}),
      });
      driver = story.driver;
    },
    async startBot(plan, startOptions) {
      world.disarm();
      botStartedAt = Date.now();
      const started = await startBotProcess({ env, cwd: dir, entry: startOptions?.entry });
      bot = started;
      if (buzzin) buzzin.sandbox.webhookUrl = `${started.url}/webhooks/buzzin`;
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
      const matches = (call: { method: string; path: string }) =>
        (!plan.method || call.method === plan.method) && (!plan.path || plan.path.test(call.path));
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
      } else if (plan.on === "buzzin" || plan.on === "buzzin-webhook-ack") {
        if (!buzzin) throw new Error("a Buzz-in kill plan needs a world with Buzz-in");
        const sb = buzzin.sandbox;
        if (plan.on === "buzzin")
          sb.onCall = (call) => {
            if (matches(call)) counted();
          };
        else
          sb.onWebhookAttempt = (delivery, status) => {
            if (status >= 200 && status < 300 && (!plan.event || delivery.event === plan.event)) counted();
          };
        unlisten = () => {
          sb.onCall = undefined;
          sb.onWebhookAttempt = undefined;
        };
      } else
        unlisten = doorflow.onCall((call) => {
          if (matches(call)) counted();
        });
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
      await buzzin?.close();
      await doorflow.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
