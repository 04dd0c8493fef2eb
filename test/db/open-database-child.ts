/**
 * One process of test/db/migration-lock.test.ts. Loading the code takes seconds, so the process
 * is started once and then opens (and so migrates) one database file per line on stdin, as soon as
 * the line arrives: the test sends the same new file to every process at once. Each outcome is one
 * JSON line on stdout.
 */
import { createInterface } from "node:readline";
import { appliedMigrationCount, closeDatabase, openDatabase } from "../../src/db/database.js";

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const file of createInterface({ input: process.stdin })) {
  try {
    const db = openDatabase(`file:${file}`);
    const applied = appliedMigrationCount(db);
    closeDatabase(db);
    process.stdout.write(`${JSON.stringify({ file, applied })}\n`);
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ file, error: error instanceof Error ? error.message : String(error) })}\n`,
    );
  }
}
