/**
 * One Buzz-in fault scenario end to end: the real bot, the Buzz-in sandbox (its clock the bot's),
 * Buzz-in failing calls (5xx, 429, connections dropped before or after it acted) and losing or
 * repeating webhooks while a morning's Buzz-in requests are approved, registered, approved by the
 * community admin, permitted, accepted, and the contracts ending today offboarded. Then the faults
 * stop and the clock moves past every backoff and reconciliation while the community keeps acting.
 * The checks: no duplicate contractor or permit in Buzz-in, every request active (or ended, or
 * failed with an alert), the requester holding the live code of every active pass exactly once, no
 * access-code DM sent twice, every due contract revoked in Buzz-in, no alert twice.
 */
import type { FaultRule as BuzzinFault } from "../../tools/sandbox/buzzin/types.js";
import type { FaultRule as SlackFault } from "../../tools/sandbox/slack/types.js";
import { getAccessRequest, listRequestsByEmail } from "../../src/db/repositories/access-requests.js";
import { getAlert } from "../../src/db/repositories/alerts.js";
import { getBuzzinPermit } from "../../src/db/repositories/buzzin-permits.js";
import { findStartedOffboardingForRequest } from "../../src/db/repositories/offboardings.js";
import { createLogger } from "../../src/lib/logger.js";
import { addDays, type LocalDate, localDateOf, zonedInstant } from "../../src/lib/time.js";
import { seededRandom } from "../../tools/sandbox/doorflow/random.js";
import { CAST, CHANNELS, startStory, type Story } from "../../tools/sandbox/story.js";
import { CALLBACK } from "../../src/slack/ids.js";
import { buzzinInputFor, buzzinValues } from "../helpers/forms.js";
import { checkAlerts, emptyTally, type Tally } from "./checks.js";
import { approveAll } from "./drive.js";
import { FAST_RETRY } from "./world.js";

const DUBAI = "Asia/Dubai";
const ZONE = "Europe/London";
const DAY_ONE: LocalDate = "2027-06-01";

export interface BuzzinScenario {
  name: string;
  seed: number;
  /** Buzz-in requests, of which `due` end on day one (the daily job offboards them). */
  requests: number;
  due: number;
  /** Faults on Buzz-in's API from the first request until the faults are cleared. */
  buzzin?: BuzzinFault[];
  /** Probabilities that a webhook is lost, or sent twice. */
  webhooks?: { lose: number; repeat: number };
  /** Slack faults, armed afresh at each phase (each rule lapses after its `times`). */
  slack?: SlackFault[];
}

export interface BuzzinReport extends Tally {
  name: string;
  faults: { buzzin: number; webhooksLost: number; webhooksRepeated: number; slack: number };
  /** More than one contractor for a request, or more than one permit. */
  duplicatePermits: number;
  /** Active passes whose live code never reached the requester. */
  lostDms: number;
  /** Access codes DMed more than once. */
  repeatedDms: number;
  /** Problems of any other kind: requests stuck, offboardings undone, alerts repeated. */
  otherProblems: number;
}

/** After the faults: far enough for every provisioning and offboarding backoff and reconciliation. */
const SETTLE_MINUTES = [2, 6, 11, 16, 31, 61, 61];

export async function runBuzzinScenario(sc: BuzzinScenario): Promise<BuzzinReport> {
  let at = zonedInstant(DAY_ONE, "09:00", ZONE).getTime();
  const now = () => new Date(at);
  const story = await startStory({
    logger: createLogger({ level: "warn", write: () => undefined }),
    now,
    catchUp: false,
    doorflow: { timeZone: ZONE, now: now(), ticking: false },
    buzzin: { now: now(), ticking: false, random: seededRandom(sc.seed) },
    env: { ACCOUNT_TIMEZONE: ZONE },
    doorflowRetry: FAST_RETRY,
    buzzinRetry: FAST_RETRY,
  });
  const buzzin = story.buzzin?.sandbox;
  if (!buzzin) throw new Error("the story has no Buzz-in sandbox");
  const advance = (minutes: number) => {
    at += minutes * 60_000;
    story.doorflow.sandbox.clock.set(now());
    buzzin.clock.set(now());
  };
  try {
    return await play(story, sc, advance, now);
  } finally {
    await story.close();
  }
}

async function settle(s: Story): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await s.buzzin?.sandbox.settled();
    await new Promise((resolve) => setImmediate(resolve));
    await s.gatehouse.idle();
  }
}

/**
 * What Buzz-in's people do: the community admin approves every pending contractor and accepts
 * every submitted permit; an operator does what Gatehouse's alert about a permit it could not find
 * by id says: submits the DRAFT from the dashboard, and reissues its pass if the code has not
 * reached the requester a round (15 minutes or more) after it was accepted.
 */
function communityActs(s: Story, acceptedUnseen: Set<string>): void {
  const sb = s.buzzin?.sandbox;
  if (!sb) return;
  for (const c of sb.state.contractors) if (!c.approved && !c.removedAt) sb.approveContractor(c.id);
  for (const p of sb.state.permits) {
    const alerted = getAlert(s.gatehouse.db, `buzzin-permit:${p.salesforcePermitId}`) !== undefined;
    if (p.status === "DRAFT" && alerted) sb.submitPermit(p.id);
    if (p.status === "PENDING") sb.acceptPermit(p.id);
    const unseen =
      alerted &&
      p.status === "ACCEPTED" &&
      getBuzzinPermit(s.gatehouse.db, p.salesforcePermitId)?.permitId == null;
    if (unseen && acceptedUnseen.has(p.id)) sb.reissuePass(p.id);
    if (unseen) acceptedUnseen.add(p.id);
  }
}

const REQUESTERS = [CAST.requester.id, CAST.approver2.id, CAST.stranger.id];

async function play(
  s: Story,
  sc: BuzzinScenario,
  advance: (minutes: number) => void,
  now: () => Date,
): Promise<BuzzinReport> {
  const sb = s.buzzin?.sandbox;
  if (!sb) throw new Error("no Buzz-in sandbox");
  const t = emptyTally();
  const today = localDateOf(now(), DUBAI);
  const acceptedUnseen = new Set<string>();
  const armSlack = () => {
    s.slack.faults.clear();
    for (const rule of sc.slack ?? []) s.slack.faults.add({ ...rule });
  };
  for (const rule of sc.buzzin ?? []) sb.faults.add(rule);
  Object.assign(sb.webhookFaults, sc.webhooks ?? { lose: 0, repeat: 0 });
  armSlack();

  // Requests submitted and approved, as on a busy morning.
  const emails: string[] = [];
  for (let i = 0; i < sc.requests; i++) {
    const email = `buzz${i}.s${sc.seed}@fitout.example`;
    emails.push(email);
    const input = buzzinInputFor(today, sc.seed * 100 + i, {
      email,
      lastName: `Seed${sc.seed} No${i}`,
      endDate: i < sc.due ? today : addDays(today, 14),
    });
    const res = await s.driver.viewSubmission({
      userId: REQUESTERS[i % REQUESTERS.length] as string,
      callbackId: CALLBACK.buzzinRequest,
      values: buzzinValues(input),
    });
    if (res.status !== 200 || res.body !== "") throw new Error(`not accepted: ${JSON.stringify(res.body)}`);
  }
  await s.gatehouse.idle();
  // The requests as recorded (their approval messages may still wait in the outbox while Slack fails).
  const posted = emails.flatMap((email) =>
    listRequestsByEmail(s.gatehouse.db, email).map((r) => ({ id: r.id })),
  );
  await approveAll(
    s,
    posted.map((r) => r.id),
  );
  await settle(s);

  // The morning goes on under faults: retries, the community admin, Buzz-in accepting.
  for (const minutes of [2, 11, 11]) {
    armSlack();
    advance(minutes);
    communityActs(s, acceptedUnseen);
    await settle(s);
    await s.gatehouse.housekeeping();
    await settle(s);
  }
  // The daily job at 17:05 London offboards the contracts ending today (due 17:00 in Dubai).
  advance((zonedInstant(DAY_ONE, "17:05", ZONE).getTime() - now().getTime()) / 60_000);
  await s.gatehouse.runDaily();
  await settle(s);

  const faultedBefore = sb.calls.filter((c) => c.faulted || c.dropped).length;
  sb.faults.clear();
  sb.webhookFaults.lose = 0;
  sb.webhookFaults.repeat = 0;
  s.slack.faults.clear();
  for (const minutes of SETTLE_MINUTES) {
    advance(minutes);
    communityActs(s, acceptedUnseen);
    await settle(s);
    await s.gatehouse.housekeeping();
    await s.gatehouse.runDaily();
    await settle(s);
  }

  const report: BuzzinReport = {
    ...t,
    name: sc.name,
    faults: {
      buzzin: faultedBefore,
      webhooksLost: sb.deliveries.filter((d) => d.attempts.some((a) => a.error?.startsWith("lost"))).length,
      webhooksRepeated: sb.deliveries.filter((d) => d.attempts.length > 1).length,
      slack: s.slack.calls.filter((c) => c.status === 429 || c.status >= 500).length,
    },
    duplicatePermits: 0,
    lostDms: 0,
    repeatedDms: 0,
    otherProblems: 0,
  };
  check(
    s,
    posted.map((p) => p.id),
    emails,
    sc,
    now(),
    report,
  );
  checkAlerts(s, report);
  report.otherProblems = report.problems.filter(
    (p) => !/^duplicate:|never got the live access code|was sent \d+ times/.test(p),
  ).length;
  return report;
}

function check(
  s: Story,
  ids: string[],
  emails: string[],
  sc: BuzzinScenario,
  now: Date,
  r: BuzzinReport,
): void {
  const sb = s.buzzin?.sandbox;
  if (!sb) return;
  const { db } = s.gatehouse;
  if (ids.length !== sc.requests) r.problems.push(`${ids.length} requests recorded for ${sc.requests} forms`);
  // Each approval message reaches the channel once, however long Slack failed.
  for (const id of ids) {
    const n = s.slack.messages(CHANNELS.approval).filter((m) => JSON.stringify(m.blocks).includes(id)).length;
    if (n !== 1) r.problems.push(`${n} approval messages for ${id}`);
  }

  // Duplicates in Buzz-in: a contractor registered twice, a permit created twice.
  for (const email of emails) {
    const n = sb.state.contractors.filter((c) => c.email === email).length;
    if (n > 1) {
      r.duplicatePermits++;
      r.problems.push(`duplicate: ${n} Buzz-in contractors for ${email}`);
    }
  }
  for (const c of sb.state.contractors) {
    const n = sb.state.permits.filter((p) => p.contractorId === c.id).length;
    if (n > 1) {
      r.duplicatePermits++;
      r.problems.push(`duplicate: ${n} permits for contractor ${c.email}`);
    }
  }
  for (const p of sb.state.permits)
    if (!ids.includes(p.salesforcePermitId)) {
      r.duplicatePermits++;
      r.problems.push(`duplicate: permit ${p.id} belongs to no request (${p.salesforcePermitId})`);
    }

  const dms = s.slack.callsTo("chat.postMessage").filter((c) => c.status === 200);
  for (const id of ids) {
    r.requests++;
    const request = getAccessRequest(db, id);
    const link = getBuzzinPermit(db, id);
    const permit = sb.permitBySalesforceId(id);
    if (!request || !link) {
      r.problems.push(`request ${id} is gone`);
      continue;
    }
    const who = request.email ?? id;
    // Each code the permit ever had reached its requester at most once.
    const codes = permit ? [...permit.formerCodes, ...(permit.accessCode ? [permit.accessCode] : [])] : [];
    for (const code of codes) {
      const n = dms.filter(
        (c) => c.args.channel === request.requesterId && JSON.stringify(c.args).includes(code),
      ).length;
      if (n > 1) {
        r.repeatedDms += n - 1;
        r.problems.push(`the access code of ${who} was sent ${n} times`);
      }
    }
    const due = request.endDate <= localDateOf(now, DUBAI);
    if (request.state === "failed") {
      if (!getAlert(db, `provisioning:${id}`)?.ts)
        r.problems.push(`request for ${who} failed without a posted alert`);
      continue;
    }
    if (due) {
      r.offboardings++;
      const o = findStartedOffboardingForRequest(db, id);
      if (o?.status !== "completed") r.problems.push(`offboarding of ${who} is ${o?.status ?? "missing"}`);
      if (permit && (permit.status === "ACCEPTED" || permit.status === "PENDING"))
        r.problems.push(`${who} is offboarded but Buzz-in's permit is ${permit.status}`);
      const contractor = sb.state.contractors.find((c) => c.id === link.contractorId);
      if (contractor && !contractor.removedAt)
        r.problems.push(`${who} is offboarded but still in the community`);
      continue;
    }
    if (request.state !== "active") {
      r.problems.push(
        `request for ${who} left ${request.state} at Buzz-in stage ${link.stage} (${request.lastError ?? "no error"}; permit ${link.permitId ?? "id unknown"} is ${permit?.status ?? "missing"} in Buzz-in, pass sent: ${link.passNotifiedFingerprint !== null})`,
      );
      continue;
    }
    if (permit?.status !== "ACCEPTED" || !permit.accessCode) {
      r.problems.push(`${who} is active but Buzz-in's permit is ${permit?.status ?? "missing"}`);
      continue;
    }
    const live = permit.accessCode;
    if (!dms.some((c) => c.args.channel === request.requesterId && JSON.stringify(c.args).includes(live))) {
      r.lostDms++;
      r.problems.push(`the requester of ${who} never got the live access code`);
    }
  }
}
