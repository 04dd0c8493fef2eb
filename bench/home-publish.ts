/**
 * Our own cost of publishing App Home for an operator and for a requester: loadHome (the database
 * reads) plus buildHomeView (Block Kit) and the JSON encoding the Web API client does, with 5,000
 * active people (1,250 of them asked for by the measured requester), 200 requests and 60 open
 * alerts in a real SQLite file with the real migrations. Slack's own time is excluded. Target for
 * both: p99 under 100 ms.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDatabase, type Database, inTransaction, openDatabase } from "../src/db/database.js";
import { insertAccessRequest } from "../src/db/repositories/access-requests.js";
import { claimAlert } from "../src/db/repositories/alerts.js";
import { upsertManagedPerson } from "../src/db/repositories/managed-people.js";
import { type HomeDeps, loadHome } from "../src/domain/home.js";
import { createAccessPolicy } from "../src/domain/policy.js";
import { addDays, localDateOf } from "../src/lib/time.js";
import { buildHomeView } from "../src/slack/views/home.js";
import { type BenchFigure, percentile, runStandalone } from "./lib.js";

const BENCH = "home-publish";
const PEOPLE = 5_000;
const REQUESTS = 200;
const ALERTS = 60;
const RUNS = 50;
const WARMUP = 10;
const TARGET_MS = 100;

const OPERATOR = "U0OPERATE1";
const APPROVER = "U0APPROVE1";
const REQUESTERS = ["U0REQUEST1", "U0REQUEST2", "U0REQUEST3", "U0REQUEST4"];
const TIME_ZONE = "Europe/London";

function seed(db: Database, now: Date): void {
  const today = localDateOf(now, TIME_ZONE);
  inTransaction(db, (tx) => {
    for (let i = 0; i < PEOPLE; i++) {
      upsertManagedPerson(
        tx,
        {
          doorflowPersonId: 100_000 + i,
          kind: i % 10 === 0 ? "visitor" : "contractor",
          firstName: `First${i}`,
          lastName: `Last${i}`,
          email: `person${i}@contractor.example`,
          company: `Company ${i % 37}`,
          requesterId: REQUESTERS[i % REQUESTERS.length],
          approverId: APPROVER,
          startDate: addDays(today, -30),
          // Spread over six months so "ending soonest" has real ordering work to do.
          endDate: addDays(today, (i * 7919) % 183),
          credentialKind: "card",
          credentials: [{ id: `c${i}`, typeSlug: "card", cardNumber: String(10_000_000 + i) }],
          accessIds: [5123, 5124],
          accessNames: ["Level 2", "Loading dock"],
        },
        now,
      );
    }
    for (let i = 0; i < REQUESTS; i++) {
      insertAccessRequest(
        tx,
        {
          id: `gh_bench${i}`,
          kind: "contractor",
          requesterId: i % 5 === 0 ? OPERATOR : (REQUESTERS[i % REQUESTERS.length] as string),
          firstName: "Req",
          lastName: `Uested${i}`,
          email: `req${i}@contractor.example`,
          company: "Pending Ltd",
          accessIds: [5123],
          accessNames: ["Level 2"],
          startDate: today,
          endDate: addDays(today, 30),
          credential: "card",
          expiresAt: new Date(now.getTime() + 72 * 3600_000),
        },
        new Date(now.getTime() - i * 60_000),
      );
    }
    for (let i = 0; i < ALERTS; i++) {
      const key = i % 3 === 0 ? `provisioning:gh_bench${i}` : `offboarding:${i + 1}`;
      claimAlert(tx, { key, kind: "bench", channelId: "C0SECURITY", summary: `Person ${i}: 503` }, now);
    }
  });
}

async function time(deps: HomeDeps, viewerId: string): Promise<{ sorted: number[]; blocks: number }> {
  let blocks = 0;
  const once = async () => {
    const t0 = performance.now();
    const view = buildHomeView(await loadHome(deps, viewerId));
    // The Web API client serialises the view; that is our CPU too.
    JSON.stringify(view);
    blocks = view.blocks.length;
    return performance.now() - t0;
  };
  for (let i = 0; i < WARMUP; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  return { sorted: times.sort((a, b) => a - b), blocks };
}

export async function run(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-home-"));
  const db = openDatabase(`file:${join(dir, "gatehouse.db")}`);
  try {
    const now = new Date();
    seed(db, now);
    const deps: HomeDeps = {
      db,
      now: () => now,
      settings: { timeZone: TIME_ZONE },
      policy: createAccessPolicy(
        {
          approvers: { userIds: [APPROVER, OPERATOR] },
          operators: { userIds: [OPERATOR] },
          requesters: null,
        },
        { usergroupMembers: async () => [] },
      ),
    };
    const operator = await time(deps, OPERATOR);
    const requester = await time(deps, REQUESTERS[0] as string);
    const ms = (v: number) => Number(v.toFixed(3));
    return [
      {
        bench: BENCH,
        metric: "operator p50 (5,000 people)",
        value: ms(percentile(operator.sorted, 50)),
        unit: "ms",
      },
      {
        bench: BENCH,
        metric: "operator p99 (5,000 people)",
        value: ms(percentile(operator.sorted, 99)),
        unit: "ms",
        target: { op: "<=", value: TARGET_MS },
      },
      {
        bench: BENCH,
        metric: "operator view blocks",
        value: operator.blocks,
        unit: "blocks",
        target: { op: "<=", value: 100 },
      },
      {
        bench: BENCH,
        metric: "requester p50 (1,250 of 5,000 people theirs)",
        value: ms(percentile(requester.sorted, 50)),
        unit: "ms",
      },
      {
        bench: BENCH,
        metric: "requester p99 (1,250 of 5,000 people theirs)",
        value: ms(percentile(requester.sorted, 99)),
        unit: "ms",
        target: { op: "<=", value: TARGET_MS },
      },
    ];
  } finally {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
