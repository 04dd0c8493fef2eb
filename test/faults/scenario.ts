/**
 * One fault scenario end to end: faults on, a mix of work through the real bot (requests approved,
 * offboard now, a bulk offboarding, the daily job at 17:05 on day one), then faults off and the
 * clock moved past every backoff while retries finish, then the checks. The light variant in
 * test/faults/ and the heavy one in bench/faults.ts both run this.
 */
import type { FaultRule as DoorFlowFault } from "../../tools/sandbox/doorflow/types.js";
import type { FaultRule as SlackFault } from "../../tools/sandbox/slack/types.js";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { findOpenOffboarding } from "../../src/db/repositories/offboardings.js";
import { zonedInstant } from "../../src/lib/time.js";
import {
  alertPostedOrOwed,
  checkAlerts,
  checkBulkAlerted,
  checkCardReminders,
  checkOutboxDelivered,
  checkDueOffboardings,
  checkNoDuplicates,
  checkOffboarded,
  checkRequests,
  emptyTally,
  type Tally,
} from "./checks.js";
import {
  approveAll,
  clickOffboardNow,
  offboardBulk,
  offboardNow,
  type OperatorView,
  requestIdsOf,
  submitRequests,
} from "./drive.js";
import {
  createLeavers,
  DAY_ONE,
  type Leaver,
  type Mix,
  requestForms,
  startWorld,
  type World,
  ZONE,
} from "./world.js";

export interface Scenario {
  name: string;
  seed: number;
  mix: Mix;
  /** DoorFlow faults from the first request until the faults are cleared. */
  doorflow?: DoorFlowFault[];
  /** DoorFlow faults armed afresh at the start of each phase: a `times` rule is a burst. */
  doorflowBursts?: DoorFlowFault[];
  /** DoorFlow faults only while the daily job runs: DoorFlow down at 17:00. */
  doorflowAtDaily?: DoorFlowFault[];
  /** Slack faults, armed afresh at the start of each phase (each rule lapses after its `times`). */
  slack?: SlackFault[];
  /**
   * Slack's Web API answers every call with a 503 for this many simulated minutes, from the start
   * of the morning's work or from 17:00 (around the daily run), while the few-minute tick goes on.
   */
  slackDown?: { at: "morning" | "daily"; minutes: number };
}

export interface ScenarioReport extends Tally {
  name: string;
  faults: { doorflow: number; slack: number };
  /** Work the faults sent down a retry or failure path before they were cleared. */
  underFaults: { requestsNotActive: number; offboardingsNotDone: number; operatorToldFailed: number };
}

/** After the faults: far enough for every provisioning (1, 5, 15, 30 min) and offboarding (5, 15, 60 min) backoff. */
const SETTLE_MINUTES = [2, 6, 16, 31, 61, 61];

export async function runScenario(sc: Scenario): Promise<ScenarioReport> {
  const world = await startWorld({ seed: sc.seed });
  try {
    return await play(world, sc);
  } finally {
    await world.close();
  }
}

async function play(world: World, sc: Scenario): Promise<ScenarioReport> {
  const { story: s, clock } = world;
  const { sandbox } = s.doorflow;
  const tag = `s${sc.seed}`;
  const leavers = await createLeavers(world, sc.mix.offboardNow + sc.mix.bulk, tag);
  const nowLeavers = leavers.slice(0, sc.mix.offboardNow);
  const bulkLeavers = leavers.slice(sc.mix.offboardNow);
  const forms = requestForms(sc.mix, tag);
  const t = emptyTally();
  const report: ScenarioReport = {
    ...t,
    name: sc.name,
    faults: { doorflow: 0, slack: 0 },
    underFaults: { requestsNotActive: 0, offboardingsNotDone: 0, operatorToldFailed: 0 },
  };
  let bursts: Array<() => void> = [];
  let slackDown = false;
  const armPhase = () => {
    s.slack.faults.clear();
    if (slackDown) s.slack.faults.add({ method: "*", status: 503 });
    for (const rule of sc.slack ?? []) s.slack.faults.add({ ...rule });
    for (const remove of bursts) remove();
    // A burst answers every call the other rules let through until its `times` run out.
    bursts = (sc.doorflowBursts ?? []).map((rule) => sandbox.faults.add({ ...rule }));
  };
  /** The outage's remaining minutes pass (the tick every 2 minutes), then Slack answers again. */
  const outageEnds = async () => {
    if (!sc.slackDown) return;
    for (let m = 0; m < sc.slackDown.minutes; m += 2) {
      clock.advanceMinutes(2);
      await s.gatehouse.housekeeping();
      await s.gatehouse.idle();
    }
    slackDown = false;
    armPhase();
    await s.gatehouse.housekeeping();
    await s.gatehouse.idle();
  };
  for (const rule of sc.doorflow ?? []) sandbox.faults.add(rule);
  slackDown = sc.slackDown?.at === "morning";
  armPhase();

  // Requests, offboard now and bulk all at once, as on a busy morning.
  let ids: string[] = [];
  const views: OperatorView[] = [];
  await Promise.all([
    (async () => {
      await submitRequests(s, forms);
      const found = requestIdsOf(s, forms);
      t.problems.push(...found.problems);
      ids = found.ids;
      await approveAll(s, ids);
    })(),
    (async () => {
      for (const leaver of nowLeavers) views.push(await offboardNow(s, leaver));
    })(),
    bulkLeavers.length > 0
      ? offboardBulk(s, [...bulkLeavers.map((l) => l.email), `nobody.${tag}@staff.example`])
      : Promise.resolve(),
  ]);
  if (sc.slackDown?.at === "morning") await outageEnds();
  checkOperatorWasTold(world, nowLeavers, views, bulkLeavers, t);
  report.underFaults.operatorToldFailed = views.filter((v) => v !== "offboarded").length;

  armPhase();
  clock.advanceMinutes(2);
  await s.gatehouse.housekeeping();
  await s.gatehouse.idle();

  slackDown = sc.slackDown?.at === "daily";
  armPhase();
  clock.set(zonedInstant(DAY_ONE, "17:05", ZONE));
  const outage = (sc.doorflowAtDaily ?? []).map((rule) => sandbox.faults.add(rule));
  await s.gatehouse.runDaily();
  await s.gatehouse.idle();
  for (const remove of outage) remove();
  await s.gatehouse.housekeeping();
  await s.gatehouse.idle();
  if (sc.slackDown?.at === "daily") await outageEnds();
  // Under faults, whatever is not done yet must already be on the security channel.
  const during = emptyTally();
  // Slack may still be failing here: an alert waiting in the outbox is owed, not lost.
  report.underFaults.offboardingsNotDone = checkDueOffboardings(s, clock.now(), during, {
    owedCounts: true,
  }).notDone;
  checkAlertedWhileRetrying(world, ids, during);
  t.problems.push(...during.problems.map((p) => `under faults: ${p}`));
  report.underFaults.requestsNotActive = during.requests;

  sandbox.faults.clear();
  s.slack.faults.clear();
  await operatorRetries(world, nowLeavers, bulkLeavers);
  for (const minutes of SETTLE_MINUTES) {
    clock.advanceMinutes(minutes);
    await s.gatehouse.housekeeping();
    await s.gatehouse.runDaily();
    await s.gatehouse.idle();
  }

  const now = clock.now();
  const emails = [...forms.map((f) => f.input.email), ...leavers.map((l) => l.email)];
  checkNoDuplicates(s, emails, now, t);
  checkRequests(s, ids, now, t);
  const { due, people } = checkDueOffboardings(s, now, t);
  if (due < sc.mix.dueContractors)
    t.problems.push(`${due} offboardings due by now, expected at least ${sc.mix.dueContractors}`);
  for (const l of leavers) {
    // A leaver whose offboarding is on record (bulk records them) was counted with the due ones.
    if (!people.has(l.personId)) t.offboardings++;
    checkOffboarded(s, l.personId, l.email, now, t);
  }
  checkAlerts(s, t);
  checkOutboxDelivered(s, t);
  checkCardReminders(
    s,
    leavers.map((l) => ({ card: l.card, who: l.email })),
    t,
  );
  report.faults = {
    doorflow: sandbox.calls.filter((c) => c.faulted || c.dropped).length,
    slack: s.slack.calls.filter((c) => c.status === 429 || c.status >= 500).length,
  };
  return { ...report, ...t };
}

function offboardedNow(world: World, leaver: Leaver): boolean {
  const probe = emptyTally();
  checkOffboarded(world.story, leaver.personId, leaver.email, world.clock.now(), probe);
  return probe.problems.length === 0;
}

/** Offboard now said "offboarded" only when it is so; a bulk failure is in the security channel's alert. */
function checkOperatorWasTold(
  world: World,
  nowLeavers: Leaver[],
  views: OperatorView[],
  bulkLeavers: Leaver[],
  t: Tally,
): void {
  nowLeavers.forEach((l, i) => {
    if (views[i] === "offboarded" && !offboardedNow(world, l))
      t.problems.push(`the operator was told ${l.email} is offboarded, but DoorFlow disagrees`);
  });
  checkBulkAlerted(world.story, bulkLeavers, world.clock.now(), t);
}

/** A request that is not active yet has told the security channel (once) that it is being retried or failed. */
function checkAlertedWhileRetrying(world: World, ids: string[], t: Tally): void {
  const { db } = world.story.gatehouse;
  for (const id of ids) {
    const r = getAccessRequest(db, id);
    // Ended: provisioned, then offboarded at its contract's end (the daily run under faults).
    if (!r || r.state === "active" || r.state === "ended") continue;
    t.requests++;
    if (!alertPostedOrOwed(world.story, `provisioning:${id}`))
      t.problems.push(`request for ${r.email} is ${r.state} and no alert was posted or queued`);
  }
}

/** What an operator does once DoorFlow is back: Offboard now again on a failed outcome, the bulk list again. */
async function operatorRetries(world: World, nowLeavers: Leaver[], bulkLeavers: Leaver[]): Promise<void> {
  const s = world.story;
  for (const l of nowLeavers) {
    if (offboardedNow(world, l)) continue;
    if ((await clickOffboardNow(s, l)) === "no_preview") await offboardNow(s, l);
  }
  // A bulk failure the job is already retrying (an open offboarding) is left to the job.
  const again = bulkLeavers
    .filter((l) => !offboardedNow(world, l) && !findOpenOffboarding(s.gatehouse.db, l.personId))
    .map((l) => l.email);
  if (again.length > 0) await offboardBulk(s, again);
}
