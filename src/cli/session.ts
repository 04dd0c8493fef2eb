/**
 * What a CLI command that acts like the bot needs: the configuration, a logger on stderr, the
 * database, the DoorFlow client, the account zone and the bot's use-case dependencies (alerts and
 * card reminders still go to Slack). Always closed in `finally`.
 */
import { createBuzzinClient } from "../buzzin/client.js";
import { type Config, parseConfig } from "../config.js";
import { closeDatabase, openDatabase } from "../db/database.js";
import type { Deps } from "../domain/deps.js";
import { createLogger } from "../lib/logger.js";
import { buildDeps, createSlackWebClient } from "../wiring/deps.js";
import { createDoorFlowClient, resolveAccountTimeZone } from "../wiring/doorflow.js";
import type { CliContext } from "./context.js";

const CLI_FLUSH_MS = 15_000;

export async function withBotSession<T>(
  { io, env }: CliContext,
  work: (deps: Deps, config: Config) => Promise<T>,
  options: { now?: () => Date } = {},
): Promise<T> {
  const config = parseConfig(env);
  const logger = createLogger({
    level: config.logLevel === "info" ? "warn" : config.logLevel,
    base: { app: "gatehouse-cli" },
    write: (line) => io.err(line),
  });
  const db = openDatabase(config.databaseUrl);
  const doorflow = createDoorFlowClient(config.doorflow, db, logger);
  // The daily job's offboardings include Buzz-in contractors: offboard-due needs the client too.
  const buzzin = config.buzzin.apiKey ? createBuzzinClient(config.buzzin, { logger }) : undefined;
  let deps: ReturnType<typeof buildDeps> | undefined;
  try {
    const zone = await resolveAccountTimeZone(doorflow, config.accountTimeZone);
    deps = buildDeps(config, {
      db,
      doorflow,
      buzzin,
      timeZone: zone.timeZone,
      logger,
      now: options.now ?? (() => new Date()),
      slackClient: createSlackWebClient(config.slack, logger),
      syncDebounceMs: 0,
    });
    const result = await work(deps, config);
    await deps.sync.idle();
    // Alerts and card reminders go out before the command exits; whatever Slack does not take
    // in time stays in the outbox, and the running bot delivers it.
    await deps.outbox.flush(CLI_FLUSH_MS);
    return result;
  } finally {
    deps?.sync.stop();
    deps?.outbox.stop();
    await doorflow.close();
    await buzzin?.close();
    closeDatabase(db);
  }
}
