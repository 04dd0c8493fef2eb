/**
 * Gatehouse against stand-ins, with no Slack or DoorFlow account: the DoorFlow sandbox and the
 * Slack Web API stand-in on loopback, the real bot (real configuration parsing, real SQLite file,
 * real Bolt app over HTTP), and a driver that plays Slack's users through signed requests. The
 * demo, the end-to-end tests and the benchmarks all start it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Gatehouse, type StartOptions, startGatehouse } from "../../src/app.js";
import { type Env, parseConfig } from "../../src/config.js";
import type { Logger } from "../../src/lib/logger.js";
import { DEFAULT_BUZZIN_API_KEY, DEFAULT_BUZZIN_WEBHOOK_TOKEN } from "./buzzin/sandbox.js";
import { type RunningBuzzinSandbox, startBuzzinSandbox } from "./buzzin/server.js";
import type { BuzzinSandboxOptions } from "./buzzin/types.js";
import { type RunningDoorFlowSandbox, startDoorFlowSandbox } from "./doorflow/server.js";
import type { DoorFlowSandboxOptions } from "./doorflow/types.js";
import { createSlackDriver, type SlackDriver } from "./slack/driver.js";
import { type SlackStandIn, type SlackStandInOptions, startSlackStandIn } from "./slack/web-api.js";

/** The people of the story. */
export const CAST = {
  requester: { id: "U0REQUEST1", name: "rosa", realName: "Rosa Delgado", email: "rosa@harbourside.example" },
  approver: { id: "U0APPROVE1", name: "ade", realName: "Ade Okonkwo", email: "ade@harbourside.example" },
  approver2: { id: "U0APPROVE2", name: "li", realName: "Li Wei", email: "li@harbourside.example" },
  operator: {
    id: "U0OPERATE1",
    name: "sec",
    realName: "Sam Security",
    email: "security@harbourside.example",
  },
  stranger: { id: "U0STRANGE1", name: "pat", realName: "Pat Passerby", email: "pat@harbourside.example" },
} as const;

export const CHANNELS = { approval: "C0APPROVAL", security: "C0SECURITY", facilities: "C0FACILITY" } as const;
export const SIGNING_SECRET = "story-signing-secret-0123456789abcdef";
export const BOT_TOKEN = "xoxb-story-bot-token-0123456789";

export interface StoryOptions {
  logger: Logger;
  /** An existing database file (restarts); a fresh temporary one by default. */
  databaseFile?: string;
  doorflow?: DoorFlowSandboxOptions & { latencyMs?: number };
  /** Reuse a running sandbox (restarts keep DoorFlow's state). */
  sandbox?: RunningDoorFlowSandbox;
  slack?: SlackStandIn;
  env?: Env;
  now?: () => Date;
  syncDebounceMs?: number;
  doorflowRetry?: StartOptions["doorflowRetry"];
  buzzinRetry?: StartOptions["buzzinRetry"];
  slackRetry?: StartOptions["slackRetry"];
  catchUp?: boolean;
  /** Pauses between the background re-runs of the start-up check while degraded (tests shorten them). */
  startupRecheckMs?: StartOptions["startupRecheckMs"];
  /** A Buzz-in community too: its sandbox is started and the bot configured for it and its webhooks. */
  buzzin?: BuzzinSandboxOptions | true;
  /** Reuse a running Buzz-in sandbox instead (restarts keep Buzz-in's state); its webhooks follow the bot. */
  buzzinSandbox?: RunningBuzzinSandbox;
}

export interface Story {
  gatehouse: Gatehouse;
  doorflow: RunningDoorFlowSandbox;
  /** Present when the story was started with `buzzin`. */
  buzzin?: RunningBuzzinSandbox;
  slack: SlackStandIn;
  driver: SlackDriver;
  databaseFile: string;
  env: Env;
  /** Stops the bot only (keeps the stand-ins and the database), for restart tests. */
  stopBot(): Promise<void>;
  close(): Promise<void>;
}

/** The Slack stand-in with the story's people and channels. */
export function startStorySlack(
  options: Pick<SlackStandInOptions, "usergroups" | "methodLatencyMs"> = {},
): Promise<SlackStandIn> {
  return startSlackStandIn({
    ...options,
    users: Object.values(CAST).map((u) => ({ ...u })),
    channels: [
      { id: CHANNELS.approval, name: "access-approvals", members: [CAST.approver.id, CAST.approver2.id] },
      { id: CHANNELS.security, name: "security-alerts", members: [CAST.operator.id] },
      { id: CHANNELS.facilities, name: "facilities", members: [CAST.operator.id] },
    ],
  });
}

/** The bot's environment against the stand-ins (also what a bot started as a process gets). */
export function storyEnv(options: {
  doorflow: RunningDoorFlowSandbox;
  slack: SlackStandIn;
  databaseFile: string;
  env?: Env;
}): Env {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slack.url,
    PORT: "0",
    DOORFLOW_BASE_URL: options.doorflow.url,
    DOORFLOW_ACCESS_TOKEN: options.doorflow.sandbox.token ?? "sandbox",
    DATABASE_URL: `file:${options.databaseFile}`,
    APPROVAL_CHANNEL_ID: CHANNELS.approval,
    SECURITY_CHANNEL_ID: CHANNELS.security,
    FACILITIES_CHANNEL_ID: CHANNELS.facilities,
    APPROVER_USER_IDS: `${CAST.approver.id},${CAST.approver2.id}`,
    OPERATOR_USER_IDS: CAST.operator.id,
    ...options.env,
  };
}

export async function startStory(options: StoryOptions): Promise<Story> {
  const dir = options.databaseFile ? undefined : mkdtempSync(join(tmpdir(), "gatehouse-story-"));
  const databaseFile = options.databaseFile ?? join(dir as string, "gatehouse.db");
  const doorflow = options.sandbox ?? (await startDoorFlowSandbox({ ...options.doorflow }));
  const slack = options.slack ?? (await startStorySlack());
  const buzzin =
    options.buzzinSandbox ??
    (options.buzzin ? await startBuzzinSandbox(options.buzzin === true ? {} : options.buzzin) : undefined);
  const ownBuzzin = options.buzzinSandbox ? undefined : buzzin;
  const buzzinEnv: Env = buzzin
    ? {
        BUZZIN_BASE_URL: buzzin.url,
        BUZZIN_API_KEY: DEFAULT_BUZZIN_API_KEY,
        BUZZIN_WEBHOOK_TOKEN: buzzin.sandbox.webhookToken || DEFAULT_BUZZIN_WEBHOOK_TOKEN,
      }
    : {};
  const env = storyEnv({ doorflow, slack, databaseFile, env: { ...buzzinEnv, ...options.env } });
  const config = parseConfig(env);
  const startOptions: StartOptions = {
    logger: options.logger,
    port: 0,
    now: options.now,
    syncDebounceMs: options.syncDebounceMs ?? 50,
    doorflowRetry: options.doorflowRetry,
    buzzinRetry: options.buzzinRetry,
    slackRetry: options.slackRetry,
    catchUp: options.catchUp,
    startupRecheckMs: options.startupRecheckMs,
  };
  const gatehouse = await startGatehouse(config, startOptions).catch(async (error: unknown) => {
    // Do not leave the stand-ins this story started listening when the bot refuses to start.
    if (!options.slack) await slack.close();
    if (!options.sandbox) await doorflow.close();
    await ownBuzzin?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  if (buzzin) buzzin.sandbox.webhookUrl = `${gatehouse.http.url}/webhooks/buzzin`;
  const driver = createSlackDriver({
    eventsUrl: `${gatehouse.http.url}/slack/events`,
    signingSecret: SIGNING_SECRET,
    standIn: slack,
    now: options.now,
  });
  let botStopped = false;
  const stopBot = async () => {
    if (botStopped) return;
    botStopped = true;
    await gatehouse.stop();
  };
  return {
    gatehouse,
    doorflow,
    ...(buzzin ? { buzzin } : {}),
    slack,
    driver,
    databaseFile,
    env,
    stopBot,
    close: async () => {
      await stopBot();
      await ownBuzzin?.close();
      if (!options.slack) await slack.close();
      if (!options.sandbox) await doorflow.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
