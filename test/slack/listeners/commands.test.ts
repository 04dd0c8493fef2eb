/**
 * `/contractor` (routed to one file per sub-command) and `/offboard`, fast: a real Bolt App fed
 * commands in process, a real database, Slack answered by msw (users.info resolves a mention).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { NamedItem } from "../../../src/domain/catalog.js";
import type { Deps } from "../../../src/domain/deps.js";
import { registerContractorCommand } from "../../../src/slack/listeners/commands/contractor.js";
import { registerOffboardCommand } from "../../../src/slack/listeners/commands/offboard.js";
import { CALLBACK } from "../../../src/slack/ids.js";
import { server } from "../../mocks/server.js";
import { slackCalls, slackMethod } from "../../mocks/slack.js";
import { addContractor } from "../../helpers/records.js";
import {
  createListenerHarness,
  createUnitWorld,
  ROLE,
  slashCommand,
  type UnitWorld,
} from "../../helpers/unit.js";

const GROUPS: NamedItem[] = [{ id: 5123, name: "Level 2" }];
/** The catalog port, answering at once (as its cache does), so the modal opens with the list. */
const catalog = { groups: async () => GROUPS, doors: async () => GROUPS } as unknown as Deps["catalog"];

let w: UnitWorld;
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  w = createUnitWorld({ catalog });
});
afterEach(() => {
  w.close();
  server.resetHandlers();
  slackCalls.reset();
});
afterAll(() => server.close());

const answers = () => slackCalls.of("response_url");
const texts = () => answers().map((a) => `${String(a.text)} ${JSON.stringify(a.blocks ?? [])}`);

describe("/contractor", () => {
  it("new: the form with DoorFlow's groups for a requester; a refusal for anyone else", async () => {
    const h = createListenerHarness(w.deps, registerContractorCommand);
    await h.deliver(slashCommand("/contractor", "", ROLE.requester));
    const [opened] = slackCalls.of("views.open");
    expect(opened).toMatchObject({ view: { callback_id: CALLBACK.contractorRequest } });
    expect(JSON.stringify(opened?.view)).toContain("Level 2");
    await h.deliver(slashCommand("/contractor", "visitor", ROLE.stranger));
    expect(slackCalls.of("views.open")).toHaveLength(1);
    expect(answers()).toEqual([
      expect.objectContaining({
        response_type: "ephemeral",
        text: expect.stringContaining("not on the list"),
      }),
    ]);
  });

  it("list: a requester sees their own contractors, an approver everyone's", async () => {
    addContractor(w.t.db, { firstName: "Mine", lastName: "Only" });
    addContractor(w.t.db, { firstName: "Someone", lastName: "Else", requesterId: ROLE.otherRequester });
    const h = createListenerHarness(w.deps, registerContractorCommand);
    await h.deliver(slashCommand("/contractor", "list", ROLE.requester));
    await h.deliver(slashCommand("/contractor", "list", ROLE.approver));
    const [own, all] = texts();
    expect(own).toContain("Mine Only");
    expect(own).not.toContain("Someone Else");
    expect(all).toContain("Someone Else");
  });

  it("audit is for operators; status without an email and anything unknown get the help", async () => {
    const h = createListenerHarness(w.deps, registerContractorCommand);
    await h.deliver(slashCommand("/contractor", "audit a@b.example", ROLE.requester));
    await h.deliver(slashCommand("/contractor", "status", ROLE.requester));
    await h.deliver(slashCommand("/contractor", "frobnicate", ROLE.requester));
    const [audit, status, unknown] = texts();
    expect(audit).toContain("Only operators can read the audit trail.");
    expect(status).toContain("Gatehouse: building access from Slack");
    expect(unknown).toBe(status);
  });
});

describe("/offboard", () => {
  it("refuses a non-operator, whatever they ask", async () => {
    const h = createListenerHarness(w.deps, registerOffboardCommand);
    await h.deliver(slashCommand("/offboard", "bulk", ROLE.approver));
    expect(slackCalls.of("views.open")).toEqual([]);
    expect(texts()[0]).toContain("Only Gatehouse operators can offboard people.");
  });

  it("resolves a mention through users.info and offers the Buzz-in contractor with that email", async () => {
    server.use(
      slackMethod("users.info", (a) => ({ user: { id: a.user, profile: { email: "Buzz@Spark.example " } } })),
    );
    addContractor(w.t.db, {
      provider: "buzzin",
      doorflowPersonId: null,
      firstName: "Bea",
      lastName: "Buzz",
      email: "buzz@spark.example",
      accessNames: ["Tower B, unit 1204"],
    });
    const h = createListenerHarness(w.deps, registerOffboardCommand);
    await h.deliver(slashCommand("/offboard", "<@U0LEAVER1|bea>", ROLE.operator));
    expect(slackCalls.of("users.info")).toEqual([expect.objectContaining({ user: "U0LEAVER1" })]);
    const [buzzin, doorflow] = texts();
    expect(buzzin).toContain("Bea Buzz");
    expect(buzzin).toContain("Tower B, unit 1204");
    // No DoorFlow in this world: its half of the answer says what to do rather than failing.
    expect(doorflow).toContain("could not read buzz@spark.example from DoorFlow");
  });

  it("tells the operator when Slack has no email for the mentioned user", async () => {
    const h = createListenerHarness(w.deps, registerOffboardCommand);
    await h.deliver(slashCommand("/offboard", "<@U0BOTUSER>", ROLE.operator));
    expect(texts()[0]).toContain("Slack has no email address for");
  });
});
