/**
 * What the crash suite kills the bot in the middle of. Each scenario is prepared by the bot in this
 * process (requests submitted, people provisioned), then run by the bot as a child process:
 * provisioning of many approvals at once, a bulk offboarding, the daily job's catch-up. `resume` is
 * what people do after a restart (click Approve again where the buttons are still shown, run the
 * bulk list again when no summary came); `settled` says the work is over.
 */
import { and, desc, eq, inArray, lte } from "drizzle-orm";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { accessRequests, jobRuns, offboardings } from "../../src/db/schema.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import type { CrashWorld, KillPlan } from "../../tools/sandbox/crash/world.js";
import type { Env } from "../../src/config.js";
import type { SlackStandInOptions } from "../../tools/sandbox/slack/web-api.js";
import type { BuzzinSandboxOptions } from "../../tools/sandbox/buzzin/types.js";
import { CAST, CHANNELS, type Story } from "../../tools/sandbox/story.js";
import { ACTION, bulkEmailsField, CALLBACK } from "../../src/slack/ids.js";
import { contractorValues, visitorValues } from "../helpers/forms.js";

export interface ScenarioChecks {
  requests: number;
  offboardings: number;
  /** Broken promises: a request not active, a due offboarding not done… */
  problems: string[];
  /** Bulk: people found disabled with access still live once a restart's catch-up is over. */
  halfDone: number;
  /** Requesters told "is ready" more than once (a crash between the message and its record). */
  repeatedDms: number;
  /**
   * Buzz-in: contractors or permits made twice, live codes never DMed, codes DMed twice, and codes
   * DMed before a newer one replaced them unasked (a kill between Slack's answer and its record:
   * the restart reissues, so the requester gets a second, working code; the first no longer works).
   */
  buzzin?: { duplicatePermits: number; lostCodes: number; repeatedCodes: number; supersededCodes: number };
}

export interface CrashScenario {
  name: string;
  env?: Env;
  /** The Slack stand-in's user groups and slow methods. */
  slack?: Pick<SlackStandInOptions, "usergroups" | "methodLatencyMs">;
  /** Where a random kill lands, when not at a random DoorFlow call. */
  randomKill?(random: () => number): KillPlan;
  /** A Buzz-in community in the world, with these sandbox options. */
  buzzin?: BuzzinSandboxOptions;
  /** Whose calls random kill points are drawn from (default DoorFlow's). */
  killOn?: "doorflow" | "buzzin";
  /** Called while waiting for the work to settle: what Buzz-in's people do meanwhile. */
  tick?(world: CrashWorld): void;
  prepare(world: CrashWorld): Promise<void>;
  /** Starts the work on the freshly started bot. */
  begin(world: CrashWorld): Promise<void>;
  /** After a restart. */
  resume(world: CrashWorld): Promise<void>;
  settled(world: CrashWorld): boolean;
  check(world: CrashWorld): ScenarioChecks;
}

interface Posted {
  id: string;
  ts: string;
  email: string;
}

const today = (w: CrashWorld) => localDateOf(new Date(), w.doorflow.sandbox.timeZone);
const terminal = ["active", "failed", "denied", "expired"] as const;

async function submit(s: Story, kind: "contractor" | "visitor", values: ReturnType<typeof contractorValues>) {
  const res = await s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: kind === "contractor" ? CALLBACK.contractorRequest : CALLBACK.visitorRequest,
    values,
  });
  if (res.status !== 200 || res.body !== "") throw new Error(`not accepted: ${JSON.stringify(res.body)}`);
}

/** The request ids and messages on the approval channel, in order. */
function approvals(w: CrashWorld | Story): Posted[] {
  return w.slack.messages(CHANNELS.approval).flatMap((m) => {
    const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(m.blocks))?.[1];
    const email =
      /((?:prov|bulk|leaver|stayer|click)\d+@crash\.example)/.exec(JSON.stringify(m.blocks))?.[1] ?? "";
    return id ? [{ id, ts: m.ts, email }] : [];
  });
}

const approve = (w: CrashWorld, r: Posted) =>
  w
    .driver()
    .blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.approve,
      value: r.id,
      message: { ts: r.ts, channel: CHANNELS.approval },
    })
    .catch(() => null);

/** Contractors (card, then mobile) and visitors, submitted as the requester; `days` sets the end. */
async function submitMix(s: Story, w: CrashWorld, n: number, days: (i: number) => number, tag: string) {
  const start = today(w);
  for (let i = 0; i < n; i++) {
    const common = {
      firstName: `${tag}${i}`,
      lastName: "Crash",
      email: `${tag.toLowerCase()}${i}@crash.example`,
      company: "Crash Test Ltd",
    };
    if (i % 3 === 2) {
      const visitDate = addDays(start, Math.min(days(i), 1));
      await submit(s, "visitor", visitorValues({ ...common, doorIds: [1340, 1342], visitDate }));
    } else {
      await submit(
        s,
        "contractor",
        contractorValues({
          ...common,
          groupIds: [5121, 5122 + (i % 3)],
          startDate: start,
          endDate: addDays(start, days(i)),
          credential: i % 3 === 0 ? "card" : "mobile",
          cardNumber:
            i % 3 === 0 ? `77${String(tag.length)}${tag.charCodeAt(0)}${String(i).padStart(3, "0")}` : null,
        }),
      );
    }
  }
  await s.gatehouse.idle();
}

/** Approves every request in the bot in this process; all must end active. */
async function approveAll(s: Story): Promise<Posted[]> {
  const all = approvals(s);
  for (const r of all) {
    await s.driver.blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.approve,
      value: r.id,
      message: { ts: r.ts, channel: CHANNELS.approval },
    });
  }
  await s.gatehouse.idle();
  const inactive = all.filter((r) => getAccessRequest(s.gatehouse.db, r.id)?.state !== "active");
  if (inactive.length > 0) throw new Error(`not provisioned: ${inactive.map((r) => r.email).join(", ")}`);
  return all;
}

function requestChecks(w: CrashWorld, posted: Posted[]): Pick<ScenarioChecks, "problems" | "repeatedDms"> {
  const problems: string[] = [];
  let repeatedDms = 0;
  const rows = w.db().select().from(accessRequests).all();
  const ready = w.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === CAST.requester.id && String(c.args.text).includes("is ready"));
  for (const p of posted) {
    const row = rows.find((r) => r.id === p.id);
    if (row?.state !== "active") problems.push(`${p.id} (${p.email}) is ${row?.state ?? "missing"}`);
    const people = w.doorflow.sandbox.state.people.filter((x) => x.systemId === p.id);
    if (people.length !== 1) problems.push(`${p.id} has ${people.length} DoorFlow people`);
    const told = `${p.email.split("@")[0] ?? "?"} crash is ready`;
    const dms = ready.filter((c) => String(c.args.text).toLowerCase().includes(told)).length;
    if (dms === 0) problems.push(`${p.email}: the requester was never told the access is ready`);
    repeatedDms += Math.max(0, dms - 1);
  }
  return { problems, repeatedDms };
}

/** Many approvals at once, killed while DoorFlow is being written to. */
export function provisioningScenario(n: number): CrashScenario {
  let posted: Posted[] = [];
  return {
    name: `provisioning ×${n}`,
    async prepare(w) {
      const s = await w.inProcess();
      await submitMix(s, w, n, (i) => 7 + i, "Prov");
      posted = approvals(s);
      await s.stopBot();
      if (posted.length !== n) throw new Error(`expected ${n} approval messages, got ${posted.length}`);
    },
    async begin(w) {
      await Promise.all(posted.map((r) => approve(w, r)));
    },
    async resume(w) {
      // The approver sees the buttons still there (the decision may not have been recorded) and clicks.
      const shown = posted.filter((r) => {
        const message = w.slack.workspace.findMessage(CHANNELS.approval, r.ts);
        return JSON.stringify(message?.blocks ?? []).includes(ACTION.approve);
      });
      await Promise.all(shown.map((r) => approve(w, r)));
    },
    settled(w) {
      const ids = posted.map((p) => p.id);
      const rows = w.db().select().from(accessRequests).where(inArray(accessRequests.id, ids)).all();
      return (
        rows.length === ids.length && rows.every((r) => (terminal as readonly string[]).includes(r.state))
      );
    },
    check(w) {
      return { requests: posted.length, offboardings: 0, halfDone: 0, ...requestChecks(w, posted) };
    },
  };
}

const APPROVERS_GROUP = "S0APPROVERS";

/**
 * Approve clicks with the bot killed around them: just after a click was acknowledged (Slack told
 * the approver it was received) and while a click is still being authorised (not acknowledged:
 * Slack shows the approver an error). The approver is an approver through a Slack user group whose
 * members Slack lists slowly, so authorising a click takes a Slack round trip. An acknowledged
 * click must never be lost: nobody clicks it again. A click that got no answer is clicked again.
 */
export function clickScenario(n: number): CrashScenario {
  let posted: Posted[] = [];
  const acked = new Set<string>();
  const click = async (w: CrashWorld, r: Posted) => {
    const res = await approve(w, r);
    if (res?.status === 200) acked.add(r.id);
  };
  const rows = (w: CrashWorld) =>
    w
      .db()
      .select()
      .from(accessRequests)
      .where(
        inArray(
          accessRequests.id,
          posted.map((p) => p.id),
        ),
      )
      .all();
  return {
    name: `approve clicks ×${n}`,
    env: { APPROVER_USER_IDS: CAST.approver2.id, APPROVER_USERGROUP_ID: APPROVERS_GROUP },
    slack: {
      usergroups: { [APPROVERS_GROUP]: [CAST.approver.id] },
      methodLatencyMs: { "usergroups.users.list": 300 },
    },
    randomKill: (random) =>
      random() < 0.5
        ? { on: "slack", method: "usergroups.users.list", atCall: 1, delayMs: 0 }
        : {
            on: "ack",
            atCall: 1 + Math.floor(random() * 3),
            delayMs: random() < 0.5 ? 0 : Math.floor(random() * 40),
          },
    async prepare(w) {
      const s = await w.inProcess();
      await submitMix(s, w, n, (i) => 5 + i, "Click");
      posted = approvals(s);
      await s.stopBot();
      if (posted.length !== n) throw new Error(`expected ${n} approval messages, got ${posted.length}`);
    },
    async begin(w) {
      for (const r of posted) await click(w, r);
    },
    async resume(w) {
      // Only the clicks Slack showed as failed are clicked again.
      for (const r of posted.filter((p) => !acked.has(p.id))) await click(w, r);
    },
    settled(w) {
      const all = rows(w);
      if (all.length !== posted.length) return false;
      if (all.every((r) => (terminal as readonly string[]).includes(r.state))) return true;
      // A click acknowledged and never decided is lost for good: once the restarted bot has had
      // time to resume whatever was decided, that is the outcome to report.
      const upFor = Date.now() - (w.botStartedAt ?? Date.now());
      return (
        upFor > 3_000 &&
        all.every(
          (r) =>
            (terminal as readonly string[]).includes(r.state) || (r.state === "requested" && acked.has(r.id)),
        )
      );
    },
    check(w) {
      const checks = requestChecks(w, posted);
      for (const r of rows(w))
        if (r.state === "requested" && acked.has(r.id))
          checks.problems.push(`${r.email}: the click was acknowledged, then lost (still requested)`);
      for (const p of posted) {
        const message = w.slack.workspace.findMessage(CHANNELS.approval, p.ts);
        if (JSON.stringify(message?.blocks ?? []).includes(ACTION.approve))
          checks.problems.push(`${p.email}: the approval message still offers Approve`);
      }
      return { requests: posted.length, offboardings: 0, halfDone: 0, ...checks };
    },
  };
}

/** Provisioned contractors and existing staff offboarded in one bulk run. */
export function bulkScenario(contractors: number, staff: number): CrashScenario {
  let emails: string[] = [];
  let summariesAtSubmit = 0;
  let halfDone = 0;
  const summaries = (w: CrashWorld) =>
    [...w.slack.callsTo("chat.update"), ...w.slack.callsTo("chat.postMessage")].filter((c) =>
      String(c.args.text).startsWith("Bulk offboarding finished"),
    );
  const submitBulk = async (w: CrashWorld) => {
    summariesAtSubmit = summaries(w).length;
    const f = bulkEmailsField(1);
    await w
      .driver()
      .viewSubmission({
        userId: CAST.operator.id,
        callbackId: CALLBACK.offboardBulk,
        values: { [f.block]: { [f.action]: { type: "plain_text_input", value: emails.join("\n") } } },
      })
      .catch(() => null);
  };
  const listed = (w: CrashWorld) =>
    w.doorflow.sandbox.state.people.filter((p) => p.email && emails.includes(p.email.toLowerCase()));
  const live = (w: CrashWorld, personId: number) =>
    w.doorflow.sandbox.state.groupReservations.some(
      (g) => g.personId === personId && g.deactivatedAt === null,
    ) || w.doorflow.sandbox.state.reservations.some((r) => r.personId === personId);
  return {
    name: `bulk offboarding of ${contractors + staff}`,
    async prepare(w) {
      const s = await w.inProcess();
      await submitMix(s, w, contractors, () => 20, "Bulk");
      await approveAll(s);
      await s.stopBot();
      const crew = w.doorflow.sandbox.state.people.filter((p) => p.email?.endsWith("@crash.example"));
      const employees = w.doorflow.sandbox.state.people.filter((p) => p.systemId?.startsWith("EMP-"));
      emails = [...crew, ...employees.slice(0, staff)].map((p) => (p.email as string).toLowerCase());
      emails.push("nobody.here@crash.example");
    },
    begin: submitBulk,
    async resume(w) {
      // The restart's catch-up finishes every offboarding the bulk run had recorded; look before rerunning.
      const started = Date.now();
      while (Date.now() - started < 15_000) {
        if (w.bot?.gone) return;
        const running = w.db().select().from(offboardings).where(eq(offboardings.status, "running")).all();
        if (running.length === 0 && catchUpFinished(w)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      if (w.bot?.gone) return;
      halfDone += listed(w).filter((p) => !p.enabled && live(w, p.id)).length;
      await submitBulk(w);
    },
    settled(w) {
      const running = w.db().select().from(offboardings).where(eq(offboardings.status, "running")).all();
      return summaries(w).length > summariesAtSubmit && running.length === 0;
    },
    check(w) {
      const problems: string[] = [];
      for (const p of listed(w)) {
        if (p.enabled || live(w, p.id)) problems.push(`${p.email} still has access after the bulk run`);
      }
      const text = summaries(w).at(-1)?.args.text;
      const last = typeof text === "string" ? text : "";
      if (!last.includes(" 0 failed")) problems.push(`the bulk summary reports failures: ${last}`);
      return { requests: 0, offboardings: emails.length, problems, halfDone, repeatedDms: 0 };
    },
  };
}

/** The latest daily run was started by the running bot and has finished. */
function catchUpFinished(w: CrashWorld): boolean {
  const last = w.db().select().from(jobRuns).orderBy(desc(jobRuns.id)).limit(1).get();
  return last !== undefined && last.status !== "running" && last.startedAt.getTime() >= (w.botStartedAt ?? 0);
}

/** Contracts and visits ending today, offboarded by the daily job's catch-up at start. */
export function dailyScenario(leavers: number, stayers: number): CrashScenario {
  let leaving: Posted[] = [];
  let staying: Posted[] = [];
  const due = (w: CrashWorld) =>
    w
      .db()
      .select()
      .from(offboardings)
      .where(and(inArray(offboardings.status, ["scheduled", "running"]), lte(offboardings.dueAt, new Date())))
      .all();
  return {
    name: `daily job offboarding ${leavers}`,
    // Due at midnight of the last day, so contracts ending today are due whenever the suite runs.
    env: { OFFBOARD_CRON: "0 0 * * *" },
    async prepare(w) {
      const s = await w.inProcess();
      await submitMix(s, w, leavers, () => 0, "Leaver");
      await submitMix(s, w, stayers, () => 10, "Stayer");
      const all = await approveAll(s);
      await s.stopBot();
      leaving = all.filter((r) => r.email.startsWith("leaver"));
      staying = all.filter((r) => r.email.startsWith("stayer"));
    },
    begin: async () => undefined,
    resume: async () => undefined,
    settled: (w) => due(w).length === 0 && catchUpFinished(w),
    check(w) {
      const problems: string[] = [];
      const rows = w.db().select().from(offboardings).all();
      for (const r of leaving) {
        const row = rows.find((o) => o.requestId === r.id);
        if (row?.status !== "completed") problems.push(`${r.email}: offboarding ${row?.status ?? "missing"}`);
      }
      for (const r of staying) {
        const person = w.doorflow.sandbox.personBySystemId(r.id);
        if (!person?.enabled) problems.push(`${r.email} was offboarded before their end date`);
      }
      // A run killed part-way is marked abandoned by the next start, not left "running" for ever.
      const stuck = w.db().select().from(jobRuns).where(eq(jobRuns.status, "running")).all();
      if (stuck.length > 0) problems.push(`${stuck.length} daily run(s) left "running" after the restart`);
      return { requests: 0, offboardings: leaving.length, problems, halfDone: 0, repeatedDms: 0 };
    },
  };
}
