import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  appliedMigrationCount,
  closeDatabase,
  inTransaction,
  openDatabase,
  parseDatabaseUrl,
} from "../../src/db/database.js";
import { recordAudit } from "../../src/db/repositories/audit.js";
import { createDbTokenStore } from "../../src/db/repositories/doorflow-tokens.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

describe("parseDatabaseUrl", () => {
  it.each([
    ["file:./data/gatehouse.db", "/srv/app/data/gatehouse.db"],
    ["file:data/x.db", "/srv/app/data/x.db"],
    ["file:/var/lib/gatehouse.db", "/var/lib/gatehouse.db"],
    ["file:///var/lib/gatehouse.db", "/var/lib/gatehouse.db"],
    ["./relative.db", "/srv/app/relative.db"],
    ["/abs/plain.db", "/abs/plain.db"],
    [":memory:", ":memory:"],
  ])("%s → %s", (url, expected) => {
    expect(parseDatabaseUrl(url, "/srv/app")).toBe(expected);
  });

  it("refuses a server URL and an empty value with a message saying what is expected", () => {
    expect(() => parseDatabaseUrl("postgres://db/gatehouse")).toThrow(/not a SQLite file: expected file:/);
    expect(() => parseDatabaseUrl("file:")).toThrow(/DATABASE_URL is empty/);
  });
});

describe("openDatabase", () => {
  it("creates the directory, applies the committed migrations and sets WAL, busy timeout and foreign keys", () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-open-"));
    try {
      const db = openDatabase("file:./nested/deeper/g.db", { cwd: dir });
      expect(existsSync(join(dir, "nested/deeper/g.db"))).toBe(true);
      expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(db.$client.pragma("busy_timeout", { simple: true })).toBe(5000);
      expect(appliedMigrationCount(db)).toBeGreaterThanOrEqual(2);
      const tables = db.$client
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .all()
        .map((r) => (r as { name: string }).name);
      expect(tables).toEqual(
        expect.arrayContaining([
          "access_requests",
          "managed_people",
          "offboardings",
          "audit_events",
          "doorflow_tokens",
          "alerts",
          "reminders",
          "job_runs",
        ]),
      );
      const applied = appliedMigrationCount(db);
      closeDatabase(db);
      // Opening again (as a restart does) applies nothing twice.
      const again = openDatabase(join(dir, "nested/deeper/g.db"));
      expect(appliedMigrationCount(again)).toBe(applied);
      closeDatabase(again);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rolls a transaction back as a whole: repositories accept the transaction", () => {
    t = createTestDatabase();
    const db = t.db;
    expect(() =>
      inTransaction(db, (tx) => {
        recordAudit(tx, { at: new Date(), actor: "system", action: "test.first" });
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(db.$client.prepare("select count(*) as n from audit_events").get()).toEqual({ n: 0 });
  });
});

describe("audit trail", () => {
  it("refuses every UPDATE and DELETE, whatever the caller", () => {
    t = createTestDatabase();
    const event = recordAudit(t.db, {
      at: new Date("2027-03-28T10:00:00Z"),
      actor: "U1",
      action: "request.created",
      subjectEmail: "a@b.c",
    });
    expect(() =>
      t?.db.$client.prepare("update audit_events set action = 'x' where id = ?").run(event.id),
    ).toThrow(/append-only/);
    expect(() => t?.db.$client.prepare("delete from audit_events where id = ?").run(event.id)).toThrow(
      /append-only/,
    );
    expect(() => t?.db.$client.prepare("delete from audit_events").run()).toThrow(/append-only/);
    expect(t.db.$client.prepare("select action from audit_events").all()).toEqual([
      { action: "request.created" },
    ]);
  });
});

describe("DoorFlow token store", () => {
  it("round-trips the pair, keeps both tokens out of the file's bytes, and refuses the wrong secret", () => {
    t = createTestDatabase();
    const store = createDbTokenStore(t.db, {
      baseUrl: "https://api.doorflow.com",
      secret: "client-secret-1",
    });
    expect(store.load()).toBeNull();
    const access = "access-token-ABCDEF-0123456789";
    const refresh = "refresh-token-ZYXWVU-9876543210";
    store.save({
      accessToken: access,
      refreshToken: refresh,
      expiresAt: new Date("2027-01-01T00:00:00Z"),
      scope: "account.person",
    });
    store.save({
      accessToken: `${access}-2`,
      refreshToken: `${refresh}-2`,
      expiresAt: new Date("2027-01-01T01:00:00Z"),
    });
    expect(store.load()).toEqual({
      accessToken: `${access}-2`,
      refreshToken: `${refresh}-2`,
      expiresAt: new Date("2027-01-01T01:00:00Z"),
      scope: null,
    });
    t.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = readFileSync(t.file).toString("latin1");
    expect(bytes).not.toContain("access-token-ABCDEF");
    expect(bytes).not.toContain("refresh-token-ZYXWVU");
    const wrong = createDbTokenStore(t.db, { baseUrl: "https://api.doorflow.com", secret: "another-secret" });
    expect(() => wrong.load()).toThrow(/gatehouse doorflow connect/);
  });
});

describe("upgrading a database that holds data", () => {
  it("rebuilds managed_people (0005) under rows that point at it, keeping every row and link", () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-upgrade-"));
    try {
      // The migrations as they stood before 0005: a copy of drizzle/ with a shortened journal.
      const old = join(dir, "drizzle-0004");
      cpSync(resolve("drizzle"), old, { recursive: true });
      const journalFile = join(old, "meta", "_journal.json");
      const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
      journal.entries = journal.entries.filter((e) => e.tag < "0005");
      writeFileSync(journalFile, JSON.stringify(journal));

      const url = `file:${join(dir, "old.db")}`;
      const before = openDatabase(url, { migrationsFolder: old });
      const now = Date.now();
      before.$client.exec(`
        insert into managed_people (id, doorflow_person_id, kind, first_name, last_name, start_date, end_date, updated_at)
          values (7, 40201, 'contractor', 'Old', 'Row', '2026-11-01', '2026-12-31', ${now});
        insert into offboardings (managed_person_id, doorflow_person_id, person_name, reason, last_day, due_at, requested_by, updated_at)
          values (7, 40201, 'Old Row', 'contract_end', '2026-12-31', ${now}, 'U1', ${now});
        insert into reminders (managed_person_id, kind, end_date, sent_at) values (7, '7d', '2026-12-31', ${now});
      `);
      closeDatabase(before);

      const after = openDatabase(url);
      try {
        const client = after.$client;
        expect(
          client.prepare("select doorflow_person_id as p from managed_people where id = 7").get(),
        ).toEqual({
          p: 40201,
        });
        expect(
          client.prepare("select count(*) as n from offboardings where managed_person_id = 7").get(),
        ).toEqual({
          n: 1,
        });
        expect(client.pragma("foreign_key_check")).toEqual([]);
        expect(client.pragma("foreign_keys", { simple: true })).toBe(1);
        // A Buzz-in contractor has no DoorFlow person.
        client.exec(
          `insert into managed_people (provider, kind, first_name, last_name, start_date, end_date, updated_at)
             values ('buzzin', 'contractor', 'New', 'Row', '2026-12-01', '2026-12-31', ${now})`,
        );
      } finally {
        closeDatabase(after);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
