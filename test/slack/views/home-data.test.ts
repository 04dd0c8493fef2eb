/** What loadHome reads for each role, from a real SQLite database with the real migrations. */
import { afterEach, describe, expect, it } from "vitest";
import {
  decideAccessRequest,
  insertAccessRequest,
  type NewAccessRequest,
} from "../../../src/db/repositories/access-requests.js";
import { claimAlert, resolveAlert } from "../../../src/db/repositories/alerts.js";
import { markOffboarded, upsertManagedPerson } from "../../../src/db/repositories/managed-people.js";
import type { Database } from "../../../src/db/database.js";
import { HOME_LIMITS, type HomeDeps, loadHome } from "../../../src/domain/home.js";
import { createAccessPolicy } from "../../../src/domain/policy.js";
import { addDays } from "../../../src/lib/time.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.js";

const REQUESTER = "U0REQUEST1";
const APPROVER = "U0APPROVE1";
const OPERATOR = "U0OPERATE1";
// 23:30 UTC on 1 March is already 2 March in Auckland: "today" must be the account's day.
const now = new Date("2027-03-01T23:30:00Z");
const TODAY = "2027-03-02";

let t: TestDatabase;
afterEach(() => t?.close());

function deps(): HomeDeps {
  const policy = createAccessPolicy(
    { approvers: { userIds: [APPROVER] }, operators: { userIds: [OPERATOR] }, requesters: null },
    { usergroupMembers: async () => [] },
  );
  return { db: t.db, policy, now: () => now, settings: { timeZone: "Pacific/Auckland" } };
}

let serial = 0;
function addRequest(fields: Partial<NewAccessRequest> = {}, at = now): string {
  serial += 1;
  const id = fields.id ?? `gh_test${serial}`;
  insertAccessRequest(
    t.db,
    {
      id,
      kind: "contractor",
      requesterId: REQUESTER,
      firstName: "Kit",
      lastName: `Person${serial}`,
      email: `kit${serial}@spark.example`,
      company: "Spark Electrical",
      accessIds: [5123],
      accessNames: ["Level 2"],
      startDate: TODAY,
      endDate: addDays(TODAY, 10),
      credential: "card",
      expiresAt: new Date(at.getTime() + 72 * 3600_000),
      ...fields,
    },
    at,
  );
  return id;
}

function addPerson(i: number, endDate: string, requesterId = REQUESTER): number {
  return upsertManagedPerson(
    t.db,
    {
      doorflowPersonId: 7000 + i,
      kind: "contractor",
      firstName: "Active",
      lastName: `Person${i}`,
      email: `active${i}@spark.example`,
      company: "Spark Electrical",
      requesterId,
      startDate: "2027-02-01",
      endDate,
    },
    now,
  ).id;
}

describe("loadHome", () => {
  it("gives a requester their requests, newest first, and only the people they asked for", async () => {
    t = createTestDatabase();
    const stale = addRequest({}, new Date(now.getTime() - 100 * 3600_000)); // pending, past its 72 hours
    const denied = addRequest({}, new Date(now.getTime() - 60_000));
    decideAccessRequest(t.db, denied, { outcome: "denied", reason: "No permit" }, APPROVER, now);
    addRequest({ requesterId: "U0SOMEONE" });
    addPerson(1, addDays(TODAY, 3));
    addPerson(2, addDays(TODAY, 1), "U0SOMEONE");

    const home = await loadHome(deps(), REQUESTER);
    expect(home.today).toBe(TODAY);
    expect(home.roles).toEqual({ approver: false, operator: false });
    expect(home.requests.rows.map((r) => [r.id, r.state])).toEqual([
      [denied, "denied"],
      [stale, "expired"],
    ]);
    expect(home.requests.rows[0]).toMatchObject({ decidedBy: APPROVER, denyReason: "No permit" });
    expect(home.approvals).toBeNull();
    expect(home.failures).toBeNull();
    expect(home.people).toMatchObject({ scope: "mine", total: 1 });
    expect(home.people.rows.map((p) => [p.personName, p.daysLeft])).toEqual([["Active Person1", 3]]);
  });

  it("gives an approver what others asked for and is still pending, and everyone with access", async () => {
    t = createTestDatabase();
    const waiting = addRequest();
    addRequest({ requesterId: APPROVER }); // their own: not theirs to decide
    addRequest({}, new Date(now.getTime() - 100 * 3600_000)); // expired
    const approved = addRequest();
    decideAccessRequest(t.db, approved, { outcome: "approved", giveUpAt: now }, "U0APPROVE2", now);
    addPerson(1, addDays(TODAY, 20));
    addPerson(2, TODAY, "U0SOMEONE");

    const home = await loadHome(deps(), APPROVER);
    expect(home.roles).toEqual({ approver: true, operator: false });
    expect(home.approvals).toMatchObject({ total: 1, rows: [{ id: waiting, requesterId: REQUESTER }] });
    expect(home.people.scope).toBe("all");
    expect(home.people.rows.map((p) => [p.personName, p.daysLeft])).toEqual([
      ["Active Person2", 0],
      ["Active Person1", 20],
    ]);
    expect(home.failures).toBeNull();
  });

  it("gives an operator the open failures, with the offboarding id for Retry", async () => {
    t = createTestDatabase();
    const alert = (key: string) =>
      claimAlert(t.db, { key, kind: "x", channelId: "C0SECURITY", summary: `${key} failed` }, now);
    alert("offboarding:42");
    alert("provisioning:gh_abc");
    alert("offboarding:7");
    resolveAlert(t.db, "offboarding:7", now);

    const home = await loadHome(deps(), OPERATOR);
    expect(home.roles).toEqual({ approver: false, operator: true });
    expect(home.approvals).toBeNull();
    const byKey = Object.fromEntries((home.failures?.rows ?? []).map((f) => [f.key, f]));
    expect(home.failures?.total).toBe(2);
    expect(byKey["offboarding:42"]).toMatchObject({ kind: "offboarding", offboardingId: 42 });
    expect(byKey["provisioning:gh_abc"]).toMatchObject({ kind: "provisioning", offboardingId: null });
  });

  it("reads no more people than a home can show, but counts them all, offboarded ones aside", async () => {
    t = createTestDatabase();
    for (let i = 0; i < 120; i++) addPerson(i, addDays(TODAY, 120 - i));
    markOffboarded(t.db, addPerson(500, TODAY), now);

    const home = await loadHome(deps(), OPERATOR);
    expect(home.people.total).toBe(120);
    expect(home.people.rows).toHaveLength(HOME_LIMITS.people);
    expect(home.people.rows[0]).toMatchObject({ personName: "Active Person119", daysLeft: 1 });
    const days = home.people.rows.map((p) => p.daysLeft);
    expect(days).toEqual([...days].sort((a, b) => a - b));
  });

  it("reads a requester's own people through an index on the requester, bounded like an operator's", async () => {
    t = createTestDatabase();
    for (let i = 0; i < 120; i++) addPerson(i, addDays(TODAY, 120 - i));
    for (let i = 200; i < 230; i++) addPerson(i, addDays(TODAY, 1), "U0SOMEONE");
    markOffboarded(t.db, addPerson(500, TODAY), now);

    const statements = recordStatements(t.db);
    const home = await loadHome(deps(), REQUESTER);
    statements.stop();

    expect(home.people).toMatchObject({ scope: "mine", total: 120 });
    expect(home.people.rows).toHaveLength(HOME_LIMITS.people);
    expect(home.people.rows[0]).toMatchObject({ personName: "Active Person119", daysLeft: 1 });
    const reads = statements.sql.filter((q) => /from "managed_people"/.test(q));
    expect(reads.length).toBeGreaterThan(0);
    for (const q of reads) {
      // Without an index on requester_id, SQLite walks every active person (5,000 in the benchmark).
      expect([q, queryPlan(t.db, q)]).toEqual([q, expect.stringContaining("managed_people_requester_idx")]);
    }
  });
});

/** The SQL of every statement prepared on `db` until `stop()`. */
function recordStatements(db: Database) {
  const client = db.$client;
  const original = client.prepare.bind(client);
  const sql: string[] = [];
  client.prepare = (source: string) => {
    sql.push(source);
    return original(source);
  };
  return { sql, stop: () => void (client.prepare = original) };
}

/** SQLite's EXPLAIN QUERY PLAN for `sql`, its parameters bound to null. */
function queryPlan(db: Database, sql: string): string {
  const params = (sql.match(/\?/g) ?? []).map(() => null);
  const rows = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>;
  return rows.map((r) => r.detail).join("; ");
}
