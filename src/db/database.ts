/**
 * Opens the SQLite database: creates its directory, sets WAL mode, a busy timeout and foreign keys,
 * and applies the committed drizzle migrations. Repositories take an `Executor` — the database or a
 * transaction — so a use case can make several writes atomic.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunResult } from "better-sqlite3";
import Sqlite from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { GatehouseError } from "../lib/errors.js";
import * as schema from "./schema.js";

type Schema = typeof schema;
export type Database = BetterSQLite3Database<Schema> & { $client: Sqlite.Database };
/** The database or a transaction on it: what every repository function accepts. */
export type Executor = BaseSQLiteDatabase<"sync", RunResult, Schema>;

/** The committed migrations; the same relative place from `src/db` and from `dist/db`. */
const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle/", import.meta.url));

/** Waiting this long for another process's write lock beats failing a click with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** Another process migrating the same file is waited for this long (a migration takes well under a second). */
const MIGRATION_LOCK_WAIT_MS = 30_000;
/** drizzle's bookkeeping table: kept, so databases migrated before this runner need nothing. */
const MIGRATIONS_TABLE = "__drizzle_migrations";

/**
 * `DATABASE_URL` accepts `file:./relative`, `file:/absolute`, `file:///absolute`, a plain path and
 * `:memory:`. Relative paths are resolved against `cwd`.
 */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): string {
  const trimmed = url.trim();
  if (trimmed === "" || trimmed === "file:") {
    throw new GatehouseError(
      "database_url_invalid",
      "DATABASE_URL is empty: expected a file path such as file:./data/gatehouse.db",
    );
  }
  if (trimmed === ":memory:" || trimmed === "file::memory:") return ":memory:";
  let path = trimmed;
  if (path.startsWith("file://")) path = fileURLToPath(path);
  else if (path.startsWith("file:")) path = path.slice("file:".length);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new GatehouseError(
      "database_url_invalid",
      `DATABASE_URL ${url} is not a SQLite file: expected file:./data/gatehouse.db or a path`,
    );
  }
  return resolve(cwd, path);
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  cwd?: string;
  /** Tests of older schemas point this at a copy holding only the first migrations. */
  migrationsFolder?: string;
}

/**
 * Applies the committed migrations, the way drizzle's migrator does (same `__drizzle_migrations`
 * table and rows, a migration is pending when it is newer than the last one applied), but with the
 * check and the changes in one `BEGIN EXCLUSIVE` transaction. drizzle reads what is applied
 * before its transaction starts, so two processes opening a new file together both found nothing
 * applied and the second then failed on "table already exists" (or on "database is locked").
 * Here the second waits for the lock (up to MIGRATION_LOCK_WAIT_MS), then finds everything done.
 *
 * drizzle-kit rebuilds a table to change a column (create new, copy, drop old, rename), and its
 * `PRAGMA foreign_keys=OFF` is a no-op inside a transaction: with keys on, dropping a table other
 * rows point at fails. SQLite's documented recipe is to migrate with keys off, then run
 * `foreign_key_check` before committing, which this does.
 */
function migrateUnderLock(client: Sqlite.Database, migrationsFolder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  client.pragma("foreign_keys = OFF");
  client.pragma(`busy_timeout = ${MIGRATION_LOCK_WAIT_MS}`);
  try {
    client.exec("BEGIN EXCLUSIVE");
    try {
      client.exec(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
      const last = client
        .prepare(`SELECT created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at DESC LIMIT 1`)
        .get() as { created_at: number | string } | undefined;
      const record = client.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES (?, ?)`);
      for (const migration of migrations) {
        if (last && Number(last.created_at) >= migration.folderMillis) continue;
        for (const statement of migration.sql) if (statement.trim() !== "") client.exec(statement);
        record.run(migration.hash, migration.folderMillis);
      }
      const broken = client.pragma("foreign_key_check") as Array<{ table: string; parent: string }>;
      if (broken.length > 0) {
        const first = broken[0] as { table: string; parent: string };
        throw new Error(
          `the migrations left ${broken.length} row(s) pointing at missing rows (first: ${first.table} → ${first.parent})`,
        );
      }
      client.exec("COMMIT");
    } catch (error) {
      if (client.inTransaction) client.exec("ROLLBACK");
      throw error;
    }
  } finally {
    client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

/** Opening is synchronous (start-up, before anything else runs), so the pause between tries blocks. */
function retryWhileBusy<T>(work: () => T, deadline: number): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "string" || !code.startsWith("SQLITE_BUSY") || Date.now() >= deadline) throw error;
      const pause = Math.min(200, 10 * attempt) * (0.5 + Math.random());
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    }
  }
}

export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Database {
  const file = parseDatabaseUrl(url, options.cwd);
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const client = new Sqlite(file);
  try {
    client.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Turning a new file to WAL needs a lock another process opening it may hold, and SQLite
    // answers SQLITE_BUSY there without waiting (its busy handler is skipped to avoid a deadlock).
    const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
    retryWhileBusy(() => client.pragma("journal_mode = WAL"), deadline);
    client.pragma("synchronous = NORMAL");
    const db = drizzle(client, { schema });
    if (options.migrate !== false) {
      const folder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
      retryWhileBusy(() => migrateUnderLock(client, folder), deadline);
    }
    client.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    client.close();
    throw new GatehouseError(
      "database_open_failed",
      `Could not open the database at ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Runs `work` in one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two
 * processes never both read a row and then both try to claim it.
 */
export function inTransaction<T>(db: Database, work: (tx: Executor) => T): T {
  return db.transaction((tx) => work(tx), { behavior: "immediate" });
}

/** Names of migrations applied, for the start-up self-check. */
export function appliedMigrationCount(db: Database): number {
  const row = db.$client.prepare("select count(*) as n from __drizzle_migrations").get() as
    { n: number } | undefined;
  return row?.n ?? 0;
}

/** How many migrations drizzle-kit generated (the journal shipped in `drizzle/meta`). */
export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}meta/_journal.json`, "utf8")) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

export function closeDatabase(db: Database): void {
  if (db.$client.open) db.$client.close();
}
