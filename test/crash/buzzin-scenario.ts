/**
 * The crash suite's Buzz-in scenario: approvals of Buzz-in requests in a community whose admin
 * approves at once and which accepts every submitted permit at once, so each approval runs
 * register → approval webhook → create and submit → issued webhook → the access code's DM, while
 * the bot is SIGKILLed at Buzz-in calls or right after it answered a webhook (before the work it
 * acknowledged), and started again on the same database. The promise: one contractor and one
 * permit per request, every request active, and each live code DMed to its requester exactly once.
 */
import { inArray } from "drizzle-orm";
import { getAlert } from "../../src/db/repositories/alerts.js";
import { getBuzzinPermit } from "../../src/db/repositories/buzzin-permits.js";
import { accessRequests } from "../../src/db/schema.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import type { CrashWorld } from "../../tools/sandbox/crash/world.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK } from "../../src/slack/ids.js";
import { buzzinInputFor, buzzinValues } from "../helpers/forms.js";
import type { CrashScenario, ScenarioChecks } from "./scenarios.js";

interface Posted {
  id: string;
  ts: string;
}

function approvals(w: CrashWorld): Posted[] {
  return w.slack.messages(CHANNELS.approval).flatMap((m) => {
    const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(m.blocks))?.[1];
    return id ? [{ id, ts: m.ts }] : [];
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

export function buzzinScenario(n: number): CrashScenario {
  let posted: Posted[] = [];
  const emails: string[] = [];
  /** Accepted permits Gatehouse could not name, and when the operator first saw them so. */
  const unseenSince = new Map<string, number>();
  return {
    name: `Buzz-in provisioning ×${n}`,
    buzzin: { autoApproveContractors: true, autoAccept: true },
    killOn: "buzzin",
    async prepare(w) {
      const s = await w.inProcess();
      const today = localDateOf(new Date(), s.gatehouse.deps.settings.buzzinTimeZone);
      for (let i = 0; i < n; i++) {
        const email = `buzz${i}@crash.example`;
        emails.push(email);
        const res = await s.driver.viewSubmission({
          userId: CAST.requester.id,
          callbackId: CALLBACK.buzzinRequest,
          values: buzzinValues(
            buzzinInputFor(today, 700 + i, { email, lastName: `Crash${i}`, endDate: addDays(today, 10) }),
          ),
        });
        if (res.status !== 200 || res.body !== "")
          throw new Error(`not accepted: ${JSON.stringify(res.body)}`);
      }
      await s.gatehouse.idle();
      posted = approvals(w);
      await s.stopBot();
      if (posted.length !== n) throw new Error(`expected ${n} approval messages, got ${posted.length}`);
    },
    async begin(w) {
      await Promise.all(posted.map((r) => approve(w, r)));
    },
    async resume(w) {
      // The approver sees the buttons still there (the decision may not have been recorded) and clicks.
      const shown = posted.filter((r) =>
        JSON.stringify(w.slack.workspace.findMessage(CHANNELS.approval, r.ts)?.blocks ?? []).includes(
          ACTION.approve,
        ),
      );
      await Promise.all(shown.map((r) => approve(w, r)));
    },
    tick(w) {
      // An operator follows the alert about a permit Buzz-in would not name: submits the DRAFT from
      // the dashboard, and reissues its pass if the code has not come a while after acceptance.
      const sb = w.buzzin?.sandbox;
      if (!sb) return;
      for (const p of sb.state.permits) {
        if (!getAlert(w.db(), `buzzin-permit:${p.salesforcePermitId}`)) continue;
        if (p.status === "DRAFT") sb.submitPermit(p.id);
        const named = getBuzzinPermit(w.db(), p.salesforcePermitId)?.permitId != null;
        if (p.status !== "ACCEPTED" || named) continue;
        const since = unseenSince.get(p.id) ?? Date.now();
        unseenSince.set(p.id, since);
        if (Date.now() - since > 2_000) {
          sb.reissuePass(p.id);
          unseenSince.set(p.id, Date.now());
        }
      }
    },
    settled(w) {
      const ids = posted.map((p) => p.id);
      const rows = w.db().select().from(accessRequests).where(inArray(accessRequests.id, ids)).all();
      if (rows.length !== ids.length) return false;
      return rows.every((r) => {
        if (r.state === "failed") return true;
        if (r.state !== "active") return false;
        const link = getBuzzinPermit(w.db(), r.id);
        return link?.passFingerprint != null && link.passNotifiedFingerprint === link.passFingerprint;
      });
    },
    check(w) {
      return checkBuzzin(w, posted, emails);
    },
  };
}

function checkBuzzin(w: CrashWorld, posted: Posted[], emails: string[]): ScenarioChecks {
  const sb = w.buzzin?.sandbox;
  const problems: string[] = [];
  const counts = { duplicatePermits: 0, lostCodes: 0, repeatedCodes: 0, supersededCodes: 0 };
  if (!sb)
    return { requests: 0, offboardings: 0, problems: ["no Buzz-in sandbox"], halfDone: 0, repeatedDms: 0 };
  for (const email of emails) {
    const n = sb.state.contractors.filter((c) => c.email === email).length;
    if (n !== 1) {
      counts.duplicatePermits += Math.max(0, n - 1);
      problems.push(`${n} Buzz-in contractors for ${email}`);
    }
  }
  const dms = w.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.status === 200 && c.args.channel === CAST.requester.id);
  const rows = w.db().select().from(accessRequests).all();
  for (const p of posted) {
    const permits = sb.state.permits.filter((x) => x.salesforcePermitId === p.id);
    const others = sb.state.permits.filter((x) => x.contractorId === permits[0]?.contractorId).length;
    if (permits.length !== 1 || others > 1) {
      counts.duplicatePermits += Math.max(0, permits.length - 1, others - 1);
      problems.push(`${permits.length} permits for request ${p.id}`);
    }
    const permit = permits[0];
    const row = rows.find((r) => r.id === p.id);
    if (row?.state !== "active") {
      problems.push(`${p.id} is ${row?.state ?? "missing"} (${row?.lastError ?? "no error"})`);
      continue;
    }
    const codes = permit ? [...permit.formerCodes, ...(permit.accessCode ? [permit.accessCode] : [])] : [];
    const dmed = codes.filter((code) => dms.some((c) => JSON.stringify(c.args).includes(code)));
    counts.supersededCodes += Math.max(0, dmed.length - 1);
    for (const code of codes) {
      const sent = dms.filter((c) => JSON.stringify(c.args).includes(code)).length;
      if (sent > 1) {
        counts.repeatedCodes += sent - 1;
        problems.push(`an access code of ${p.id} was DMed ${sent} times`);
      }
    }
    const live = permit?.accessCode;
    if (!live || !dms.some((c) => JSON.stringify(c.args).includes(live))) {
      counts.lostCodes++;
      problems.push(`the live access code of ${p.id} never reached the requester`);
    }
  }
  return { requests: posted.length, offboardings: 0, problems, halfDone: 0, repeatedDms: 0, buzzin: counts };
}
