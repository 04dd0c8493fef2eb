/**
 * The daily job's offboarding half at scale: 1,000 contractors due at once, each with a card and a
 * live group reservation, against the DoorFlow sandbox answering after 50 ms, through the client at
 * its default concurrency of 4. Deps come from the same wiring as the bot (src/wiring/deps.ts) with
 * a Messenger that only records, so Slack's time is not counted. The floor is what the DoorFlow
 * calls cost when four are always in flight: calls × 50 ms ÷ 4. The vendor guide's loop (one person
 * at a time, a 1 s pause after each) is given for context.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../src/config.js";
import { closeDatabase, openDatabase } from "../src/db/database.js";
import { scheduleOffboarding } from "../src/db/repositories/offboardings.js";
import { runDueOffboardings } from "../src/domain/due-offboardings.js";
import type { Messenger } from "../src/domain/ports.js";
import { staticTokenAuth } from "../src/doorflow/auth.js";
import { DoorFlowClient } from "../src/doorflow/client.js";
import { createLogger } from "../src/lib/logger.js";
import { localDateOf } from "../src/lib/time.js";
import { pool } from "../src/domain/providers/doorflow/offboard.js";
import { DoorFlowSandbox } from "../tools/sandbox/doorflow/sandbox.js";
import { startDoorFlowSandbox } from "../tools/sandbox/doorflow/server.js";
import { buildDeps, createSlackWebClient } from "../src/wiring/deps.js";
import { createDoorFlowClient } from "../src/wiring/doorflow.js";
import { type BenchFigure, runStandalone } from "./lib.js";

const BENCH = "offboard-due";
const PEOPLE = 1_000;
const LATENCY_MS = 50;
const CONCURRENCY = 4;
const TOKEN = "bench-token";
const ZONE = "Europe/London";
/** The vendor guide sleeps this long after each person. */
const GUIDE_PAUSE_MS = 1_000;

/** Counts what the job would post; nothing leaves the process. */
function recordingMessenger(counts: Map<string, number>): Messenger {
  const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  return {
    approvalRequested: () => Promise.resolve(),
    approvalDecided: () => Promise.resolve(),
    accessGranted: () => Promise.resolve(),
    passIssued: () => Promise.resolve(),
    notifyUser: () => Promise.resolve(),
    securityAlert: () => (count("securityAlert"), Promise.resolve()),
    updateSecurityAlert: () => Promise.resolve(),
    extensionRequested: () => Promise.resolve(),
    extensionDecided: () => Promise.resolve(),
    endReminder: () => Promise.resolve(),
    cardCollection: () => (count("cardCollection"), Promise.resolve()),
    cardCollected: () => Promise.resolve(),
  };
}

/** 1,000 contractors as provisioning leaves them, created through the API on a latency-free port. */
async function provisionContractors(url: string): Promise<number[]> {
  const client = new DoorFlowClient({ baseUrl: url, auth: staticTokenAuth(TOKEN), concurrency: 16 });
  try {
    const now = Date.now();
    return await pool(
      Array.from({ length: PEOPLE }, (_, i) => i),
      16,
      async (i) => {
        const person = await client.createPerson({
          first_name: "Bench",
          last_name: `Contractor ${i}`,
          email: `bench.${i}@contractors.example`,
          system_id: `bench-${i}`,
          credentials: { card_number: String(70_000_000 + i) },
        });
        await client.createGroupReservation({
          personId: person.id,
          startTime: new Date(now - 86_400_000),
          endTime: new Date(now + 30 * 86_400_000),
          groupIds: [5122],
        });
        return person.id;
      },
    );
  } finally {
    await client.close();
  }
}

export async function run(): Promise<BenchFigure[]> {
  const sandbox = new DoorFlowSandbox({ token: TOKEN, timeZone: ZONE });
  const setup = await startDoorFlowSandbox({ sandbox });
  const far = await startDoorFlowSandbox({ sandbox, latencyMs: LATENCY_MS });
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-offboard-"));
  const config = parseConfig({
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: "bench-signing-secret",
    // Never called: the recording Messenger replaces the Slack one.
    SLACK_API_URL: "http://127.0.0.1:9/api/",
    DOORFLOW_BASE_URL: far.url,
    DOORFLOW_ACCESS_TOKEN: TOKEN,
    DATABASE_URL: `file:${join(dir, "gatehouse.db")}`,
    APPROVAL_CHANNEL_ID: "C0APPROVAL",
    SECURITY_CHANNEL_ID: "C0SECURITY",
    APPROVER_USER_IDS: "U0APPROVE1",
    ACCOUNT_TIMEZONE: ZONE,
  });
  const logger = createLogger({ level: "warn" });
  const db = openDatabase(config.databaseUrl);
  const doorflow = createDoorFlowClient(config.doorflow, db, logger);
  const posts = new Map<string, number>();
  const deps = {
    ...buildDeps(config, {
      db,
      doorflow,
      timeZone: ZONE,
      logger,
      now: () => new Date(),
      slackClient: createSlackWebClient(config.slack, logger),
      syncDebounceMs: 0,
    }),
    messenger: recordingMessenger(posts),
  };
  try {
    const ids = await provisionContractors(setup.url);
    const dueAt = new Date(Date.now() - 60_000);
    for (const [i, id] of ids.entries()) {
      scheduleOffboarding(
        db,
        {
          doorflowPersonId: id,
          personName: `Bench Contractor ${i}`,
          email: `bench.${i}@contractors.example`,
          reason: "contract_end",
          lastDay: localDateOf(dueAt, ZONE),
          dueAt,
          requestedBy: "bench",
        },
        new Date(),
      );
    }
    // The account's credential types are cached by the bot long before a daily run.
    await deps.catalog.credentialTypes();

    const firstCall = sandbox.calls.length;
    const started = performance.now();
    const summary = await runDueOffboardings(deps);
    await deps.sync.idle();
    const wallMs = performance.now() - started;
    const calls = sandbox.calls.slice(firstCall);

    const disabled = ids.filter((id) => sandbox.state.people.find((p) => p.id === id)?.enabled === false);
    if (summary.completed !== PEOPLE || disabled.length !== PEOPLE)
      throw new Error(
        `offboarded ${summary.completed} of ${PEOPLE} (${disabled.length} disabled, ${summary.failed} failed)`,
      );
    const byKind = new Map<string, number>();
    for (const c of calls) {
      const kind = `${c.method} ${c.path.replace(/(?<=\/api\/3\/.+)\/\d+(?=\/|$)/g, "/:id")}`;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    console.error(
      `${BENCH}: ${calls.length} DoorFlow calls: ${[...byKind].map(([k, n]) => `${k} ×${n}`).join(", ")}; ` +
        `${posts.get("cardCollection") ?? 0} card reminders`,
    );

    // DoorFlow lists reservations (and, for a batch, credentials) for the whole account, so a run
    // reads each list once before and once after (and syncs once): those calls are per run, not per
    // person, and reported apart.
    const perRun = calls.filter(
      (c) =>
        (c.method === "GET" && /\/api\/3\/((group_)?reservations|credentials)$/.test(c.path)) ||
        c.path === "/api/3/sync",
    ).length;
    const personal = (calls.length - perRun) / PEOPLE;
    const perPerson = calls.length / PEOPLE;
    const floorMs = (perPerson * LATENCY_MS * PEOPLE) / CONCURRENCY;
    const guideMs = PEOPLE * (perPerson * LATENCY_MS + GUIDE_PAUSE_MS);
    return [
      { bench: BENCH, metric: "wall time, 1,000 due", value: Number((wallMs / 1000).toFixed(2)), unit: "s" },
      {
        bench: BENCH,
        metric: "DoorFlow calls per person (read, disable, deletes, read-back)",
        value: Number(personal.toFixed(3)),
        unit: "calls",
        target: { op: "<=", value: 4 },
      },
      {
        bench: BENCH,
        metric: "DoorFlow calls per run (account-wide lists, sync)",
        value: perRun,
        unit: "calls",
      },
      {
        bench: BENCH,
        metric: "all DoorFlow calls / people",
        value: Number(perPerson.toFixed(3)),
        unit: "calls",
      },
      {
        bench: BENCH,
        metric: "wall / (calls x 50 ms x people / 4)",
        value: Number((wallMs / floorMs).toFixed(3)),
        unit: "x",
        target: { op: "<=", value: 1.5 },
      },
      {
        bench: BENCH,
        metric: "vendor guide loop (estimate)",
        value: Number((guideMs / 1000).toFixed(0)),
        unit: "s",
      },
    ];
  } finally {
    deps.sync.stop();
    await doorflow.close();
    closeDatabase(db);
    await far.close();
    await setup.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runStandalone(run);
