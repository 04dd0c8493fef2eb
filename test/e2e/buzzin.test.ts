/**
 * A Buzz-in community as the second provider, end to end: the real bot with the Buzz-in sandbox
 * on loopback firing real webhooks at it. Request → Buzz-in pending → the community admin's approval
 * webhook → permit → the access code to the requester; extension moves the permit's dates;
 * offboarding revokes and verifies; forged, missing and repeated deliveries.
 */
import { readFileSync } from "node:fs";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { listAuditForRequest } from "../../src/db/repositories/audit.js";
import { getBuzzinPermit, listPassesToReconcile } from "../../src/db/repositories/buzzin-permits.js";
import { findManagedByRequest } from "../../src/db/repositories/managed-people.js";
import { findOffboardingForRequest, getOffboarding } from "../../src/db/repositories/offboardings.js";
import { accessRequests, offboardings } from "../../src/db/schema.js";
import { reconcileBuzzinPermits } from "../../src/domain/buzzin-provider.js";
import { runDueOffboardings } from "../../src/domain/due-offboardings.js";
import { BUZZIN_DELIVERY_HEADER, BUZZIN_TOKEN_HEADER } from "../../src/buzzin/events.js";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { DEFAULT_BUZZIN_API_KEY } from "../../src/sandbox/buzzin/sandbox.js";
import { CAST, CHANNELS } from "../../src/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import { eq } from "drizzle-orm";
import { runCli } from "../../src/cli/run.js";
import { fakeTerminal } from "../cli/support.js";
import { approve, latestApproval } from "../helpers/flows.js";
import { type BuzzinInput, buzzinValues } from "../helpers/forms.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

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
const today = () => localDateOf(new Date(), s.gatehouse.timeZone);

/** Webhooks fired so far have reached the bot, and the work they started has finished. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await sandbox().settled();
    await new Promise((resolve) => setImmediate(resolve));
    await s.gatehouse.idle();
  }
}

let serial = 100;

/** Buzz-in keeps phone numbers and Salesforce ids unique in a community: each form gets its own. */
function form(email: string, overrides: Partial<BuzzinInput> = {}): BuzzinInput {
  serial++;
  return {
    firstName: "Omar",
    lastName: "Haddad",
    email,
    phone: `+971500000${serial}`,
    company: "Fitout Co LLC",
    tradeLicenseUrl: "https://files.fitout.example/licence.pdf",
    tradeLicenseExpiry: addDays(today(), 365),
    salesforceId: `0035g00000AB${serial}`,
    permitType: "fitOut",
    property: "Damac Hills Tower B",
    unit: "1204",
    propertySalesforceId: "a0B5g00000PROPA",
    unitSalesforceId: "a0C5g00000UNITA",
    startDate: today(),
    endDate: addDays(today(), 30),
    ...overrides,
  };
}

async function submit(input: BuzzinInput) {
  return s.driver.viewSubmission({
    userId: CAST.requester.id,
    callbackId: CALLBACK.buzzinRequest,
    values: buzzinValues(input),
  });
}

/** Submit, approve in Slack, and let the community admin approve in Buzz-in: the permit is submitted. */
async function throughCommunityApproval(email: string): Promise<string> {
  const res = await submit(form(email));
  expect(res.body).toBe("");
  await s.gatehouse.idle();
  const posted = latestApproval(s);
  await approve(s, posted);
  await settle();
  const contractorId = getBuzzinPermit(s.gatehouse.db, posted.id)?.contractorId ?? "";
  sandbox().approveContractor(contractorId);
  await settle();
  return posted.id;
}

/** All the way to an issued pass. */
async function issued(email: string): Promise<string> {
  const id = await throughCommunityApproval(email);
  sandbox().acceptPermit(getBuzzinPermit(s.gatehouse.db, id)?.permitId ?? "");
  await settle();
  return id;
}

const dmsTo = (userId: string) =>
  s.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === userId);

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
    body: JSON.stringify(body),
  });
}

describe("the contractor modal with a Buzz-in community", () => {
  it("offers the site picker, and choosing Buzz-in redraws the form with Buzz-in's fields", async () => {
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
    for (const f of [FIELD.phone, FIELD.tradeLicenseUrl, FIELD.salesforceId, FIELD.property, FIELD.unit])
      expect(view).toContain(f.block);
    expect(view).not.toContain(FIELD.accessGroups.block);
  });

  it("says on the fields what to fix: phone, licence link and a licence that ends before the work", async () => {
    const res = await submit(
      form("bad.form@fitout.example", {
        phone: "0500000123",
        tradeLicenseUrl: "ftp://files/licence.pdf",
        tradeLicenseExpiry: addDays(today(), 10),
        salesforceId: "nope",
      }),
    );
    expect(res.body).toMatchObject({
      response_action: "errors",
      errors: {
        [FIELD.phone.block]: expect.stringContaining("international form"),
        [FIELD.tradeLicenseUrl.block]: expect.stringContaining("https://"),
        [FIELD.tradeLicenseExpiry.block]: expect.stringContaining("before the work ends"),
        [FIELD.salesforceId.block]: expect.stringContaining("15 or 18"),
      },
    });
  });
});

describe("Buzz-in contractor access", () => {
  it("waits for the community admin, submits the permit on the approval webhook, and DMs the code once", async () => {
    const res = await submit(form("omar.haddad@fitout.example"));
    expect(res.body).toBe("");
    await s.gatehouse.idle();
    const posted = latestApproval(s);
    const approval = s.slack.messages(CHANNELS.approval).at(-1);
    expect(JSON.stringify(approval?.blocks)).toContain("Buzz-in pass");
    expect(JSON.stringify(approval?.blocks)).toContain("Damac Hills Tower B, unit 1204");

    await approve(s, posted);
    await settle();
    const link = getBuzzinPermit(s.gatehouse.db, posted.id);
    expect(link?.stage).toBe("awaiting_community");
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("awaiting_provider");
    const contractor = sandbox().state.contractors.find((c) => c.id === link?.contractorId);
    expect(contractor).toMatchObject({
      email: "omar.haddad@fitout.example",
      approved: false,
    });
    expect(sandbox().state.permits.filter((p) => p.contractorId === contractor?.id)).toHaveLength(0);
    expect(dmsTo(CAST.requester.id).at(-1)?.args.text).toContain("waits for the community admin's approval");
    expect(await slash("/contractor", "status omar.haddad@fitout.example", CAST.requester.id)).toContain(
      "approved, waiting for Buzz-in",
    );

    // The community admin approves in Buzz-in's dashboard: the webhook carries provisioning on.
    sandbox().approveContractor(contractor?.id ?? "");
    await settle();
    const permits = sandbox().state.permits.filter((p) => p.contractorId === contractor?.id);
    expect(permits).toHaveLength(1);
    expect(permits[0]).toMatchObject({
      status: "submitted",
      type: "fitOut",
      property: "Damac Hills Tower B",
      unit: "1204",
      startDate: today(),
      endDate: addDays(today(), 30),
    });
    expect(getBuzzinPermit(s.gatehouse.db, posted.id)?.stage).toBe("awaiting_pass");
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("awaiting_provider");

    // Buzz-in accepts the permit and issues the pass: the requester gets the code and QR.
    sandbox().acceptPermit(permits[0]?.id ?? "");
    await settle();
    const pass = sandbox().state.permits.find((p) => p.id === permits[0]?.id)?.pass;
    expect(pass?.status).toBe("active");
    const codeDms = dmsTo(CAST.requester.id).filter((c) =>
      JSON.stringify(c.args).includes(pass?.accessCode ?? "?"),
    );
    expect(codeDms).toHaveLength(1);
    expect(JSON.stringify(codeDms[0]?.args.blocks)).toContain(pass?.qrCodeUrl ?? "?");
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("active");
    const managed = findManagedByRequest(s.gatehouse.db, posted.id);
    expect(managed).toMatchObject({ provider: "buzzin", doorflowPersonId: null, status: "active" });
    expect(findOffboardingForRequest(s.gatehouse.db, posted.id)).toMatchObject({
      provider: "buzzin",
      managedPersonId: managed?.id,
      lastDay: addDays(today(), 30),
    });

    // A repeated delivery is answered and ignored: no second DM.
    const delivery = sandbox().deliveries.find((d) => d.event === "passes.permits.issued");
    sandbox().redeliver(delivery?.id ?? "");
    await settle();
    expect(delivery?.attempts.at(-1)?.status).toBe(200);
    expect(
      dmsTo(CAST.requester.id).filter((c) => JSON.stringify(c.args).includes(pass?.accessCode ?? "?")),
    ).toHaveLength(1);

    // The code, like a PIN, is in the requester's DM only: not in channels, logs or the database.
    const code = pass?.accessCode ?? "";
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
      ]),
    );
  });

  it("audits scans, and reminds with Extend when Buzz-in says the pass is expiring", async () => {
    const id = await issued("scan.me@fitout.example");
    const permitId = getBuzzinPermit(s.gatehouse.db, id)?.permitId ?? "";
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
    sandbox().removeContractor(getBuzzinPermit(s.gatehouse.db, removed)?.contractorId ?? "");
    const expired = await issued("expired@fitout.example");
    sandbox().firePassEvent(getBuzzinPermit(s.gatehouse.db, expired)?.permitId ?? "", "expired");
    await settle();
    for (const [id, stage, action] of [
      [removed, "removed", "buzzin.contractor_removed"],
      [expired, "expired", "buzzin.pass_expired"],
    ] as const) {
      expect(getBuzzinPermit(s.gatehouse.db, id)?.stage).toBe(stage);
      expect(findManagedByRequest(s.gatehouse.db, id)?.status).toBe("offboarded");
      expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("ended");
      expect(listAuditForRequest(s.gatehouse.db, id).some((a) => a.action === action)).toBe(true);
    }
    const texts = dmsTo(CAST.requester.id).map((c) => String(c.args.text));
    expect(texts.some((t) => t.includes("removed Omar Haddad from the community"))).toBe(true);
    expect(texts.some((t) => t.includes("pass of Omar Haddad has expired"))).toBe(true);
  });

  it("reads the permit back when the pass's webhook never arrives, and sends the code once", async () => {
    const id = await throughCommunityApproval("lost.hook@fitout.example");
    sandbox().webhookUrl = undefined;
    try {
      sandbox().acceptPermit(getBuzzinPermit(s.gatehouse.db, id)?.permitId ?? "");
      await settle();
    } finally {
      sandbox().webhookUrl = `${s.gatehouse.http.url}/webhooks/buzzin`;
    }
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("awaiting_provider");
    const link = getBuzzinPermit(s.gatehouse.db, id);
    if (!link) throw new Error("no Buzz-in row");
    expect(await reconcileBuzzinPermits(s.gatehouse.deps, [link])).toBe(1);
    expect(
      await reconcileBuzzinPermits(s.gatehouse.deps, [getBuzzinPermit(s.gatehouse.db, id) ?? link]),
    ).toBe(0);
    expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("active");
    const code = sandbox().state.permits.find((p) => p.id === link.permitId)?.pass?.accessCode ?? "?";
    expect(dmsTo(CAST.requester.id).filter((c) => JSON.stringify(c.args).includes(code))).toHaveLength(1);
  });

  it("sends the code once when Buzz-in accepts the permit at once (in the answer and by webhook)", async () => {
    sandbox().autoAccept = true;
    try {
      const id = await throughCommunityApproval("at.once@fitout.example");
      expect(getAccessRequest(s.gatehouse.db, id)?.state).toBe("active");
      const code =
        sandbox().state.permits.find((p) => p.id === getBuzzinPermit(s.gatehouse.db, id)?.permitId)?.pass
          ?.accessCode ?? "?";
      expect(
        sandbox().deliveries.filter((d) => d.event === "passes.permits.issued" && d.body.includes(code)),
      ).toHaveLength(1);
      expect(dmsTo(CAST.requester.id).filter((c) => JSON.stringify(c.args).includes(code))).toHaveLength(1);
    } finally {
      sandbox().autoAccept = false;
    }
  });

  it("sends the code later when Slack failed the direct message, from the read-back", async () => {
    const id = await throughCommunityApproval("slack.down@fitout.example");
    const removeFault = s.slack.faults.add({ method: "chat.postMessage", status: 500 });
    try {
      sandbox().acceptPermit(getBuzzinPermit(s.gatehouse.db, id)?.permitId ?? "");
      await settle();
    } finally {
      removeFault();
    }
    const link = getBuzzinPermit(s.gatehouse.db, id);
    expect(link).toMatchObject({ stage: "active", passNotifiedId: null });
    const due = listPassesToReconcile(s.gatehouse.db, new Date(Date.now() + 1000));
    expect(due.map((l) => l.requestId)).toContain(id);
    expect(
      await reconcileBuzzinPermits(
        s.gatehouse.deps,
        due.filter((l) => l.requestId === id),
      ),
    ).toBe(1);
    const code = sandbox().state.permits.find((p) => p.id === link?.permitId)?.pass?.accessCode ?? "?";
    expect(
      dmsTo(CAST.requester.id).filter((c) => c.status === 200 && JSON.stringify(c.args).includes(code)),
    ).toHaveLength(1);
    expect(
      listPassesToReconcile(s.gatehouse.db, new Date(Date.now() + 1000)).map((l) => l.requestId),
    ).not.toContain(id);
  });

  it("retries a permit Buzz-in failed to create (503) instead of failing the request", async () => {
    const res = await submit(form("flaky.permit@fitout.example"));
    expect(res.body).toBe("");
    await s.gatehouse.idle();
    const posted = latestApproval(s);
    await approve(s, posted);
    await settle();
    const removeFault = sandbox().faults.add({ method: "POST", path: "/permits", status: 503 });
    try {
      sandbox().approveContractor(getBuzzinPermit(s.gatehouse.db, posted.id)?.contractorId ?? "");
      await settle();
    } finally {
      removeFault();
    }
    const waiting = getAccessRequest(s.gatehouse.db, posted.id);
    // Scheduled for another attempt (as a DoorFlow failure would be), not failed.
    expect(waiting).toMatchObject({ state: "approved", lastError: expect.stringContaining("503") });
    expect(waiting?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());
    expect(getBuzzinPermit(s.gatehouse.db, posted.id)?.stage).toBe("permit");

    s.gatehouse.db
      .update(accessRequests)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(accessRequests.id, posted.id))
      .run();
    await s.gatehouse.housekeeping();
    await settle();
    expect(getBuzzinPermit(s.gatehouse.db, posted.id)?.stage).toBe("awaiting_pass");
    expect(getAccessRequest(s.gatehouse.db, posted.id)?.state).toBe("awaiting_provider");
  });

  it("moves the permit's dates when an approver approves an extension", async () => {
    const id = await issued("extend.me@fitout.example");
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

    const permit = sandbox().state.permits.find(
      (p) => p.id === getBuzzinPermit(s.gatehouse.db, id)?.permitId,
    );
    expect(permit?.endDate).toBe(newEnd);
    expect(localDateOf(permit?.pass?.validTo ?? new Date(0), sandbox().timeZone)).toBe(newEnd);
    expect(findManagedByRequest(s.gatehouse.db, id)?.endDate).toBe(newEnd);
    expect(findOffboardingForRequest(s.gatehouse.db, id)?.lastDay).toBe(newEnd);
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
    const alerts = s.slack.messages(CHANNELS.security).slice(before);
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toContain("Omar Haddad");

    removeFault();
    db.update(offboardings)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(offboardings.id, offboarding?.id ?? 0))
      .run();
    await runDueOffboardings(s.gatehouse.deps);
    await s.gatehouse.idle();
    expect(getOffboarding(db, offboarding?.id ?? 0)?.status).toBe("completed");
    const link = getBuzzinPermit(db, id);
    const contractor = sandbox().state.contractors.find((c) => c.id === link?.contractorId);
    expect(contractor?.revokedAt).toBeInstanceOf(Date);
    expect(sandbox().state.permits.find((p) => p.id === link?.permitId)?.pass?.status).toBe("revoked");
    expect(link?.stage).toBe("revoked");
    expect(findManagedByRequest(db, id)?.status).toBe("offboarded");
    expect(listAuditForRequest(db, id).find((a) => a.action === "offboard.completed")?.details).toMatchObject(
      { provider: "buzzin", verified: true, pass: "revoked" },
    );
    const resolved = s.slack.messages(CHANNELS.security).slice(before);
    expect(JSON.stringify(resolved)).toContain("Resolved");
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
    expect(preview).toContain("Damac Hills Tower B, unit 1204");
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
    await s.gatehouse.idle();
    expect(findManagedByRequest(s.gatehouse.db, id)?.status).toBe("offboarded");
    const link = getBuzzinPermit(s.gatehouse.db, id);
    expect(sandbox().state.contractors.find((c) => c.id === link?.contractorId)?.revokedAt).toBeInstanceOf(
      Date,
    );
    expect(sandbox().state.permits.find((p) => p.id === link?.permitId)?.pass?.status).toBe("revoked");
    const done = listAuditForRequest(s.gatehouse.db, id).find((a) => a.action === "offboard.completed");
    expect(done).toMatchObject({
      actor: CAST.operator.id,
      details: expect.objectContaining({ reason: "manual" }),
    });
    expect(JSON.stringify(dmsTo(CAST.operator.id).at(-1)?.args)).toContain("is offboarded");
  });

  it("offboards a Buzz-in contractor from the operator CLI (gatehouse offboard <email>)", async () => {
    const id = await issued("cli.leaver@fitout.example");
    const io = fakeTerminal();
    expect(await runCli(["offboard", "cli.leaver@fitout.example"], { io, env: s.env })).toBe(0);
    expect(io.outLines.join("\n")).toContain("revoked in Buzz-in, verified");
    expect(findManagedByRequest(s.gatehouse.db, id)?.status).toBe("offboarded");
    const link = getBuzzinPermit(s.gatehouse.db, id);
    expect(sandbox().state.permits.find((p) => p.id === link?.permitId)?.pass?.status).toBe("revoked");
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
    const alerts = s.slack.messages(CHANNELS.security).slice(alertsBefore);
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0])).toMatch(/already/i);
  });
});

describe("the Buzz-in webhook endpoint", () => {
  const event = {
    event: "passes.permits.scanned",
    createdAt: new Date().toISOString(),
    data: { permitId: "p1", contractorId: "c1", passId: "x1", scannedAt: new Date().toISOString() },
  };

  it("refuses a missing or wrong token and a missing delivery id, and changes nothing", async () => {
    const deliveriesBefore = s.gatehouse.db.$client
      .prepare("select count(*) as n from webhook_deliveries")
      .get();
    const missing = await postWebhook({ [BUZZIN_DELIVERY_HEADER]: "d-forged-1" }, event);
    expect(missing.statusCode).toBe(401);
    await missing.body.dump();
    const wrong = await postWebhook(
      { [BUZZIN_TOKEN_HEADER]: "not-the-token-at-all", [BUZZIN_DELIVERY_HEADER]: "d-forged-2" },
      event,
    );
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
    const noDelivery = await postWebhook({ [BUZZIN_TOKEN_HEADER]: sandbox().webhookToken }, event);
    expect(noDelivery.statusCode).toBe(400);
    await noDelivery.body.dump();
    expect(s.gatehouse.db.$client.prepare("select count(*) as n from webhook_deliveries").get()).toEqual(
      deliveriesBefore,
    );
  });
});
