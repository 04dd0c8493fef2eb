/** What every CLI command gets: its output, the environment, and a way to open DoorFlow and the database. */
import { type DoorFlowSettings, type Env, parseDoorFlowSettings } from "../config.js";
import { closeDatabase, type Database, openDatabase } from "../db/database.js";
import type { DoorFlowClient } from "../doorflow/client.js";
import { createLogger, type Logger } from "../lib/logger.js";
import { createDoorFlowClient } from "../wiring/doorflow.js";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /**
   * Reads one line typed (or pasted) by the operator; `null` at end of input or once `signal`
   * aborts (the browser answered first, so the prompt is abandoned).
   */
  readLine(prompt: string, signal?: AbortSignal): Promise<string | null>;
}

export interface CliContext {
  io: CliIo;
  env: Env;
}

export interface DoorFlowSession {
  settings: DoorFlowSettings;
  db: Database;
  client: DoorFlowClient;
  logger: Logger;
  close(): Promise<void>;
}

/** Log lines go to the command's own stderr, so they never mix into the report on stdout. */
export function openDoorFlowSession({ io, env }: CliContext): DoorFlowSession {
  const settings = parseDoorFlowSettings(env);
  const logger = createLogger({
    // The report already says what went wrong; info lines would only repeat it.
    level: settings.logLevel === "info" ? "warn" : settings.logLevel,
    base: { app: "gatehouse-cli" },
    write: (line) => io.err(line),
  });
  const db = openDatabase(settings.databaseUrl);
  const client = createDoorFlowClient(settings.doorflow, db, logger);
  return {
    settings,
    db,
    client,
    logger,
    close: async () => {
      await client.close();
      closeDatabase(db);
    },
  };
}
