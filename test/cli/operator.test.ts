/** `gatehouse offboard <email>`, `contractors list` and `audit export` against the sandbox, the Slack stand-in and a temp database. */
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import type { Env } from "../../src/config.js";
import { closeDatabase, openDatabase } from "../../src/db/database.js";
import { recordAudit } from "../../src/db/repositories/audit.js";
import { upsertManagedPerson } from "../../src/db/repositories/managed-people.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { FIRST_PERSON_ID } from "../../tools/sandbox/doorflow/seed.js";
import { type SlackStandIn, startSlackStandIn } from "../../tools/sandbox/slack/web-api.js";
import { BOT_TOKEN, CAST, CHANNELS, SIGNING_SECRET } from "../../tools/sandbox/story.js";
import { type CliWorld, FIXED_TOKEN, fakeTerminal, startCliWorld } from "./support.js";

let world: CliWorld | undefined;
let slack: SlackStandIn | undefined;
afterEach(async () => {
  await world?.close();
  await slack?.close();
  world = undefined;
  slack = undefined;
});

async function setup(): Promise<{ w: CliWorld; s: SlackStandIn; env: Env }> {
  const w = (world = await startCliWorld());
  const s = (slack = await startSlackStandIn({
    channels: [
      { id: CHANNELS.approval, name: "access-approvals" },
      { id: CHANNELS.security, name: "security-alerts" },
      { id: CHANNELS.facilities, name: "facilities" },
    ],
  }));
  const env = w.env({
    DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: s.url,
    APPROVAL_CHANNEL_ID: CHANNELS.approval,
    SECURITY_CHANNEL_ID: CHANNELS.security,
    FACILITIES_CHANNEL_ID: CHANNELS.facilities,
    APPROVER_USER_IDS: CAST.approver.id,
    ACCOUNT_TIMEZONE: "Europe/London",
  });
  return { w, s, env };
}

describe("operator CLI", () => {
  it("offboards one person by exact email: disabled, verified, card reminder to facilities", async () => {
    const { w, s, env } = await setup();
    const t = fakeTerminal();
    const code = await runCli(["offboard", "Amelia.Hart@harbourside.example"], { io: t, env });
    expect(code).toBe(0);
    expect(t.outLines.join("\n")).toContain(
      "✓ Amelia Hart <amelia.hart@harbourside.example>: disabled, verified",
    );
    const amelia = w.doorflow.sandbox.state.people.find((p) => p.id === FIRST_PERSON_ID);
    expect(amelia).toMatchObject({ enabled: false, deleted: false });
    const reminder = s.callsTo("chat.postMessage").find((c) => c.args.channel === CHANNELS.facilities);
    expect(JSON.stringify(reminder?.args)).toContain("40010001");
    expect(JSON.stringify(reminder?.args)).not.toContain("4821");

    const again = fakeTerminal();
    expect(await runCli(["offboard", "amelia.hart@harbourside.example"], { io: again, env })).toBe(0);
    expect(again.outLines.join("\n")).toContain("already disabled");
    const nobody = fakeTerminal();
    expect(await runCli(["offboard", "no.one@harbourside.example"], { io: nobody, env })).toBe(1);
    expect(nobody.errLines.join("\n")).toContain("Nobody in DoorFlow has the email");
    expect(await runCli(["offboard"], { io: fakeTerminal(), env })).toBe(2);
  });

  it("lists active contractors ending soonest first", async () => {
    const { w, env } = await setup();
    const db = openDatabase(`file:${w.databaseFile}`);
    const today = localDateOf(new Date(), "Europe/London");
    for (const [id, name, days] of [
      [1, "Late", 30],
      [2, "Soon", 2],
    ] as const) {
      upsertManagedPerson(
        db,
        {
          doorflowPersonId: 90000 + id,
          kind: "contractor",
          firstName: name,
          lastName: "Person",
          email: `${name.toLowerCase()}@x.example`,
          company: "X",
          startDate: today,
          endDate: addDays(today, days),
        },
        new Date(),
      );
    }
    closeDatabase(db);
    const t = fakeTerminal();
    expect(await runCli(["contractors", "list"], { io: t, env })).toBe(0);
    const out = t.outLines.join("\n");
    expect(out).toContain("2 active contractor(s)");
    expect(out.indexOf("Soon Person")).toBeLessThan(out.indexOf("Late Person"));
  });

  it("exports the audit trail as CSV or JSON lines, and refuses a bad date or format", async () => {
    const { w } = await setup();
    const db = openDatabase(`file:${w.databaseFile}`);
    recordAudit(db, {
      at: new Date("2027-02-01T12:00:00Z"),
      actor: "U1",
      action: "request.created",
      outcome: "ok",
      subjectEmail: "a@x.example",
      subjectName: "A",
      details: null,
    });
    recordAudit(db, {
      at: new Date("2027-03-01T12:00:00Z"),
      actor: "job",
      action: "offboard.completed",
      outcome: "ok",
      subjectEmail: "a@x.example",
      subjectName: "A",
      details: { verified: true },
    });
    closeDatabase(db);
    const env = { DATABASE_URL: `file:${w.databaseFile}` };
    const csv = fakeTerminal();
    expect(await runCli(["audit", "export", "--since", "2027-02-15"], { io: csv, env })).toBe(0);
    expect(csv.outLines).toHaveLength(2);
    expect(csv.outLines[1]).toContain("offboard.completed");
    const jsonl = fakeTerminal();
    expect(
      await runCli(["audit", "export", "--since", "2027-01-01", "--format", "jsonl"], { io: jsonl, env }),
    ).toBe(0);
    expect(jsonl.outLines.map((l) => (JSON.parse(l) as { action: string }).action)).toEqual([
      "request.created",
      "offboard.completed",
    ]);
    expect(await runCli(["audit", "export", "--since", "yesterday"], { io: fakeTerminal(), env })).toBe(2);
    expect(
      await runCli(["audit", "export", "--since", "2027-01-01", "--format", "xml"], {
        io: fakeTerminal(),
        env,
      }),
    ).toBe(2);
  });
});
