/**
 * The composition root's body: configuration → database → DoorFlow client → account time zone →
 * Slack app → use cases → HTTP server → background work. `main.ts` adds process concerns (signals,
 * exit codes); tests and the demo start and stop this directly.
 */
import { type BuzzinClientOptions, createBuzzinClient } from "./buzzin/client.js";
import { createDeliveryStore } from "./db/repositories/webhook-deliveries.js";
import type { Config } from "./config.js";
import { handleBuzzinEvent, reportUnusableDelivery } from "./domain/providers/buzzin/events.js";
import { reconcileBuzzin } from "./domain/providers/buzzin/reconcile.js";
import { buzzinWebhookRoute } from "./http/buzzin-webhook.js";
import { hrWebhookRoute } from "./http/hr-webhook.js";
import { scimRoutes } from "./http/scim/routes.js";
import { createLeaverProcessor, type LeaverProcessor } from "./domain/leavers.js";
import { closeDatabase, type Database, openDatabase } from "./db/database.js";
import { runDailyJob } from "./domain/daily-run.js";
import type { Deps } from "./domain/deps.js";
import { provisionApproved } from "./domain/providers/index.js";
import { expirePending } from "./domain/requests.js";
import type { DoorFlowClient, DoorFlowClientOptions } from "./doorflow/client.js";
import { createHttpServer, listen, type Route, type RunningServer, sendJson } from "./http/server.js";
import { type DailyJob, startDailyJob } from "./jobs/daily.js";
import { type ProvisioningRetries, startProvisioningRetries } from "./jobs/provisioning-retry.js";
import { runDueOffboardings } from "./domain/due-offboardings.js";
import { settledWithin } from "./lib/deadline.js";
import { errorMessage, GatehouseError } from "./lib/errors.js";
import type { Logger } from "./lib/logger.js";
import { type RetryLoop, retryUntilDone } from "./lib/retry-loop.js";
import { createWorkTracker } from "./lib/work.js";
import { createSlackApp, SLACK_BODY_LIMIT_BYTES, type SlackRetry } from "./slack/app.js";
import type { SlackOutbox } from "./slack/outbox.js";
import { registerListeners } from "./slack/listeners/index.js";
import { createStartupGate } from "./slack/startup-gate.js";
import { buildDeps } from "./wiring/deps.js";
import { createHomeRefresher } from "./wiring/home-refresher.js";
import { type AccountZone, createDoorFlowClient } from "./wiring/doorflow.js";
import { takeOverLeasesOfGoneOwners } from "./wiring/lease-owner.js";
import {
  type CheckInput,
  checkBeforeStart,
  postSelfCheckWarnings,
  runStartupCheck,
} from "./wiring/self-check.js";
import { accountZoneIfReachable, type Health, healthOf } from "./wiring/startup.js";

export interface Gatehouse {
  db: Database;
  doorflow: DoorFlowClient;
  /** The use cases' dependencies; reading them before the bot is up (`ready`) throws. */
  deps: Deps;
  /** The account's time zone; reading it before the bot is up throws. */
  timeZone: string;
  http: RunningServer;
  /**
   * Resolves once the bot is up: at once, unless DoorFlow was down at start and the account's time
   * zone was not configured, in which case when DoorFlow first answers.
   */
  ready: Promise<void>;
  /** What /healthz reports: "ok", or "degraded" with the problems' codes. */
  health(): Health;
  /** Work started after Slack was acknowledged has finished (tests, the demo). */
  idle(): Promise<void>;
  /** One pass of the provisioning retries and pending-request expiry (what the timer runs). */
  housekeeping(): Promise<number>;
  /** The daily job now (what OFFBOARD_CRON runs; also run once at start to catch up). */
  runDaily(): Promise<void>;
  /** When OFFBOARD_CRON next fires. */
  nextDailyRun(): Date | null;
  /** Stops taking requests, drains in-flight work (bounded), then closes everything. Safe to call twice. */
  stop(): Promise<StopResult>;
}

interface StopResult {
  /** Work still running when the drain's time was up; a restart resumes it. */
  abandoned: number;
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
  /** The Buzz-in client's retry policy (tests shorten the backoff). */
  buzzinRetry?: BuzzinClientOptions["retry"];
  /**
   * Pauses between the background re-runs of the start-up check while a service is down (the last
   * one repeats); default 5 s, 15 s, 30 s, then every minute.
   */
  startupRecheckMs?: number[];
  /** The Slack Web API client's retries (the fault suite shortens them). */
  slackRetry?: SlackRetry;
}

/** What runs once the account's time zone is known. */
interface Running {
  zone: AccountZone;
  deps: Deps;
  /** Alerts and DMs owed to Slack, delivered in order and kept across restarts. */
  outbox: SlackOutbox;
  provision: (requestId: string) => Promise<void>;
  retries: ProvisioningRetries;
  daily: DailyJob;
  leavers: LeaverProcessor;
}

export async function startGatehouse(config: Config, options: StartOptions): Promise<Gatehouse> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const db = openDatabase(config.databaseUrl);
  const doorflow = createDoorFlowClient(config.doorflow, db, logger, { retry: options.doorflowRetry });
  const buzzin = config.buzzin.apiKey
    ? createBuzzinClient(config.buzzin, {
        logger: logger.child({ component: "buzzin" }),
        retry: options.buzzinRetry,
      })
    : undefined;
  const cleanups: Array<() => Promise<void> | void> = [
    () => closeDatabase(db),
    () => doorflow.close(),
    () => buzzin?.close(),
  ];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };
  try {
    const slack = createSlackApp(config.slack, logger, {
      retryDelaysMs: options.startupRecheckMs,
      ...(options.slackRetry ? { retry: options.slackRetry } : {}),
    });
    // Learned now, beside the check, so the first request does not wait for two Web API calls.
    slack.identity.start();
    cleanups.push(() => slack.identity.stop());
    const checkInput: CheckInput = { config, db, doorflow, buzzin, slackClient: slack.app.client, logger };
    // A configuration problem stops the start here; a temporary one (DoorFlow or Slack down, or
    // limiting us) does not: the bot starts degraded and checks again in the background.
    let problems = await checkBeforeStart(checkInput);
    const work = createWorkTracker();
    let running: Running | undefined;
    let onUp: { resolve(r: Running): void; reject(e: Error): void } | undefined;
    const up = new Promise<Running>((resolve, reject) => (onUp = { resolve, reject }));
    up.catch(() => undefined);
    // Until the bot is up, Slack is acknowledged and nothing else happens.
    slack.app.use(createStartupGate(() => running !== undefined));

    // Read per request, so routes added once the bot is up (SCIM) are served from then on.
    const routes: Route[] = [];
    const bringUp = (zone: AccountZone): Running => {
      logger.info("account time zone", {
        timeZone: zone.timeZone,
        source: zone.source,
        reported: zone.reported,
      });
      const deps = buildDeps(config, {
        db,
        doorflow,
        buzzin,
        timeZone: zone.timeZone,
        logger,
        now,
        slackClient: slack.app.client,
        syncDebounceMs: options.syncDebounceMs,
      });
      const { catalog, sync, outbox } = deps;
      cleanups.push(() => sync.stop());
      // Messages a stopped process still owed (Slack was down, or it was killed) go out now.
      outbox.start();
      cleanups.push(() => outbox.stop());
      // What a killed process on this host was doing is resumed now, not when its leases lapse, and
      // whatever it changed without syncing reaches the door controllers.
      takeOverLeasesOfGoneOwners(db, now(), logger);
      sync.request("start");
      void postSelfCheckWarnings(
        problems.filter((p) => !p.temporary),
        { db, messenger: deps.messenger, logger, now, securityChannelId: config.channels.security },
      );

      const provision = async (requestId: string) => {
        const result = await provisionApproved(deps, requestId);
        logger.info("provisioning", { requestId, status: result.status });
      };
      const leavers = createLeaverProcessor(deps, (job) => work.run(job));
      registerListeners(slack.app, {
        deps,
        work,
        provision,
        identity: slack.identity,
        refreshHome: createHomeRefresher(deps, work, slack.app.client),
        leavers,
      });
      // Leavers recorded before a crash or while starting (answered, not yet acted on) are acted on now.
      void leavers.kick();
      if (config.leavers.scimToken) {
        // In front of the placeholders that answered 503 while the bot was starting.
        routes.unshift(
          ...scimRoutes({
            token: config.leavers.scimToken,
            deps,
            onLeaver: () => void leavers.kick(),
            logger: logger.child({ component: "scim" }),
          }),
        );
      }
      // Warm the caches the modal and provisioning read, so the first click does not wait for them.
      void catalog
        .credentialTypes()
        .catch((error: unknown) =>
          logger.warn("could not read credential types", { error: errorMessage(error) }),
        );
      void catalog.groups().catch(() => undefined);

      let firstReconcile = true;
      const retries = startProvisioningRetries(deps, (id) => work.run(() => provision(id)), {
        // Owed Slack messages first, in order, before this pass adds more.
        deliver: () => outbox.drain(),
        expirePending: () => expirePending(deps),
        // A failed offboarding is retried on its backoff, not only at the next daily run; a leaver
        // event DoorFlow could not be read for is tried again.
        retryOffboardings: async () => {
          await runDueOffboardings(deps);
          await leavers.kick();
        },
        // A pass Buzz-in issued whose webhook never came (or whose code never reached the requester)
        // is found by reading the permit back; a lost approval, by trying the permit. At start every
        // permit waiting on a webhook is read back once (a process killed between a webhook's answer
        // and the DM left its pass unsent); later, the ones idle for a while.
        reconcile: () => {
          const all = firstReconcile;
          firstReconcile = false;
          return reconcileBuzzin(deps, { all, provision });
        },
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
      running = { zone, deps, outbox, provision, retries, daily, leavers };
      onUp?.resolve(running);
      return running;
    };

    const zone = await accountZoneIfReachable(doorflow, config.accountTimeZone, logger);
    if (zone) bringUp(zone);
    const health = () => healthOf(problems, running?.zone.timeZone);

    routes.push({ method: "GET", path: "/healthz", handler: (_req, res) => sendJson(res, 200, health()) });
    if (config.buzzin.webhookToken) {
      routes.push(
        buzzinWebhookRoute({
          token: config.buzzin.webhookToken,
          deliveries: createDeliveryStore(db),
          // Accepted while the bot is still starting; handled once it is up.
          onEvent: async (event, { deliveryId }) => {
            const bot = running ?? (await up);
            const outcome = await handleBuzzinEvent(bot.deps, event, (id) => bot.provision(id));
            logger.info("buzzin webhook", { deliveryId, event: event.event, outcome });
          },
          onUnusable: async (delivery) => reportUnusableDelivery((running ?? (await up)).deps, delivery),
          logger: logger.child({ component: "buzzin-webhook" }),
          now,
          work,
        }),
      );
    }
    if (config.leavers.hrWebhookSecret) {
      routes.push(
        hrWebhookRoute({
          secret: config.leavers.hrWebhookSecret,
          db,
          // Recorded while starting, acted on once the bot is up (bringUp kicks the processor).
          onRecorded: () => void running?.leavers.kick(),
          logger: logger.child({ component: "hr-webhook" }),
          now,
        }),
      );
    }
    if (config.leavers.scimToken && !running) {
      // SCIM needs the bot up; until then the identity provider is told to try again.
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const)
        routes.push({
          method,
          path: "/scim/v2/*",
          handler: (_req, res) => {
            res.setHeader("retry-after", "60");
            sendJson(res, 503, { error: "starting" });
          },
        });
    }
    if (slack.requestListener) {
      const listener = slack.requestListener;
      routes.push({
        method: "POST",
        path: "/slack/events",
        handler: (req, res) => listener(req, res),
        maxBodyBytes: SLACK_BODY_LIMIT_BYTES,
      });
    }
    const http = await listen(createHttpServer(routes, logger), options.port ?? config.slack.port);
    cleanups.push(() => http.close());
    await slack.start();
    cleanups.push(() => slack.stop());
    logger.info("listening", { port: http.port, mode: config.slack.mode, status: health().status });

    // Degraded: the check again, in the background, until nothing temporary is left and the bot is up.
    let recovery: RetryLoop | undefined;
    if (health().status === "degraded") {
      logger.warn("started degraded: checking again until it passes", { problems: health().problems });
      recovery = retryUntilDone(
        async () => {
          problems = await runStartupCheck(checkInput);
          if (problems.some((p) => p.temporary || p.severity === "fatal")) return false;
          if (!running) {
            const known = await accountZoneIfReachable(doorflow, config.accountTimeZone, logger);
            if (!known) return false;
            bringUp(known);
          } else {
            void postSelfCheckWarnings(problems, {
              db,
              messenger: running.deps.messenger,
              logger,
              now,
              securityChannelId: config.channels.security,
            });
          }
          logger.info("start-up check passed: no longer degraded");
          return true;
        },
        { delaysMs: options.startupRecheckMs, immediately: false },
      );
      cleanups.push(() => recovery?.stop());
    }

    const ready = () => {
      if (running) return running;
      throw new GatehouseError("not_started", "Gatehouse is still starting: DoorFlow has not answered yet.");
    };
    let stopping: Promise<StopResult> | undefined;
    return {
      db,
      doorflow,
      get deps() {
        return ready().deps;
      },
      get timeZone() {
        return ready().zone.timeZone;
      },
      http,
      ready: up.then(() => undefined),
      health,
      housekeeping: () => (running ? work.run(() => ready().retries.runOnce()) : Promise.resolve(0)),
      runDaily: () => running?.daily.runNow() ?? Promise.resolve(),
      nextDailyRun: () => running?.daily.nextRun() ?? null,
      idle: async () => {
        do {
          while (work.active > 0) await work.drain(60_000);
          await running?.outbox.idle();
        } while (work.active > 0);
        await running?.deps.sync.idle();
      },
      stop: () => {
        stopping ??= (async () => {
          const deadline = Date.now() + (options.drainMs ?? 10_000);
          const remaining = () => Math.max(0, deadline - Date.now());
          // New work is refused from here on: no new connections, 503 on kept-alive ones, no timers.
          const closing = http.close();
          recovery?.stop();
          running?.retries.stop();
          running?.daily.stop();
          // Webhooks accepted while starting stop waiting; their deliveries stay claimable by a re-send.
          onUp?.reject(new GatehouseError("stopping", "Gatehouse stopped before it was up."));
          await slack.stop();
          const abandoned = await work.drain(remaining());
          if (abandoned > 0) logger.warn("stopped with work still running", { abandoned });
          // What was just granted or revoked reaches the door controllers before the process goes.
          else if (running) await settledWithin(running.deps.sync.flush(), remaining());
          // What is still owed to Slack waits in the outbox for the next start if time runs out.
          if (running) {
            await running.outbox.flush(remaining());
            running.outbox.stop();
          }
          await settledWithin(closing, remaining());
          http.server.closeAllConnections();
          await cleanup();
          logger.info("stopped", { abandoned });
          return { abandoned };
        })();
        return stopping;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
