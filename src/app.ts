/**
 * The composition root's body: configuration → database → DoorFlow client → account time zone →
 * Slack app → use cases → HTTP server → background work. `main.ts` adds process concerns (signals,
 * exit codes); tests and the demo start and stop this directly.
 */
import { randomUUID } from "node:crypto";
import type { Config } from "./config.js";
import { closeDatabase, type Database, openDatabase } from "./db/database.js";
import { createCatalog } from "./domain/catalog.js";
import { runDailyJob } from "./domain/daily-run.js";
import type { Deps } from "./domain/deps.js";
import { createAccessPolicy } from "./domain/policy.js";
import { provisionRequest } from "./domain/provisioning.js";
import { expirePending } from "./domain/requests.js";
import { createSyncScheduler } from "./domain/sync.js";
import type { DoorFlowClient, DoorFlowClientOptions } from "./doorflow/client.js";
import { createHttpServer, listen, type Route, type RunningServer, sendJson } from "./http/server.js";
import { startDailyJob } from "./jobs/daily.js";
import { startProvisioningRetries } from "./jobs/provisioning-retry.js";
import { offboardingDueAt } from "./jobs/schedule.js";
import { errorMessage } from "./lib/errors.js";
import type { Logger } from "./lib/logger.js";
import { createWorkTracker } from "./lib/work.js";
import { createSlackApp } from "./slack/app.js";
import { createSlackDirectory } from "./slack/directory.js";
import { registerListeners } from "./slack/listeners/index.js";
import { createSlackMessenger } from "./slack/messenger.js";
import { createDoorFlowClient, resolveAccountTimeZone } from "./wiring/doorflow.js";

export interface Gatehouse {
  db: Database;
  doorflow: DoorFlowClient;
  deps: Deps;
  timeZone: string;
  http: RunningServer;
  /** Work started after Slack was acknowledged has finished (tests, the demo). */
  idle(): Promise<void>;
  /** One pass of the provisioning retries and pending-request expiry (what the timer runs). */
  housekeeping(): Promise<number>;
  /** The daily job now (what OFFBOARD_CRON runs; also run once at start to catch up). */
  runDaily(): Promise<void>;
  /** When OFFBOARD_CRON next fires. */
  nextDailyRun(): Date | null;
  /** Stops taking requests, drains in-flight work (bounded), then closes everything. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** Overrides `config.slack.port` (tests use 0). */
  port?: number;
  /** Injected clock (tests). */
  now?: () => Date;
  /** How long shutdown waits for in-flight work. */
  drainMs?: number;
  /** Debounce of DoorFlow syncs (tests shorten it). */
  syncDebounceMs?: number;
  /** Run the daily job once at start (default true). */
  catchUp?: boolean;
  /** The DoorFlow client's retry policy (tests shorten the backoff). */
  doorflowRetry?: DoorFlowClientOptions["retry"];
}

export async function startGatehouse(config: Config, options: StartOptions): Promise<Gatehouse> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const db = openDatabase(config.databaseUrl);
  const doorflow = createDoorFlowClient(config.doorflow, db, logger, { retry: options.doorflowRetry });
  const cleanups: Array<() => Promise<void> | void> = [() => closeDatabase(db), () => doorflow.close()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };
  try {
    const zone = await resolveAccountTimeZone(doorflow, config.accountTimeZone);
    logger.info("account time zone", {
      timeZone: zone.timeZone,
      source: zone.source,
      reported: zone.reported,
    });

    const slack = createSlackApp(config.slack, logger);
    const catalog = createCatalog(doorflow);
    const sync = createSyncScheduler({
      sync: () => doorflow.requestSync(),
      logger: logger.child({ component: "sync" }),
      debounceMs: options.syncDebounceMs,
    });
    cleanups.push(() => sync.stop());
    const deps: Deps = {
      db,
      doorflow,
      catalog,
      policy: createAccessPolicy(
        {
          approvers: { userIds: [...config.approvers.userIds], usergroupId: config.approvers.usergroupId },
          operators: { userIds: [...config.operators.userIds], usergroupId: config.operators.usergroupId },
          requesters: config.requesters ? { userIds: [...config.requesters] } : null,
        },
        createSlackDirectory(slack.app.client),
      ),
      messenger: createSlackMessenger(slack.app.client, {
        approvalChannelId: config.channels.approval,
        securityChannelId: config.channels.security,
        facilitiesChannelId: config.channels.facilities,
        timeZone: zone.timeZone,
        pendingApprovalHours: config.pendingApprovalHours,
      }),
      sync,
      settings: {
        timeZone: zone.timeZone,
        contractorMaxDays: config.contractorMaxDays,
        visitorApproval: config.visitorApproval,
        pendingApprovalHours: config.pendingApprovalHours,
        securityChannelId: config.channels.security,
        offboardingDueAt: (lastDay) => offboardingDueAt(config.offboardCron, zone.timeZone, lastDay),
      },
      logger,
      now,
      processId: `${process.pid}-${randomUUID().slice(0, 8)}`,
    };

    const work = createWorkTracker();
    const provision = async (requestId: string) => {
      const result = await provisionRequest(deps, requestId);
      logger.info("provisioning", { requestId, status: result.status });
    };
    registerListeners(slack.app, { deps, work, provision });
    // Warm the caches the modal and provisioning read, so the first click does not wait for them.
    void catalog
      .credentialTypes()
      .catch((error: unknown) =>
        logger.warn("could not read credential types", { error: errorMessage(error) }),
      );
    void catalog.groups().catch(() => undefined);

    const routes: Route[] = [
      {
        method: "GET",
        path: "/healthz",
        handler: (_req, res) => sendJson(res, 200, { status: "ok", timeZone: zone.timeZone }),
      },
    ];
    if (slack.requestListener) {
      const listener = slack.requestListener;
      routes.push({ method: "POST", path: "/slack/events", handler: (req, res) => listener(req, res) });
    }
    const http = await listen(createHttpServer(routes, logger), options.port ?? config.slack.port);
    cleanups.push(() => http.close());
    await slack.start();
    cleanups.push(() => slack.stop());
    logger.info("listening", { port: http.port, mode: config.slack.mode });

    const retries = startProvisioningRetries(deps, (id) => work.run(() => provision(id)), {
      expirePending: () => expirePending(deps),
    });
    cleanups.push(() => retries.stop());
    void work.run(() => retries.runOnce());

    const daily = startDailyJob({
      pattern: config.offboardCron,
      timeZone: zone.timeZone,
      logger,
      run: (scheduledFor) => work.run(() => runDailyJob(deps, scheduledFor)),
    });
    cleanups.push(() => daily.stop());
    // Catch up a run missed while the bot was down: only what is due by now is touched.
    if (options.catchUp !== false) void daily.runNow();

    let stopping: Promise<void> | undefined;
    return {
      db,
      doorflow,
      deps,
      timeZone: zone.timeZone,
      http,
      housekeeping: () => work.run(() => retries.runOnce()),
      runDaily: () => daily.runNow(),
      nextDailyRun: () => daily.nextRun(),
      idle: async () => {
        while (work.active > 0) await work.drain(60_000);
        await sync.idle();
      },
      stop: () => {
        stopping ??= (async () => {
          await http.close();
          await slack.stop();
          retries.stop();
          daily.stop();
          const left = await work.drain(options.drainMs ?? 10_000);
          if (left > 0) logger.warn("stopped with work still running", { left });
          await cleanup();
          logger.info("stopped");
        })();
        return stopping;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
