/**
 * A Buzz-in community as the second provider, end to end on the documented API: the real bot with
 * the Buzz-in sandbox on loopback firing documented webhooks at it. Request → contractor pending →
 * the community admin's approval webhook → DRAFT permit created and submitted → the pass issued →
 * the access code to the requester's DM, once; reissue, extension, offboarding; lost answers, lost
 * and repeated and unusable webhooks; the community's time zone.
 */
import { readFileSync } from "node:fs";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { listAuditForRequest } from "../helpers/db-reads.js";
import { getBuzzinPermit } from "../../src/db/repositories/buzzin-permits.js";
import { findManagedByRequest } from "../../src/db/repositories/managed-people.js";
import { findOffboardingForRequest, getOffboarding } from "../../src/db/repositories/offboardings.js";
import {
  accessRequests,
  alerts,
  buzzinPermits,
  offboardings,
  webhookDeliveries,
} from "../../src/db/schema.js";
import { reconcileBuzzin } from "../../src/domain/providers/buzzin/reconcile.js";
import { runDueOffboardings } from "../../src/domain/due-offboardings.js";
import { provisionApproved } from "../../src/domain/providers/index.js";
import { BUZZIN_DELIVERY_HEADER, BUZZIN_TOKEN_HEADER } from "../../src/buzzin/events.js";
import { addDays, localDateOf, zonedInstant } from "../../src/lib/time.js";
import { DEFAULT_BUZZIN_API_KEY } from "../../tools/sandbox/buzzin/sandbox.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, bulkEmailsField, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { runCli } from "../../src/cli/run.js";
import { fakeTerminal } from "../cli/support.js";
import { approve, latestApproval } from "../helpers/flows.js";
import { type BuzzinInput, buzzinInputFor, buzzinValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const DUBAI = "Asia/Dubai";
let s: TestStory;
beforeAll(async () => {
  s = await startTestStory({ buzzin: true, buzzinRetry: { baseDelayMs: 5, maxDelayMs: 20 } });
});
afterAll(async () => {
  await s.close();
});

const sandbox = () => {
  if (!s.buzzin) throw new Error("the story has no Buzz-in sandbox");
  return s.buzzin.sandbox;
};
/** Today in the community (Dubai): a Buzz-in permit's days are its days. */
const today = () => localDateOf(new Date(), DUBAI);

/** Webhooks fired so far have reached the bot, and the work they started has finished. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await sandbox().settled();
    await new Promise((resolve) => setImmediate(resolve));
    await s.gatehouse.idle();
  }
}

/** What the housekeeping timer does about lost webhooks, on every row at once. */
async function reconcile() {
  const result = await reconcileBuzzin(s.gatehouse.deps, {
    all: true,
    provision: async (id) => void (await provisionApproved(s.gatehouse.deps, id)),
  });
  await settle();
  return result;
}

let serial = 100;
function form(email: string, overrides: Partial<BuzzinInput> = {}): BuzzinInput {
  serial++;
  return buzzinInputFor(today(), serial, { email, ...overrides });
}

async function submit(input: BuzzinInput, userId: string = CAST.requester.id) {
  return s.driver.viewSubmission({ userId, callbackId: CALLBACK.buzzinRequest, values: buzzinValues(input) });
}

/** Submitted and approved in Slack: the contractor is registered and waits for the community admin. */
async function registered(email: string, overrides: Partial<BuzzinInput> = {}): Promise<string> {
  const res = await submit(form(email, overrides));
  expect(res.body).toBe("");
  await s.gatehouse.idle();
  const posted = latestApproval(s);
  await approve(s, posted);
  await settle();
  return posted.id;
}

/** …and approved by the community admin: the permit is created and submitted. */
async function throughCommunityApproval(
  email: string,
  overrides: Partial<BuzzinInput> = {},
): Promise<string> {
  const id = await registered(email, overrides);
  sandbox().approveContractor(link(id).contractorId ?? "");
  await settle();
  return id;
}

/** All the way to an issued pass whose code reached the requester. */
async function issued(email: string, overrides: Partial<BuzzinInput> = {}): Promise<string> {
  const id = await throughCommunityApproval(email, overrides);
  sandbox().acceptPermit(link(id).permitId ?? "");
  await settle();
  return id;
}

function link(requestId: string) {
  const row = getBuzzinPermit(s.gatehouse.db, requestId);
  if (!row) throw new Error(`no Buzz-in row for ${requestId}`);
  return row;
}

const permitOf = (requestId: string) => sandbox().permitBySalesforceId(requestId);
const liveCode = (requestId: string) => permitOf(requestId)?.accessCode ?? "?";

const dmsTo = (userId: string) =>
  s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === userId);
/** DMs Slack accepted that carry this code. */
const codeDms = (code: string) =>
  dmsTo(CAST.requester.id).filter((c) => c.status === 200 && JSON.stringify(c.args).includes(code));

/** A slash command, and what the bot answered on its response URL (all of it, as JSON). */
async function slash(command: string, text: string, userId: string): Promise<string> {
  const sent = await s.driver.command({ command, text, userId });
  await s.gatehouse.idle();
  const path = new URL(sent.responseUrl).pathname;
  return JSON.stringify(
    s.slack
      .callsTo("response_url")
      .filter((c) => c.path.includes(path))
      .map((c) => c.args),
  );
}

function postWebhook(headers: Record<string, string>, body: unknown) {
  return request(`${s.gatehouse.http.url}/webhooks/buzzin`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("the contractor modal with a Buzz-in community", () => {
  it("offers the site picker, and choosing Buzz-in redraws the form with what a permit needs", async () => {
    await s.driver.command({ command: "/contractor", userId: CAST.requester.id });
    await s.gatehouse.idle();
    const opened = await s.slack.waitFor("views.open", (a) => JSON.stringify(a.view).includes(ACTION.site));
    const viewId = String((opened.response as { view?: { id?: string } } | undefined)?.view?.id ?? "");
    expect(viewId).not.toBe("");

    await s.driver.blockAction({
      userId: CAST.requester.id,
      actionId: ACTION.site,
      type: "static_select",
      selectedOption: { value: "buzzin", text: { type: "plain_text", text: "Buzz-in community" } },
      view: { id: viewId },
    });
    await s.gatehouse.idle();
    const updated = await s.slack.waitFor("views.update", (a) => a.view_id === viewId);
    const view = JSON.stringify(updated.args.view);
    expect(view).toContain(CALLBACK.buzzinRequest);
    for (const f of [
      FIELD.phone,
      FIELD.tradeLicenseUrl,
      FIELD.property,
      FIELD.unit,
      FIELD.timeIn,
      FIELD.timeOut,
      FIELD.jobsSummary,
      FIELD.nocUrl,
      FIELD.nocNumber,
      FIELD.nocIssueDate,
      FIELD.nocExpiryDate,
      FIELD.representativeName,
      FIELD.representativePhone,
      FIELD.employees,
    ])
      expect(view).toContain(f.block);
    expect(view).toContain('"type":"timepicker"');
    expect(view).toContain("(Asia/Dubai)");
    expect(view).not.toContain(FIELD.accessGroups.block);
    expect(view).not.toContain("permit_type");
  });

  it("says on the fields what to fix: phones, links, an expiry before the work ends, the hours, the crew", async () => {
    const res = await submit(
      form("bad.form@fitout.example", {
        phone: "0500000123",
        tradeLicenseUrl: "ftp://files/licence.pdf",
        nocExpiryDate: addDays(today(), 10),
        timeIn: "18:00",
        timeOut: "08:00",
        representativePhone: "12",
        employees: "Ali Hassan",
      }),
    );
    expect(res.body).toMatchObject({
      response_action: "errors",
      errors: {
        [FIELD.phone.block]: expect.stringContaining("international form"),
        [FIELD.tradeLicenseUrl.block]: expect.stringContaining("https://"),
        [FIELD.nocExpiryDate.block]: expect.stringContaining("before the work ends"),
        [FIELD.timeOut.block]: expect.stringContaining("after time in"),
        [FIELD.representativePhone.block]: expect.stringContaining("international form"),
        [FIELD.employees.block]: expect.stringContaining("Line 1"),
      },
    });
  });
});

describe("Buzz-in contractor access", () => {
  it("waits for the community admin, creates and submits the documented permit, and DMs the code once", async () => {
    const input = form("omar.haddad@fitout.example", {
      startDate: addDays(today(), 1),
      endDate: addDays(today(), 30),
      timeIn: "08:00",
      timeOut: "18:00",
      employees: "Ali Hassan, +971501112233\nSara Khan, +971504445566",
    });
    const res = await submit(input);
    expect(res.body).toBe("");
    await s.gatehouse.idle();
    const posted = latestApproval(s);
    const approval = s.slack.messages(CHANNELS.approval).at(-1);
    expect(JSON.stringify(approval?.blocks)).toContain("Buzz-in pass");
    expect(JSON.stringify(approval?.blocks)).toContain("DAMAC-TWR-07, unit UNIT-0712");

    await approve(s, posted);
    await settle();
    expect(link(posted.id).stage).toBe("awaiting_community");
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("awaiting_provider");
    const contractor = sandbox().state.contractors.find((c) => c.id === link(posted.id).contractorId);
    expect(contractor).toMatchObject({ email: "omar.haddad@fitout.example", approved: false });
    expect(permitOf(posted.id)).toBeUndefined();
    expect(dmsTo(CAST.requester.id).at(-1)?.args.text).toContain("waits for the community admin's approval");
    expect(await slash("/contractor", "status omar.haddad@fitout.example", CAST.requester.id)).toContain(
      "approved, waiting for Buzz-in",
    );

    // The community admin approves in Buzz-in's dashboard: the webhook carries provisioning on.
    sandbox().approveContractor(contractor?.id ?? "");
    await settle();
    const permit = permitOf(posted.id);
    // The documented body: salesforcePermitId, references, the window in Dubai, the NOC, the crew.
    expect(permit).toMatchObject({
      status: "PENDING",
      salesforcePermitId: posted.id,
      contractorId: contractor?.id,
      propertyId: "66e0000000000000000000a1",
      flatId: "66e0000000000000000000b2",
      validFrom: zonedInstant(addDays(today(), 1), "08:00", DUBAI),
      validTill: zonedInstant(addDays(today(), 30), "18:00", DUBAI),
      jobsSummary: "Full interior fit-out of unit 0712.",
      noc: { type: "url", url: input.nocUrl, nocNumber: input.nocNumber },
      timeIn: "08:00",
      timeOut: "18:00",
      representativeName: "Yusuf Karim",
      representativeContact: "+971501234567",
      employees: [
        { name: "Ali Hassan", phone: "+971501112233" },
        { name: "Sara Khan", phone: "+971504445566" },
      ],
    });
    expect(link(posted.id)).toMatchObject({ stage: "awaiting_pass", permitId: permit?.id });
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("awaiting_provider");

    // Buzz-in accepts the permit and issues the pass: the requester gets the code and QR.
    sandbox().acceptPermit(permit?.id ?? "");
    await settle();
    const code = liveCode(posted.id);
    expect(code).toMatch(/^[0-9A-Z]{24}$/);
    const dms = codeDms(code);
    expect(dms).toHaveLength(1);
    const dm = JSON.stringify(dms[0]?.args.blocks);
    expect(dm).toContain(`permit-${permit?.passNumber}-qr.png`);
    expect(dm).toContain("08:00–18:00 daily");
    expect(dm).toContain("18:00 GMT+4 (the community's time)");
    expect(dm).toContain(ACTION.reissuePass);
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("active");
    const managed = findManagedByRequest(s.gatehouse.db, posted.id);
    expect(managed).toMatchObject({ provider: "buzzin", doorflowPersonId: null, status: "active" });
    expect(findOffboardingForRequest(s.gatehouse.db, posted.id)).toMatchObject({
      provider: "buzzin",
      managedPersonId: managed?.id,
      lastDay: addDays(today(), 30),
      // OFFBOARD_CRON (17:00) on the last day, in the community's zone.
      dueAt: zonedInstant(addDays(today(), 30), "17:00", DUBAI),
    });
    expect(link(posted.id).passNotifiedFingerprint).toBe(link(posted.id).passFingerprint);

    // A repeated delivery is answered and ignored: no second DM.
    const delivery = sandbox().deliveries.find(
      (d) => d.event === "passes.permits.issued" && d.body.includes(code),
    );
    sandbox().redeliver(delivery?.id ?? "");
    await settle();
    expect(delivery?.attempts.at(-1)?.status).toBe(200);
    expect(codeDms(code)).toHaveLength(1);

    // The code, like a PIN, is in the requester's DM only: not in channels, logs or the database.
    for (const channel of Object.values(CHANNELS))
      expect(JSON.stringify(s.slack.messages(channel))).not.toContain(code);
    expect(s.logLines.some((l) => l.includes(code))).toBe(false);
    expect(readFileSync(s.databaseFile).includes(Buffer.from(code))).toBe(false);
    // Nor are Buzz-in's API key and webhook secret, though the whole story logs at DEBUG.
    expect(s.logLines.some((l) => l.includes('"level":"debug"'))).toBe(true);
    for (const secret of [DEFAULT_BUZZIN_API_KEY, sandbox().webhookToken]) {
      expect(s.logLines.some((l) => l.includes(secret))).toBe(false);
      expect(readFileSync(s.databaseFile).includes(Buffer.from(secret))).toBe(false);
      expect(s.slack.calls.some((c) => JSON.stringify(c.args).includes(secret))).toBe(false);
    }

    const actions = listAuditForRequest(s.gatehouse.db, posted.id).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "request.approved",
        "buzzin.contractor_registered",
        "buzzin.contractor_approved",
        "buzzin.permit_created",
        "buzzin.permit_submitted",
        "buzzin.pass_issued",
        "buzzin.pass_sent",
      ]),
    );
  });

  it("reissues the pass for the requester: the old code dies, the new one comes to their DM once", async () => {
    const id = await issued("reissue.me@fitout.example");
    const managed = findManagedByRequest(s.gatehouse.db, id);
    const first = liveCode(id);

    // Someone else may not.
    await s.driver.blockAction({
      userId: CAST.stranger.id,
      actionId: ACTION.reissuePass,
      value: String(managed?.id),
    });
    await s.gatehouse.idle();
    expect(liveCode(id)).toBe(first);
    expect(JSON.stringify(dmsTo(CAST.stranger.id).at(-1)?.args)).toContain("Only the person who asked");

    await s.driver.blockAction({
      userId: CAST.requester.id,
      actionId: ACTION.reissuePass,
      value: String(managed?.id),
    });
    await settle();
    const second = liveCode(id);
    expect(second).not.toBe(first);
    expect(permitOf(id)?.formerCodes).toContain(first);
    expect(codeDms(second)).toHaveLength(1);
    expect(JSON.stringify(codeDms(second)[0]?.args.blocks)).toContain("the old code no longer works");
    expect(codeDms(first)).toHaveLength(1);

    // An operator may too (App Home); the code still goes to the requester only.
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.reissuePass,
      value: String(managed?.id),
    });
    await settle();
    const third = liveCode(id);
    expect(codeDms(third)).toHaveLength(1);
    expect(JSON.stringify(dmsTo(CAST.operator.id))).not.toContain(third);
    expect(JSON.stringify(dmsTo(CAST.operator.id).at(-1)?.args)).toContain("DM only");

    // A late re-send of the first pass's event (a dead code) is not DMed again.
    const old = sandbox().deliveries.find(
      (d) => d.event === "passes.permits.issued" && d.body.includes(first),
    );
    sandbox().redeliver(old?.id ?? "");
    await settle();
    expect(codeDms(first)).toHaveLength(1);
    expect(
      listAuditForRequest(s.gatehouse.db, id)
        .filter((a) => a.action === "buzzin.pass_reissued")
        .map((a) => a.actor),
    ).toEqual([CAST.requester.id, CAST.operator.id]);
  });

  it("audits scans, and reminds with Extend when Buzz-in says the pass is expiring", async () => {
    const id = await issued("scan.me@fitout.example");
    const permitId = link(id).permitId ?? "";
    sandbox().firePassEvent(permitId, "firstScanned", "Gate 3");
    sandbox().firePassEvent(permitId, "expiring");
    await settle();
    const audit = listAuditForRequest(s.gatehouse.db, id);
    expect(audit.find((a) => a.action === "buzzin.pass_firstScanned")?.details).toMatchObject({
      gate: "Gate 3",
    });
    expect(audit.some((a) => a.action === "buzzin.pass_expiring")).toBe(true);
    const reminder = dmsTo(CAST.requester.id).at(-1);
    expect(JSON.stringify(reminder?.args.blocks)).toContain(ACTION.extend);
  });

  it("marks and audits a contractor Buzz-in removed and a pass that expired, and tells the requester", async () => {
    const removed = await issued("removed@fitout.example");
    // Removing the contractor archives their permit first (passes.permits.updated), then says removed.
    sandbox().removeContractor(link(removed).contractorId ?? "");
    const expired = await issued("expired@fitout.example");
    sandbox().firePassEvent(link(expired).permitId ?? "", "expired");
    const waiting = await registered("removed.early@fitout.example");
    sandbox().removeContractor(link(waiting).contractorId ?? "");
    await settle();
    for (const [id, stage, actions] of [
      [removed, "revoked", ["buzzin.pass_ended", "buzzin.contractor_removed"]],
      [expired, "expired", ["buzzin.pass_expired"]],
      [waiting, "removed", ["buzzin.contractor_removed"]],
    ] as const) {
      expect(link(id).stage).toBe(stage);
      if (id !== waiting) expect(findManagedByRequest(s.gatehouse.db, id)?.status).toBe("offboarded");
      expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("ended");
      const audited = listAuditForRequest(s.gatehouse.db, id).map((a) => a.action);
      expect(audited).toEqual(expect.arrayContaining([...actions]));
    }
    const texts = dmsTo(CAST.requester.id).map((c) => String(c.args.text));
    expect(texts.some((t) => t.includes("Buzz-in ended the work permit of Omar Haddad (archived)"))).toBe(
      true,
    );
    expect(texts.some((t) => t.includes("pass of Omar Haddad has expired"))).toBe(true);
    expect(texts.some((t) => t.includes("removed Omar Haddad from the community"))).toBe(true);
  });

  it("recovers a pass whose webhook never came: read back, reissued, the new code sent once", async () => {
    const id = await throughCommunityApproval("lost.hook@fitout.example");
    sandbox().webhookUrl = undefined;
    try {
      sandbox().acceptPermit(link(id).permitId ?? "");
      await settle();
    } finally {
      sandbox().webhookUrl = `${s.gatehouse.http.url}/webhooks/buzzin`;
    }
    const lost = liveCode(id);
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("awaiting_provider");
    // GET /permits/{id} does not show the code (its page is undocumented), so the pass is reissued.
    await reconcile();
    const fresh = liveCode(id);
    expect(fresh).not.toBe(lost);
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("active");
    expect(codeDms(fresh)).toHaveLength(1);
    expect(codeDms(lost)).toHaveLength(0);
    await reconcile();
    expect(codeDms(liveCode(id))).toHaveLength(1);
    expect(liveCode(id)).toBe(fresh);
  });

  it("sends the code once when Buzz-in accepts the permit at once (its webhook during the submit)", async () => {
    sandbox().autoAccept = true;
    try {
      const id = await throughCommunityApproval("at.once@fitout.example");
      expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("active");
      const code = liveCode(id);
      expect(
        sandbox().deliveries.filter((d) => d.event === "passes.permits.issued" && d.body.includes(code)),
      ).toHaveLength(1);
      expect(codeDms(code)).toHaveLength(1);
    } finally {
      sandbox().autoAccept = false;
    }
  });

  it("marks the code sent only once Slack took it: a failed DM is sent later, with a live code", async () => {
    const id = await throughCommunityApproval("slack.down@fitout.example");
    const removeFault = s.slack.faults.add({ method: "chat.postMessage", status: 500 });
    try {
      sandbox().acceptPermit(link(id).permitId ?? "");
      await settle();
    } finally {
      removeFault();
    }
    const first = liveCode(id);
    expect(link(id)).toMatchObject({ stage: "active", passNotifiedFingerprint: null });
    expect(link(id).passFingerprint).not.toBeNull();
    expect(codeDms(first)).toHaveLength(0);
    await reconcile();
    const sent = liveCode(id);
    expect(codeDms(sent)).toHaveLength(1);
    expect(link(id).passNotifiedFingerprint).toBe(link(id).passFingerprint);
    await reconcile();
    expect(codeDms(liveCode(id))).toHaveLength(1);
  });

  it("retries a permit Buzz-in failed to create (503) instead of failing the request", async () => {
    const id = await registered("flaky.permit@fitout.example");
    const removeFault = sandbox().faults.add({ method: "POST", path: "/permits", status: 503 });
    try {
      sandbox().approveContractor(link(id).contractorId ?? "");
      await settle();
    } finally {
      removeFault();
    }
    const waiting = getAccessRequest(s.gatehouse.db, id);
    // Scheduled for another attempt (as a DoorFlow failure would be), not failed.
    expect(waiting).toMatchObject({ state: "approved", lastError: expect.stringContaining("503") });
    expect(waiting?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());
    expect(link(id).stage).toBe("permit");

    s.gatehouse.db
      .update(accessRequests)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(accessRequests.id, id))
      .run();
    await s.gatehouse.housekeeping();
    await settle();
    expect(link(id).stage).toBe("awaiting_pass");
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("awaiting_provider");
  });

  it("goes on with a contractor whose registration answer was lost, by its Salesforce id", async () => {
    const res = await submit(form("lost.contractor@fitout.example"));
    expect(res.body).toBe("");
    await s.gatehouse.idle();
    const posted = latestApproval(s);
    // Buzz-in registers the contractor; the answer never arrives (the client does not repeat a POST).
    const removeFault = sandbox().faults.add({
      method: "POST",
      path: "/communityContractors",
      drop: true,
      times: 1,
    });
    try {
      await approve(s, posted);
      await settle();
    } finally {
      removeFault();
    }
    expect(getAccessRequest(s.gatehouse.db, posted.id)).toMatchObject({ state: "approved" });
    s.gatehouse.db
      .update(accessRequests)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(accessRequests.id, posted.id))
      .run();
    await s.gatehouse.housekeeping();
    await settle();
    // The retry's 409 names the Salesforce id: the contractor is this one, its Buzz-in id unknown.
    expect(link(posted.id)).toMatchObject({ stage: "awaiting_community", contractorId: null });
    const contractors = sandbox().state.contractors.filter(
      (c) => c.email === "lost.contractor@fitout.example",
    );
    expect(contractors).toHaveLength(1);
    expect(listAuditForRequest(s.gatehouse.db, posted.id).map((a) => a.action)).toContain(
      "buzzin.contractor_found_again",
    );

    sandbox().approveContractor(contractors[0]?.id ?? "");
    await settle();
    expect(link(posted.id)).toMatchObject({ stage: "awaiting_pass", contractorId: contractors[0]?.id });
    sandbox().acceptPermit(link(posted.id).permitId ?? "");
    await settle();
    expect(codeDms(liveCode(posted.id))).toHaveLength(1);
  });

  it("finds a permit whose create answer was lost by its salesforcePermitId, and never makes a second", async () => {
    const id = await registered("lost.answer@fitout.example");
    // Buzz-in creates the permit; the answer never arrives; every repeat is a 409 without an id.
    const removeFault = sandbox().faults.add({ method: "POST", path: "/permits", drop: true, times: 1 });
    const alertsBefore = s.slack.messages(CHANNELS.security).length;
    try {
      sandbox().approveContractor(link(id).contractorId ?? "");
      await settle();
    } finally {
      removeFault();
    }
    expect(sandbox().state.permits.filter((p) => p.salesforcePermitId === id)).toHaveLength(1);
    expect(link(id)).toMatchObject({ stage: "awaiting_pass", permitId: null, salesforcePermitId: id });
    const alerts = s.slack.messages(CHANNELS.security).slice(alertsBefore);
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toContain(`salesforcePermitId ${id}`);
    await reconcile();
    expect(s.slack.messages(CHANNELS.security).slice(alertsBefore)).toHaveLength(1);

    // An operator submits the DRAFT in Buzz-in's dashboard, as the alert says; the community accepts.
    const permit = permitOf(id);
    sandbox().submitPermit(permit?.id ?? "");
    sandbox().acceptPermit(permit?.id ?? "");
    await settle();
    expect(link(id)).toMatchObject({ stage: "active", permitId: permit?.id });
    expect(codeDms(liveCode(id))).toHaveLength(1);
    expect(sandbox().state.permits.filter((p) => p.salesforcePermitId === id)).toHaveLength(1);
  });

  it("learns a lost approval by trying the permit, which Buzz-in refuses until the admin approved", async () => {
    const id = await registered("lost.approval@fitout.example");
    await reconcile();
    expect(link(id).stage).toBe("awaiting_community");
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("awaiting_provider");
    expect(permitOf(id)).toBeUndefined();

    sandbox().webhookUrl = undefined;
    try {
      sandbox().approveContractor(link(id).contractorId ?? "");
      await settle();
    } finally {
      sandbox().webhookUrl = `${s.gatehouse.http.url}/webhooks/buzzin`;
    }
    await reconcile();
    expect(permitOf(id)?.status).toBe("PENDING");
    expect(link(id).stage).toBe("awaiting_pass");
  });

  it("moves the permit's validTill (the new last day's time out, in Dubai) when an extension is approved", async () => {
    const id = await issued("extend.me@fitout.example", { timeOut: "19:30" });
    const managed = findManagedByRequest(s.gatehouse.db, id);
    const newEnd = addDays(today(), 60);
    await s.driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.extensionRequest,
      values: {
        [FIELD.contractor.block]: {
          [FIELD.contractor.action]: {
            type: "static_select",
            selected_option: { value: String(managed?.id), text: { type: "plain_text", text: "x" } },
          },
        },
        [FIELD.newEndDate.block]: {
          [FIELD.newEndDate.action]: { type: "datepicker", selected_date: newEnd },
        },
      },
    });
    await s.gatehouse.idle();
    const message = s.slack.messages(CHANNELS.approval).at(-1);
    const extId = /"value":"(ext_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1] ?? "";
    await s.driver.blockAction({
      userId: CAST.approver.id,
      actionId: ACTION.extensionApprove,
      value: extId,
      message: { ts: message?.ts ?? "", channel: CHANNELS.approval },
    });
    await settle();

    expect(permitOf(id)?.validTill).toEqual(zonedInstant(newEnd, "19:30", DUBAI));
    expect(findManagedByRequest(s.gatehouse.db, id)?.endDate).toBe(newEnd);
    expect(findOffboardingForRequest(s.gatehouse.db, id)).toMatchObject({
      lastDay: newEnd,
      dueAt: zonedInstant(newEnd, "17:00", DUBAI),
    });
    expect(listAuditForRequest(s.gatehouse.db, id).some((a) => a.action === "buzzin.pass_updated")).toBe(
      true,
    );
  });

  it("offboards by revoking the contractor and verifies through the permit; a failure is alerted once", async () => {
    const id = await issued("leave.now@fitout.example");
    const offboarding = findOffboardingForRequest(s.gatehouse.db, id);
    const db = s.gatehouse.db;
    db.update(offboardings)
      .set({ dueAt: new Date(Date.now() - 1000) })
      .where(eq(offboardings.id, offboarding?.id ?? 0))
      .run();

    // Buzz-in down: the offboarding fails, is alerted once, and is retried later.
    const removeFault = sandbox().faults.add({
      method: "PATCH",
      path: /^\/communityContractors\//,
      status: 503,
    });
    const before = s.slack.messages(CHANNELS.security).length;
    await runDueOffboardings(s.gatehouse.deps);
    expect(getOffboarding(db, offboarding?.id ?? 0)?.status).toBe("failed");
    db.update(offboardings)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(offboardings.id, offboarding?.id ?? 0))
      .run();
    await runDueOffboardings(s.gatehouse.deps);
    const alertsPosted = s.slack.messages(CHANNELS.security).slice(before);
    expect(alertsPosted).toHaveLength(1);
    expect(JSON.stringify(alertsPosted[0])).toContain("Omar Haddad");

    removeFault();
    db.update(offboardings)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(offboardings.id, offboarding?.id ?? 0))
      .run();
    const dmsBefore = dmsTo(CAST.requester.id).length;
    await runDueOffboardings(s.gatehouse.deps);
    await settle();
    expect(getOffboarding(db, offboarding?.id ?? 0)?.status).toBe("completed");
    const row = link(id);
    const contractor = sandbox().state.contractors.find((c) => c.id === row.contractorId);
    expect(contractor?.removedAt).toBeInstanceOf(Date);
    expect(permitOf(id)?.status).toBe("ARCHIVED");
    expect(row.stage).toBe("revoked");
    expect(findManagedByRequest(db, id)?.status).toBe("offboarded");
    expect(listAuditForRequest(db, id).find((a) => a.action === "offboard.completed")?.details).toMatchObject(
      {
        provider: "buzzin",
        verified: true,
        pass: "ARCHIVED",
      },
    );
    // Buzz-in's echo (permit archived, contractor removed) is audited, not told as Buzz-in's doing.
    expect(
      dmsTo(CAST.requester.id)
        .slice(dmsBefore)
        .map((c) => String(c.args.text)),
    ).not.toContainEqual(expect.stringContaining("Buzz-in removed"));
    expect(JSON.stringify(s.slack.messages(CHANNELS.security).slice(before))).toContain("Resolved");
  });

  it("lets an operator offboard a Buzz-in contractor from /offboard <email>, and nobody else", async () => {
    const id = await issued("by.hand@fitout.example");
    const managed = findManagedByRequest(s.gatehouse.db, id);
    const preview = await slash(
      "/offboard",
      "<mailto:by.hand@fitout.example|by.hand@fitout.example>",
      CAST.operator.id,
    );
    expect(preview).toContain(ACTION.offboardBuzzinNow);
    expect(preview).toContain("DAMAC-TWR-07, unit UNIT-0712");
    expect(preview).not.toContain("No DoorFlow person");

    await s.driver.blockAction({
      userId: CAST.requester.id,
      actionId: ACTION.offboardBuzzinNow,
      value: String(managed?.id),
    });
    await s.gatehouse.idle();
    expect(findManagedByRequest(s.gatehouse.db, id)?.status).toBe("active");

    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardBuzzinNow,
      value: String(managed?.id),
    });
    await settle();
    expect(findManagedByRequest(s.gatehouse.db, id)?.status).toBe("offboarded");
    expect(sandbox().state.contractors.find((c) => c.id === link(id).contractorId)?.removedAt).toBeInstanceOf(
      Date,
    );
    expect(permitOf(id)?.status).toBe("ARCHIVED");
    const done = listAuditForRequest(s.gatehouse.db, id).find((a) => a.action === "offboard.completed");
    expect(done).toMatchObject({
      actor: CAST.operator.id,
      details: expect.objectContaining({ reason: "manual" }),
    });
    expect(JSON.stringify(dmsTo(CAST.operator.id).at(-1)?.args)).toContain("is offboarded");
  });

  it("offboards Buzz-in contractors in a bulk list, next to DoorFlow people", async () => {
    const id = await issued("bulk.leaver@fitout.example");
    const f = bulkEmailsField(1);
    const res = await s.driver.viewSubmission({
      userId: CAST.operator.id,
      callbackId: CALLBACK.offboardBulk,
      values: {
        [f.block]: {
          [f.action]: {
            type: "plain_text_input",
            value: "bulk.leaver@fitout.example\nnobody.there@fitout.example",
          },
        },
      },
    });
    expect(res.body).toBe("");
    await settle();
    expect(findManagedByRequest(s.gatehouse.db, id)?.status).toBe("offboarded");
    expect(permitOf(id)?.status).toBe("ARCHIVED");
    expect(
      listAuditForRequest(s.gatehouse.db, id).find((a) => a.action === "offboard.completed"),
    ).toMatchObject({
      actor: CAST.operator.id,
      details: expect.objectContaining({ reason: "bulk", provider: "buzzin", verified: true }),
    });
    const summary = [...s.slack.callsTo("chat.update"), ...s.slack.callsTo("chat.postMessage")]
      .map((c) => JSON.stringify(c.args))
      .filter((t) => t.includes("Bulk offboarding finished"))
      .at(-1);
    expect(summary).toContain("bulk.leaver@fitout.example");
    expect(summary).toMatch(/1 offboarded/);
  });

  it("shows Buzz-in contracts on App Home with where they stand, and Reissue pass for the requester", async () => {
    const waiting = await registered("home.waiting@fitout.example");
    const active = await issued("home.active@fitout.example");
    await s.driver.event({ type: "app_home_opened", user: CAST.requester.id });
    await s.gatehouse.idle();
    const published = s.slack
      .callsTo("views.publish")
      .filter((c) => c.args.user_id === CAST.requester.id)
      .at(-1);
    const home = JSON.stringify(published?.args.view);
    expect(home).toContain("waiting for the community admin to approve the contractor in Buzz-in");
    expect(home).toContain("(Buzz-in pass)");
    const managed = findManagedByRequest(s.gatehouse.db, active);
    expect(home).toMatch(
      new RegExp(`"action_id":"${ACTION.reissuePass}","text":\\{[^}]*\\},"value":"${managed?.id}"`),
    );
    expect(link(waiting).stage).toBe("awaiting_community");
  });

  it("offboards a Buzz-in contractor from the operator CLI (gatehouse offboard <email>)", async () => {
    const id = await issued("cli.leaver@fitout.example");
    const io = fakeTerminal();
    expect(await runCli(["offboard", "cli.leaver@fitout.example"], { io, env: s.env })).toBe(0);
    expect(io.outLines.join("\n")).toContain("revoked in Buzz-in, verified");
    expect(findManagedByRequest(s.gatehouse.db, id)?.status).toBe("offboarded");
    expect(permitOf(id)?.status).toBe("ARCHIVED");
  });

  it("refuses a second request for a live contractor's email on the form, before anything is written", async () => {
    await issued("again@fitout.example");
    const calls = sandbox().calls.length;
    const res = await submit(form("again@fitout.example"));
    expect(JSON.stringify(res.body)).toContain("already has access until");
    await s.gatehouse.idle();
    expect(sandbox().calls.length).toBe(calls);
  });

  it("turns a duplicate contractor (409) into a clear failure for the requester and security", async () => {
    // Registered in Buzz-in by someone else (another system): Gatehouse does not know them.
    await s.gatehouse.deps.buzzin?.createContractor({
      name: "Omar Haddad",
      email: "twice@fitout.example",
      phone: "+971500009999",
      company: {
        companyName: "Fitout Co LLC",
        tradeLicense: { type: "url", url: "https://files.fitout.example/licence.pdf" },
        tradeLicenseExpiryDate: addDays(today(), 365),
      },
      salesforceId: "0035g00000AB9999",
    });
    const alertsBefore = s.slack.messages(CHANNELS.security).length;
    const res = await submit(form("twice@fitout.example"));
    expect(res.body).toBe("");
    await s.gatehouse.idle();
    const posted = latestApproval(s);
    await approve(s, posted);
    await settle();
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("failed");
    const told = JSON.stringify(dmsTo(CAST.requester.id).at(-1)?.args);
    expect(told).toContain("Omar Haddad");
    expect(told).toMatch(/already/i);
    const posted2 = s.slack.messages(CHANNELS.security).slice(alertsBefore);
    expect(posted2).toHaveLength(1);
    expect(JSON.stringify(posted2[0])).toMatch(/already/i);
  });
});

describe("the Buzz-in webhook endpoint", () => {
  const event = {
    id: "66ffaa00bb11cc22dd33ff01",
    event: "passes.permits.scanned",
    communityId: "6840270a99ca91002185fcd6",
    createdAt: new Date().toISOString(),
    data: { permitId: "66f0a1b2c3d4e5f6000000f1", scannedAt: new Date().toISOString() },
  };
  const deliveries = () => s.gatehouse.db.select().from(webhookDeliveries).all();

  it("refuses a missing or wrong token and records nothing", async () => {
    const before = deliveries().length;
    const missing = await postWebhook({ [BUZZIN_DELIVERY_HEADER]: "d-forged-1" }, event);
    expect(missing.statusCode).toBe(401);
    await missing.body.dump();
    const wrong = await postWebhook(
      { [BUZZIN_TOKEN_HEADER]: "not-the-token-at-all", [BUZZIN_DELIVERY_HEADER]: "d-forged-2" },
      event,
    );
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
    expect(deliveries()).toHaveLength(before);
  });

  it("with the right token takes a delivery without X-Buzzin-Delivery (keyed by the envelope id)", async () => {
    const res = await postWebhook({ [BUZZIN_TOKEN_HEADER]: sandbox().webhookToken }, event);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await settle();
    expect(deliveries().find((d) => d.deliveryId === `envelope:${event.id}`)).toMatchObject({
      event: "passes.permits.scanned",
      status: "processed",
    });
  });

  it("records and acknowledges a payload it cannot use, and tells the security channel once", async () => {
    const before = s.slack.messages(CHANNELS.security).length;
    const partial = {
      event: "passes.permits.issued",
      createdAt: new Date().toISOString(),
      data: { permitId: "p" },
    };
    for (const id of ["d-partial-1", "d-partial-2"]) {
      const res = await postWebhook(
        { [BUZZIN_TOKEN_HEADER]: sandbox().webhookToken, [BUZZIN_DELIVERY_HEADER]: id },
        partial,
      );
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    }
    await settle();
    expect(deliveries().filter((d) => d.deliveryId.startsWith("d-partial-"))).toEqual([
      expect.objectContaining({ status: "unusable", problem: expect.stringContaining("data.accessCode") }),
      expect.objectContaining({ status: "unusable" }),
    ]);
    const notices = s.slack.messages(CHANNELS.security).slice(before);
    expect(notices).toHaveLength(1);
    expect(JSON.stringify(notices[0])).toContain("passes.permits.issued");
    expect(JSON.stringify(notices[0])).toContain("data.accessCode");
    expect(
      s.gatehouse.db
        .select()
        .from(alerts)
        .all()
        .some((a) => a.key.startsWith("buzzin-webhook:")),
    ).toBe(true);
    // Nothing of the request rows changed.
    expect(s.gatehouse.db.select().from(buzzinPermits).where(eq(buzzinPermits.permitId, "p")).all()).toEqual(
      [],
    );
  });
});
