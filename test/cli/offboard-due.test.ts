/**
 * `gatehouse offboard-due` against the DoorFlow sandbox and the Slack stand-in on loopback, with a
 * temporary database whose offboardings are scheduled directly through the repository (seeded
 * sandbox people, due times in the past).
 */
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import type { Env } from "../../src/config.js";
import { closeDatabase, type Database, openDatabase } from "../../src/db/database.js";
import {
  claimOffboarding,
  failOffboarding,
  getOffboarding,
  scheduleOffboarding,
} from "../../src/db/repositories/offboardings.js";
import { type Offboarding } from "../../src/domain/model.js";
import { staticTokenAuth } from "../../src/doorflow/auth.js";
import { DoorFlowClient } from "../../src/doorflow/client.js";
import { nextCronRun } from "../../src/jobs/schedule.js";
import { formatLocal, localDateOf } from "../../src/lib/time.js";
import { FIRST_PERSON_ID } from "../../tools/sandbox/doorflow/seed.js";
import { type SlackStandIn, startSlackStandIn } from "../../tools/sandbox/slack/web-api.js";
import { BOT_TOKEN, CAST, CHANNELS, SIGNING_SECRET } from "../../tools/sandbox/story.js";
import { type CliWorld, FIXED_TOKEN, fakeTerminal, startCliWorld } from "./support.js";

const ZONE = "Europe/London";
const CRON = "0 17 * * *";
/** Seeded, enabled, with cards: Amelia Hart 40010001, Oliver Bennett 40010002, Sam Lee 40010003. */
const AMELIA = FIRST_PERSON_ID;
const OLIVER = FIRST_PERSON_ID + 1;
const SAM = FIRST_PERSON_ID + 2;
const SOFIA = FIRST_PERSON_ID + 15;

let world: CliWorld | undefined;
let slack: SlackStandIn | undefined;
afterEach(async () => {
  await world?.close();
  await slack?.close();
  world = undefined;
  slack = undefined;
});

interface Setup {
  world: CliWorld;
  slack: SlackStandIn;
  env: Env;
}

async function setup(): Promise<Setup> {
  world = await startCliWorld();
  slack = await startSlackStandIn({
    users: Object.values(CAST).map((u) => ({ ...u })),
    channels: [
      { id: CHANNELS.approval, name: "access-approvals", members: [CAST.approver.id] },
      { id: CHANNELS.security, name: "security-alerts", members: [CAST.operator.id] },
      { id: CHANNELS.facilities, name: "facilities", members: [CAST.operator.id] },
    ],
  });
  // The bot's own configuration: the CLI reads the same .env.
  const env = world.env({
    DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    APPROVAL_CHANNEL_ID: CHANNELS.approval,
    SECURITY_CHANNEL_ID: CHANNELS.security,
    FACILITIES_CHANNEL_ID: CHANNELS.facilities,
    APPROVER_USER_IDS: CAST.approver.id,
    OFFBOARD_CRON: CRON,
  });
  return { world, slack, env };
}

function schedule(db: Database, personId: number, name: string, dueAt: Date): Offboarding {
  const email = `${name.toLowerCase().replace(" ", ".")}@harbourside.example`;
  return scheduleOffboarding(
    db,
    {
      doorflowPersonId: personId,
      personName: name,
      email,
      reason: "contract_end",
      lastDay: localDateOf(dueAt, ZONE),
      dueAt,
      requestedBy: "test",
    },
    new Date(),
  );
}

/** A live group reservation for the person, made through the real client as provisioning does. */
async function groupReservationFor(w: CliWorld, personId: number): Promise<number> {
  const client = new DoorFlowClient({ baseUrl: w.doorflow.url, auth: staticTokenAuth(FIXED_TOKEN) });
  try {
    const created = await client.createGroupReservation({
      personId,
      startTime: new Date(Date.now() - 3_600_000),
      endTime: new Date(Date.now() + 7 * 86_400_000),
      groupIds: [5122],
    });
    return created.id;
  } finally {
    await client.close();
  }
}

const writes = (w: CliWorld) => w.doorflow.sandbox.calls.filter((c) => c.method !== "GET");
const enabled = (w: CliWorld, id: number) =>
  w.doorflow.sandbox.state.people.find((p) => p.id === id)?.enabled;

describe("gatehouse offboard-due --dry-run", () => {
  it("lists what is due now and at the next run, with earlier failures, and changes nothing", async () => {
    const { world: w, slack: s, env } = await setup();
    const now = new Date();
    const next = nextCronRun(CRON, ZONE, now) as Date;
    const db = openDatabase(env.DATABASE_URL as string);
    const amelia = schedule(db, AMELIA, "Amelia Hart", new Date(now.getTime() - 3_600_000));
    const oliver = schedule(db, OLIVER, "Oliver Bennett", new Date(now.getTime() - 7_200_000));
    // A failed earlier attempt whose backoff has run out: due again, with its error shown.
    claimOffboarding(db, oliver.id, "earlier-run", 60_000, now);
    failOffboarding(
      db,
      oliver.id,
      "earlier-run",
      { error: "DoorFlow answered 503", nextAttemptAt: new Date(now.getTime() - 1_000) },
      now,
    );
    const sam = schedule(db, SAM, "Sam Lee", next);
    const sofia = schedule(db, SOFIA, "Sofia Rossi", new Date(next.getTime() + 86_400_000));
    closeDatabase(db);
    const before = w.doorflow.sandbox.calls.length;

    const io = fakeTerminal();
    const code = await runCli(["offboard-due", "--dry-run"], { io, env });

    expect(code).toBe(0);
    expect(io.errLines).toEqual([]);
    const out = io.outLines;
    expect(out[0]).toBe(`Dry run: nothing is changed. Account time zone ${ZONE}, OFFBOARD_CRON "${CRON}".`);
    expect(out[1]).toBe("Due now (2), offboarded by `gatehouse offboard-due` or the next run:");
    // Oldest due first; the due time is shown in the account zone.
    expect(out[2]).toContain(
      `Oliver Bennett <oliver.bennett@harbourside.example> (DoorFlow person ${OLIVER})`,
    );
    expect(out[2]).toContain(`due ${formatLocal(oliver.dueAt, ZONE)}`);
    expect(out[2]).toContain("1 failed attempt(s), last error: DoorFlow answered 503");
    expect(out[3]).toContain(`Amelia Hart <amelia.hart@harbourside.example> (DoorFlow person ${AMELIA})`);
    expect(out[3]).toContain(`due ${formatLocal(amelia.dueAt, ZONE)}`);
    expect(out[4]).toBe(
      `Next run ${formatLocal(next, ZONE)}: what is due now and 1 more falling due by then:`,
    );
    expect(out[5]).toContain(`Sam Lee <sam.lee@harbourside.example> (DoorFlow person ${SAM})`);
    expect(out).toHaveLength(6);
    expect(io.text()).not.toContain("Sofia");

    // Nothing written anywhere: DoorFlow saw reads at most, Slack saw nothing, rows are unchanged.
    expect(writes(w)).toEqual([]);
    expect(w.doorflow.sandbox.calls.slice(before).every((c) => c.method === "GET")).toBe(true);
    expect(s.calls).toEqual([]);
    for (const id of [AMELIA, OLIVER, SAM, SOFIA]) expect(enabled(w, id)).toBe(true);
    const after = openDatabase(env.DATABASE_URL as string);
    try {
      expect(getOffboarding(after, amelia.id)?.status).toBe("scheduled");
      expect(getOffboarding(after, oliver.id)).toMatchObject({ status: "failed", attempts: 1 });
      expect(getOffboarding(after, sam.id)?.status).toBe("scheduled");
      expect(getOffboarding(after, sofia.id)?.leaseOwner).toBeNull();
    } finally {
      closeDatabase(after);
    }
  });

  it("says so when nothing is due now or at the next run", async () => {
    const { env } = await setup();
    const io = fakeTerminal();
    expect(await runCli(["offboard-due", "--dry-run"], { io, env })).toBe(0);
    expect(io.outLines[1]).toBe("Due now: nobody.");
    expect(io.outLines[2]).toMatch(/^Next run .+: nothing due\.$/);
  });
});

describe("gatehouse offboard-due", () => {
  it("offboards everyone due now: disabled, group reservation ended, verified, synced, cards reported", async () => {
    const { world: w, slack: s, env } = await setup();
    const now = new Date();
    const reservation = await groupReservationFor(w, AMELIA);
    const db = openDatabase(env.DATABASE_URL as string);
    const amelia = schedule(db, AMELIA, "Amelia Hart", new Date(now.getTime() - 60_000));
    const oliver = schedule(db, OLIVER, "Oliver Bennett", new Date(now.getTime() - 60_000));
    const sam = schedule(db, SAM, "Sam Lee", new Date(now.getTime() + 86_400_000));
    closeDatabase(db);

    const io = fakeTerminal();
    const code = await runCli(["offboard-due"], { io, env });

    expect(code).toBe(0);
    expect(io.errLines).toEqual([]);
    expect(io.outLines).toEqual([
      "  ✓ Amelia Hart <amelia.hart@harbourside.example>: offboarded and verified, 1 reservation(s) ended",
      "  ✓ Oliver Bennett <oliver.bennett@harbourside.example>: offboarded and verified",
      "2 due: 2 done, 0 failed.",
    ]);
    expect(enabled(w, AMELIA)).toBe(false);
    expect(enabled(w, OLIVER)).toBe(false);
    expect(enabled(w, SAM)).toBe(true);
    const gr = w.doorflow.sandbox.state.groupReservations.find((g) => g.id === reservation);
    expect(gr?.deactivatedAt ?? null).not.toBeNull();
    // Disabled, never deleted; the door controllers were asked to sync.
    expect(
      w.doorflow.sandbox.calls.filter((c) => c.method === "DELETE" && c.path.startsWith("/api/3/people")),
    ).toEqual([]);
    expect(
      w.doorflow.sandbox.calls.filter((c) => c.method === "POST" && c.path === "/api/3/sync"),
    ).toHaveLength(1);
    const cards = s.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.facilities);
    expect(cards.map((c) => JSON.stringify(c.args)).join()).toContain("40010001");
    expect(cards).toHaveLength(2);
    expect(s.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.security)).toEqual([]);

    const after = openDatabase(env.DATABASE_URL as string);
    try {
      expect(getOffboarding(after, amelia.id)?.status).toBe("completed");
      expect(getOffboarding(after, oliver.id)?.status).toBe("completed");
      expect(getOffboarding(after, sam.id)?.status).toBe("scheduled");
    } finally {
      closeDatabase(after);
    }

    const again = fakeTerminal();
    expect(await runCli(["offboard-due"], { io: again, env })).toBe(0);
    expect(again.outLines).toEqual(["Nothing is due."]);
  });

  it("exits 1 when DoorFlow refuses one person, alerts the security channel once, and does the rest", async () => {
    const { world: w, slack: s, env } = await setup();
    const now = new Date();
    const db = openDatabase(env.DATABASE_URL as string);
    schedule(db, AMELIA, "Amelia Hart", new Date(now.getTime() - 60_000));
    const oliver = schedule(db, OLIVER, "Oliver Bennett", new Date(now.getTime() - 60_000));
    closeDatabase(db);
    w.doorflow.sandbox.faults.add({
      method: "PUT",
      path: `/api/3/people/${OLIVER}`,
      status: 422,
      body: { error: "unprocessable_entity", error_description: "Person is locked by an administrator" },
    });

    const io = fakeTerminal();
    const code = await runCli(["offboard-due"], { io, env });

    expect(code).toBe(1);
    expect(io.outLines[0]).toMatch(/^ {2}✓ Amelia Hart/);
    expect(io.outLines[1]).toMatch(/^ {2}✗ Oliver Bennett <oliver\.bennett@harbourside\.example>: .*locked/);
    expect(io.outLines[1]).toContain("retried from");
    expect(io.outLines[2]).toBe(
      "2 due: 1 done, 1 failed. Each failure is alerted once in the security channel and retried by the daily job.",
    );
    expect(enabled(w, AMELIA)).toBe(false);
    expect(enabled(w, OLIVER)).toBe(true);
    const alerts = () => s.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.security);
    expect(alerts()).toHaveLength(1);
    expect(JSON.stringify(alerts()[0]?.args)).toContain("Oliver Bennett");

    // Backing off: a second run straight away finds nothing due and does not alert again.
    const again = fakeTerminal();
    expect(await runCli(["offboard-due"], { io: again, env })).toBe(0);
    expect(again.outLines).toEqual(["Nothing is due."]);
    expect(alerts()).toHaveLength(1);
    const after = openDatabase(env.DATABASE_URL as string);
    try {
      expect(getOffboarding(after, oliver.id)).toMatchObject({ status: "failed", attempts: 1 });
    } finally {
      closeDatabase(after);
    }
  });

  it("is a usage error with an option it does not take, and a configuration error without Slack settings", async () => {
    const { world: w } = await setup();
    const usage = fakeTerminal();
    expect(await runCli(["offboard-due", "--paste"], { io: usage, env: {} })).toBe(2);
    expect(usage.errLines[0]).toBe('"offboard-due" does not take --paste.');

    const io = fakeTerminal();
    const code = await runCli(["offboard-due"], w.context(io, { DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN }));
    expect(code).toBe(1);
    expect(io.errLines.join("\n")).toContain("SLACK_BOT_TOKEN is missing");
    expect(w.doorflow.sandbox.calls).toEqual([]);
  });
});
