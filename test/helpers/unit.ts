/**
 * What a fast listener or use-case test runs on: a real SQLite database with the real migrations,
 * the real access policy reading approvers and operators from Slack user groups through a real
 * WebClient (answered by msw, test/mocks/slack.ts), and a real Bolt `App` fed payloads in process
 * (Bolt's own `processEvent`, no HTTP). Ports a test does not give throw when touched, so a use
 * case reaching further than the test expects fails loudly instead of passing by accident.
 */
import { App, LogLevel, type Receiver, webApi } from "@slack/bolt";
import type { Deps } from "../../src/domain/deps.js";
import { createAccessPolicy } from "../../src/domain/policy.js";
import { silentLogger } from "../../src/lib/logger.js";
import { createWorkTracker, type WorkTracker } from "../../src/lib/work.js";
import type { SlackContext } from "../../src/slack/context.js";
import { createSlackDirectory } from "../../src/slack/directory.js";
import { RESPONSE_URL } from "../mocks/slack.js";
import { createTestDatabase, type TestDatabase } from "./db.js";

export const ROLE = {
  requester: "U0REQUEST1",
  otherRequester: "U0REQUEST2",
  approver: "U0APPROVE1",
  /** An approver through the approvers' user group, which Slack (msw) lists. */
  groupApprover: "U0APPROVE2",
  operator: "U0OPERATE1",
  stranger: "U0STRANGE1",
} as const;

export const APPROVER_GROUP = "S0APPROVERS";
export const NOW = new Date("2027-03-01T23:30:00Z");

export interface UnitWorld {
  t: TestDatabase;
  deps: Deps;
  close(): void;
}

function absent(name: string): never {
  return new Proxy(
    {},
    {
      get: (_target, key) => {
        throw new Error(`this test gave no ${name} (asked for ${String(key)})`);
      },
    },
  ) as never;
}

/** Deps with a real database and policy; `extra` gives the ports a test needs (catalog, messenger …). */
export function createUnitWorld(extra: Partial<Deps> = {}): UnitWorld {
  const t = createTestDatabase();
  const slack = new webApi.WebClient("xoxb-unit", { retryConfig: { retries: 0 } });
  const policy = createAccessPolicy(
    {
      approvers: { userIds: [ROLE.approver], usergroupId: APPROVER_GROUP },
      operators: { userIds: [ROLE.operator] },
      requesters: { userIds: [ROLE.requester, ROLE.otherRequester] },
    },
    createSlackDirectory(slack),
  );
  const deps: Deps = {
    db: t.db,
    policy,
    now: () => NOW,
    logger: silentLogger,
    processId: "unit-test",
    settings: {
      timeZone: "Pacific/Auckland",
      contractorMaxDays: 90,
      visitorApproval: false,
      pendingApprovalHours: 72,
      securityChannelId: "C0SECURITY",
      offboardingDueAt: () => NOW,
      buzzinTimeZone: "Pacific/Auckland",
      timeZoneOf: () => "Pacific/Auckland",
    },
    doorflow: absent("DoorFlow client"),
    catalog: absent("catalog"),
    messenger: absent("messenger"),
    outbox: absent("outbox"),
    sync: absent("sync scheduler"),
    ...extra,
  };
  return { t, deps, close: () => t.close() };
}

/** A receiver that hands Bolt a payload in process and gives back what the listener acknowledged with. */
class InProcessReceiver implements Receiver {
  private app?: App;
  init(app: App): void {
    this.app = app;
  }
  start = async (): Promise<void> => undefined;
  stop = async (): Promise<void> => undefined;
  async deliver(body: Record<string, unknown>): Promise<unknown> {
    let acked: unknown = "not acknowledged";
    await this.app?.processEvent({
      body,
      ack: async (response?: unknown) => {
        acked = response;
      },
    });
    return acked;
  }
}

export interface ListenerHarness {
  app: App;
  work: WorkTracker;
  ctx: SlackContext;
  /** Delivers a payload; resolves with the acknowledgement once the work after it is done too. */
  deliver(body: Record<string, unknown>): Promise<unknown>;
}

/** A real Bolt App (no guard, no HTTP) with the listeners `register` adds, on these deps. */
export function createListenerHarness(
  deps: Deps,
  register: (app: App, ctx: SlackContext) => void,
  ctx: Partial<SlackContext> = {},
): ListenerHarness {
  const receiver = new InProcessReceiver();
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: "xoxb-unit", botId: "B0BOT", botUserId: "U0BOT", teamId: "T0TEST" }),
    logLevel: LogLevel.ERROR,
    clientOptions: { retryConfig: { retries: 0 } },
  });
  const work = createWorkTracker();
  const full: SlackContext = {
    deps,
    work,
    provision: async () => undefined,
    identity: { wait: async () => ({ teamId: "T0TEST", appId: "A0TEST" }) } as never,
    ...ctx,
  };
  register(app, full);
  return {
    app,
    work,
    ctx: full,
    async deliver(body) {
      const acked = await receiver.deliver(body);
      await work.drain(10_000);
      return acked;
    },
  };
}

/** A button click as Slack sends it (block_actions), with a response URL msw answers. */
export function click(actionId: string, value: string, userId: string): Record<string, unknown> {
  return {
    type: "block_actions",
    team: { id: "T0TEST" },
    user: { id: userId },
    api_app_id: "A0TEST",
    trigger_id: "1337.42.trigger",
    response_url: RESPONSE_URL,
    channel: { id: "C0APPROVAL" },
    message: { ts: "1700000000.000100", text: "" },
    actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1700000000.1" }],
  };
}

/** A slash command as Slack sends it. */
export function slashCommand(command: string, text: string, userId: string): Record<string, unknown> {
  return {
    command,
    text,
    user_id: userId,
    team_id: "T0TEST",
    api_app_id: "A0TEST",
    channel_id: "D0DM",
    trigger_id: "1337.42.trigger",
    response_url: RESPONSE_URL,
  };
}
