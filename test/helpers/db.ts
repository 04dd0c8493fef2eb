/** A real SQLite file with the real migrations, in a fresh temporary directory per test. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDatabase, type Database, openDatabase } from "../../src/db/database.js";

export interface TestDatabase {
  db: Database;
  file: string;
  /** Opens a second connection to the same file (another process's view). */
  openAnother(): Database;
  close(): void;
}

export function createTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-test-"));
  const file = join(dir, "gatehouse.db");
  const db = openDatabase(`file:${file}`);
  const others: Database[] = [];
  return {
    db,
    file,
    openAnother() {
      const other = openDatabase(file);
      others.push(other);
      return other;
    },
    close() {
      for (const other of others) closeDatabase(other);
      closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
