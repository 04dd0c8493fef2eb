/**
 * The use cases Slack, the CLI and the webhooks share, on a real SQLite database with the real
 * migrations. Approvers come partly from a Slack user group, which msw answers at the Web API
 * (usergroups.users.list), so the policy's Slack round trip is the real one.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listAuditForRequest } from "../../helpers/db-reads.js";
import { readAuditHistory } from "../../../src/domain/use-cases/read-audit-history.js";
import { listExtendableContractors } from "../../../src/domain/use-cases/list-extendable-contractors.js";
import { openBuzzinForm, openRequestForm } from "../../../src/domain/use-cases/open-request-form.js";
import { prepareDenial } from "../../../src/domain/use-cases/prepare-denial.js";
import { prepareExtensionDenial } from "../../../src/domain/use-cases/prepare-extension-denial.js";
import { prepareOffboardSchedule } from "../../../src/domain/use-cases/prepare-offboard-schedule.js";
import { previewOffboarding } from "../../../src/domain/use-cases/preview-offboarding.js";
import { retryOffboarding } from "../../../src/domain/use-cases/retry-offboarding.js";
import { rolesOf } from "../../../src/domain/use-cases/roles.js";
import { server } from "../../mocks/server.js";
import { slackCalls, slackMethod } from "../../mocks/slack.js";
import { addContractor, addExtension, addRequest } from "../../helpers/records.js";
import { APPROVER_GROUP, createUnitWorld, ROLE, type UnitWorld } from "../../helpers/unit.js";

let w: UnitWorld;
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  server.use(slackMethod("usergroups.users.list", () => ({ users: [ROLE.groupApprover] })));
  w = createUnitWorld();
});
afterEach(() => {
  w.close();
  server.resetHandlers();
  slackCalls.reset();
});
afterAll(() => server.close());

describe("roles", () => {
  it("reads the approvers' user group from Slack once, and combines it with the configured ids", async () => {
    expect(await rolesOf(w.deps, ROLE.groupApprover)).toEqual({ isApprover: true, isOperator: false });
    expect(await rolesOf(w.deps, ROLE.operator)).toEqual({ isApprover: false, isOperator: true });
    expect(await rolesOf(w.deps, ROLE.stranger)).toEqual({ isApprover: false, isOperator: false });
    expect(slackCalls.of("usergroups.users.list")).toEqual([{ usergroup: APPROVER_GROUP }]);
  });
});

describe("prepareDenial", () => {
  it("opens for an approver with the person's name, refuses (and audits) a stranger, and the requester", async () => {
    const id = addRequest(w.t.db, { firstName: "Ada", lastName: "Lovelace" });
    expect(await prepareDenial(w.deps, { requestId: id, userId: ROLE.groupApprover })).toEqual({
      status: "open",
      requestId: id,
      personName: "Ada Lovelace",
    });
    expect(await prepareDenial(w.deps, { requestId: id, userId: ROLE.stranger })).toEqual({
      status: "forbidden",
    });
    const refused = listAuditForRequest(w.t.db, id).filter((e) => e.action === "request.decision_refused");
    expect(refused.map((e) => e.actor)).toEqual([ROLE.stranger]);
    const own = addRequest(w.t.db, { requesterId: ROLE.approver });
    expect((await prepareDenial(w.deps, { requestId: own, userId: ROLE.approver })).status).toBe(
      "own_request",
    );
    expect(await prepareDenial(w.deps, { requestId: "gh_nope", userId: ROLE.approver })).toEqual({
      status: "not_found",
    });
  });
});

describe("prepareExtensionDenial", () => {
  it("opens for another approver only", async () => {
    const ext = addExtension(w.t.db, addContractor(w.t.db));
    expect(await prepareExtensionDenial(w.deps, { extensionId: ext, actor: ROLE.approver })).toEqual({
      status: "open",
      extensionId: ext,
    });
    expect((await prepareExtensionDenial(w.deps, { extensionId: ext, actor: ROLE.requester })).status).toBe(
      "forbidden",
    );
    const own = addExtension(w.t.db, addContractor(w.t.db), ROLE.approver);
    expect((await prepareExtensionDenial(w.deps, { extensionId: own, actor: ROLE.approver })).status).toBe(
      "own_request",
    );
  });
});

describe("listExtendableContractors", () => {
  it("gives a requester their own contractors, approvers all of them, and preselects by email", async () => {
    const mine = addContractor(w.t.db, { email: "mine@spark.example" });
    const theirs = addContractor(w.t.db, { requesterId: ROLE.otherRequester });
    addContractor(w.t.db, { kind: "visitor" });
    const own = await listExtendableContractors(w.deps, {
      userId: ROLE.requester,
      email: "mine@spark.example",
    });
    expect(own.contractors.map((c) => c.id)).toEqual([mine]);
    expect(own.selectedId).toBe(mine);
    expect(own.today).toBe("2027-03-02");
    const all = await listExtendableContractors(w.deps, {
      userId: ROLE.groupApprover,
      managedPersonId: theirs,
    });
    expect(all.contractors.map((c) => c.id).sort()).toEqual([mine, theirs].sort());
    expect(all.selectedId).toBe(theirs);
  });
});

describe("readAuditHistory", () => {
  it("is for operators, and asks for an email", async () => {
    expect(await readAuditHistory(w.deps, { userId: ROLE.requester, email: "a@b.example" })).toEqual({
      status: "forbidden",
    });
    expect(await readAuditHistory(w.deps, { userId: ROLE.operator, email: null })).toEqual({
      status: "no_email",
    });
    const found = await readAuditHistory(w.deps, { userId: ROLE.operator, email: "a@b.example" });
    expect(found).toEqual({ status: "history", email: "a@b.example", lines: [] });
  });
});

describe("operator-only use cases", () => {
  it("refuse anyone else before touching anything", async () => {
    expect(await retryOffboarding(w.deps, { actor: ROLE.requester, offboardingId: 1 })).toEqual({
      status: "forbidden",
    });
    expect(await prepareOffboardSchedule(w.deps, { actor: ROLE.requester })).toEqual({ status: "forbidden" });
    const emailOfUser = async () => ({ email: "x@y.example" });
    const target = { kind: "email", email: "x@y.example" } as const;
    expect(await previewOffboarding(w.deps, { actor: ROLE.requester, target, emailOfUser })).toEqual({
      status: "forbidden",
    });
  });

  it("retry: an id that is not one is out of date", async () => {
    expect(await retryOffboarding(w.deps, { actor: ROLE.operator, offboardingId: Number.NaN })).toEqual({
      status: "invalid",
    });
  });

  it("schedule: the picker starts from today in the account's zone", async () => {
    expect(await prepareOffboardSchedule(w.deps, { actor: ROLE.operator })).toEqual({
      status: "open",
      today: "2027-03-02",
    });
  });

  it("preview: help, bulk, a Slack user without an email, and a Buzz-in contractor found by email", async () => {
    const problem = { problem: "no email" };
    const emailOfUser = async () => problem;
    const preview = (target: Parameters<typeof previewOffboarding>[1]["target"]) =>
      previewOffboarding(w.deps, { actor: ROLE.operator, target, emailOfUser });
    expect(await preview({ kind: "help" })).toEqual({ status: "help" });
    expect(await preview({ kind: "bulk" })).toEqual({ status: "bulk" });
    expect(await preview({ kind: "user", userId: "U0LEAVER1" })).toEqual({
      status: "problem",
      problem: "no email",
    });
    const id = addContractor(w.t.db, {
      provider: "buzzin",
      doorflowPersonId: null,
      email: "buzz@spark.example",
      accessNames: ["Tower B, unit 1204"],
    });
    const found = await preview({ kind: "email", email: "buzz@spark.example" });
    if (found.status !== "preview") throw new Error(`expected a preview, got ${found.status}`);
    expect(found.buzzin).toEqual([
      expect.objectContaining({ managedPersonId: id, where: "Tower B, unit 1204" }),
    ]);
    // This world has no DoorFlow: its part of the answer says so instead of failing the command.
    expect(await found.doorflow).toMatchObject({ status: "unreadable", email: "buzz@spark.example" });
  });
});

describe("openRequestForm", () => {
  it("is for requesters; Buzz-in says when it is not set up", async () => {
    expect(await openRequestForm(w.deps, { userId: ROLE.stranger, kind: "visitor" })).toEqual({
      status: "forbidden",
    });
    expect(await openBuzzinForm(w.deps, { userId: ROLE.requester })).toEqual({ status: "not_configured" });
  });
});
