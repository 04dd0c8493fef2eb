/**
 * Several processes starting on one new database file (a rolling deploy, a CLI run next to the
 * bot) each open and migrate it at the same instant. Real processes, real files: one must migrate
 * while the others wait for its lock, and none may fail ("database is locked", "table already
 * exists") or apply a migration twice.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { closeDatabase, expectedMigrationCount, openDatabase } from "../../src/db/database.js";

const CHILD = fileURLToPath(new URL("./open-database-child.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");
const PROCESSES = 4;
const TRIALS = 10;

type Outcome = { ready: true } | { file: string; applied: number } | { file: string; error: string };

interface Opener {
  /** The next line the process writes. */
  next(): Promise<Outcome>;
  open(file: string): void;
  child: ChildProcessWithoutNullStreams;
}

function startOpener(): Opener {
  const child = spawn(process.execPath, ["--import", TSX, CHILD], { env: { PATH: process.env.PATH } });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    open: (file) => child.stdin.write(`${file}\n`),
    next: async () => {
      const line = await lines.next();
      if (line.done) throw new Error(`the process ended: ${stderr}`);
      return JSON.parse(line.value) as Outcome;
    },
  };
}

const openers: Opener[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const o of openers.splice(0)) o.child.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("migrating a new database from several processes at once", () => {
  it(`${PROCESSES} processes on a new file, ${TRIALS} times: all open it, each migration applied once`, async () => {
    const expected = expectedMigrationCount();
    openers.push(...Array.from({ length: PROCESSES }, startOpener));
    // Every process has loaded the code before the first file is sent.
    expect(await Promise.all(openers.map((o) => o.next()))).toEqual(openers.map(() => ({ ready: true })));
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-migrate-"));
    dirs.push(dir);
    for (let trial = 0; trial < TRIALS; trial++) {
      const file = join(dir, `gatehouse-${trial}.db`);
      for (const o of openers) o.open(file);
      const outcomes = await Promise.all(openers.map((o) => o.next()));
      expect(outcomes).toEqual(openers.map(() => ({ file, applied: expected })));
      const db = openDatabase(`file:${file}`, { migrate: false });
      const hashes = db.$client.prepare("select hash from __drizzle_migrations").all() as { hash: string }[];
      closeDatabase(db);
      expect(new Set(hashes.map((r) => r.hash)).size).toBe(expected);
      expect(hashes).toHaveLength(expected);
    }
  }, 60_000);
});
