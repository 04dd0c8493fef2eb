/**
 * The use cases' Deps from the configuration, shared by the bot (src/app.ts) and the operator CLI,
 * so `gatehouse offboard-due` offboards, alerts and syncs exactly as the daily job does. The CLI has
 * no Bolt app: it gets a bare Web API client on the same Slack API URL (`createSlackWebClient`).
 */
import { LogLevel, webApi } from "@slack/bolt";
import type { BuzzinClient } from "../buzzin/client.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import type { ProviderId } from "../domain/model.js";
import { createCatalog } from "../domain/catalog.js";
import type { Deps } from "../domain/deps.js";
import { createAccessPolicy } from "../domain/policy.js";
import { createSyncScheduler } from "../domain/sync.js";
import type { DoorFlowClient } from "../doorflow/client.js";
import { offboardingDueAt } from "../jobs/schedule.js";
import type { Logger } from "../lib/logger.js";
import { boltLogger } from "../slack/bolt-logger.js";
import { createSlackDirectory } from "../slack/directory.js";
import { createSlackMessenger } from "../slack/messenger.js";
import { createSlackOutbox, type SlackOutbox } from "./outbox.js";
import { newLeaseOwnerId } from "./lease-owner.js";

export interface BuildDepsOptions {
  db: Database;
  doorflow: DoorFlowClient;
  /** When Buzz-in is configured (BUZZIN_API_KEY). */
  buzzin?: BuzzinClient;
  /** The account zone, already resolved (ACCOUNT_TIMEZONE or DoorFlow's account). */
  timeZone: string;
  logger: Logger;
  now: () => Date;
  slackClient: webApi.WebClient;
  /** Debounce of DoorFlow syncs (tests shorten it). */
  syncDebounceMs?: number;
}

/** The caller owns `deps.sync` and `deps.outbox`: flush and stop them on shutdown. */
export function buildDeps(config: Config, options: BuildDepsOptions): Deps & { outbox: SlackOutbox } {
  const { db, doorflow, timeZone, logger, now, slackClient } = options;
  const timeZoneOf = (provider?: ProviderId) => (provider === "buzzin" ? config.buzzin.timeZone : timeZone);
  const processId = newLeaseOwnerId();
  const outbox = createSlackOutbox({
    db,
    client: createSlackOutboxClient(config.slack, logger),
    logger: logger.child({ component: "slack-outbox" }),
    now,
    owner: processId,
  });
  return {
    db,
    doorflow,
    ...(options.buzzin ? { buzzin: options.buzzin } : {}),
    catalog: createCatalog(doorflow, { credentialTypes: config.doorflow.credentialTypes }),
    policy: createAccessPolicy(
      {
        approvers: { userIds: [...config.approvers.userIds], usergroupId: config.approvers.usergroupId },
        operators: { userIds: [...config.operators.userIds], usergroupId: config.operators.usergroupId },
        requesters: config.requesters ? { userIds: [...config.requesters] } : null,
      },
      createSlackDirectory(slackClient),
    ),
    messenger: createSlackMessenger(
      slackClient,
      {
        approvalChannelId: config.channels.approval,
        securityChannelId: config.channels.security,
        facilitiesChannelId: config.channels.facilities,
        timeZone,
        timeZoneOf,
        pendingApprovalHours: config.pendingApprovalHours,
      },
      outbox,
      db,
    ),
    outbox,
    sync: createSyncScheduler({
      sync: () => doorflow.requestSync(),
      logger: logger.child({ component: "sync" }),
      debounceMs: options.syncDebounceMs,
    }),
    settings: {
      timeZone,
      contractorMaxDays: config.contractorMaxDays,
      visitorApproval: config.visitorApproval,
      pendingApprovalHours: config.pendingApprovalHours,
      securityChannelId: config.channels.security,
      offboardingDueAt: (lastDay, provider) =>
        offboardingDueAt(config.offboardCron, timeZoneOf(provider), lastDay),
      buzzinTimeZone: config.buzzin.timeZone,
      timeZoneOf,
      slackDeactivationOffboard: config.leavers.slackDeactivation,
    },
    logger,
    now,
    processId,
  };
}

/**
 * A Web API client configured like the Bolt app's (src/slack/app.ts) for processes without one.
 * Its DEBUG lines print request bodies, which may hold a PIN, so they are dropped.
 */
export function createSlackWebClient(slack: Config["slack"], logger: Logger): webApi.WebClient {
  return new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    logger: boltLogger(logger.child({ component: "slack" }), { withoutDebug: true }),
    logLevel: LogLevel.INFO,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  });
}

/**
 * The outbox's own client: it retries durably itself (stored backoff, across restarts), so the
 * client only smooths a blip — two quick retries, a 429 handed back at once with its Retry-After,
 * and a timeout so a hung call never holds the queue.
 */
function createSlackOutboxClient(slack: Config["slack"], logger: Logger): webApi.WebClient {
  return new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    logger: boltLogger(logger.child({ component: "slack" }), { withoutDebug: true }),
    logLevel: LogLevel.INFO,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1_000 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
}
