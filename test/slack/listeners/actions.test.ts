/**
 * Thin action listeners, fast: a real Bolt App fed clicks in process, a real database, and Slack's
 * Web API and response URLs answered by msw — no server, no sandbox.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { registerDeny } from "../../../src/slack/listeners/actions/deny.js";
import { registerExtensionDeny } from "../../../src/slack/listeners/actions/extension-deny.js";
import { registerOffboardRetry } from "../../../src/slack/listeners/actions/offboard-retry.js";
import { registerOffboardSchedule } from "../../../src/slack/listeners/actions/offboard-schedule.js";
import { ACTION, CALLBACK } from "../../../src/slack/ids.js";
import { server } from "../../mocks/server.js";
import { slackCalls, slackMethod } from "../../mocks/slack.js";
import { addContractor, addExtension, addRequest } from "../../helpers/records.js";
import { click, createListenerHarness, createUnitWorld, ROLE, type UnitWorld } from "../../helpers/unit.js";

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

const answers = () => slackCalls.of("response_url").map((a) => a.text);

describe("Deny", () => {
  it("opens the reason modal for an approver (from the Slack user group), for that request", async () => {
    const id = addRequest(w.t.db, { firstName: "Ada", lastName: "Lovelace" });
    const h = createListenerHarness(w.deps, registerDeny);
    await h.deliver(click(ACTION.deny, id, ROLE.groupApprover));
    const [opened] = slackCalls.of("views.open");
    expect(opened).toMatchObject({
      trigger_id: "1337.42.trigger",
      view: { callback_id: CALLBACK.denyReason, private_metadata: id },
    });
    expect(JSON.stringify(opened?.view)).toContain("Ada Lovelace");
    expect(answers()).toEqual([]);
  });

  it("tells a stranger only them, and opens nothing", async () => {
    const id = addRequest(w.t.db);
    const h = createListenerHarness(w.deps, registerDeny);
    await h.deliver(click(ACTION.deny, id, ROLE.stranger));
    expect(slackCalls.of("views.open")).toEqual([]);
    expect(slackCalls.of("response_url")).toEqual([
      {
        response_type: "ephemeral",
        replace_original: false,
        text: "Only approvers can approve or deny access requests.",
      },
    ]);
  });
});

describe("Deny on an extension", () => {
  it("opens its own modal, whose submission is decided as an extension", async () => {
    const ext = addExtension(w.t.db, addContractor(w.t.db));
    const h = createListenerHarness(w.deps, registerExtensionDeny);
    await h.deliver(click(ACTION.extensionDeny, ext, ROLE.approver));
    expect(slackCalls.of("views.open")).toEqual([
      expect.objectContaining({
        view: expect.objectContaining({ callback_id: CALLBACK.extensionDenyReason, private_metadata: ext }),
      }),
    ]);
  });

  it("answers the requester's own click with a refusal", async () => {
    const ext = addExtension(w.t.db, addContractor(w.t.db), ROLE.approver);
    const h = createListenerHarness(w.deps, registerExtensionDeny);
    await h.deliver(click(ACTION.extensionDeny, ext, ROLE.approver));
    expect(answers()).toEqual(["You cannot decide on your own extension: another approver must."]);
  });
});

describe("operator buttons", () => {
  it("Retry: refused for a non-operator, out of date for a value that is no id", async () => {
    const h = createListenerHarness(w.deps, registerOffboardRetry);
    await h.deliver(click(ACTION.retry, "12", ROLE.requester));
    await h.deliver(click(ACTION.retry, "twelve", ROLE.operator));
    expect(answers()).toEqual([
      "Only Gatehouse operators can retry an offboarding.",
      "This button is out of date.",
    ]);
  });

  it("Schedule…: opens the last-day picker for an operator, from today in the account's zone", async () => {
    const h = createListenerHarness(w.deps, registerOffboardSchedule);
    const value = JSON.stringify({ personId: 42, name: "Pat Leaver" });
    await h.deliver(click(ACTION.offboardSchedule, value, ROLE.requester));
    expect(slackCalls.of("views.open")).toEqual([]);
    await h.deliver(click(ACTION.offboardSchedule, value, ROLE.operator));
    const [opened] = slackCalls.of("views.open");
    expect(opened).toMatchObject({
      view: { callback_id: CALLBACK.offboardSchedule, private_metadata: "42" },
    });
    expect(JSON.stringify(opened?.view)).toContain("2027-03-02");
  });
});
