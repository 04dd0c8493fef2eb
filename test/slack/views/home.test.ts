/** The App Home view for each role, and for more people than 100 blocks can hold. */
import { describe, expect, it } from "vitest";
import type {
  HomeApproval,
  HomeData,
  HomeFailure,
  HomePerson,
  HomeRequest,
} from "../../../src/domain/home.js";
import { ACTION } from "../../../src/slack/ids.js";
import { buildHomeView, HOME_TITLE } from "../../../src/slack/views/home.js";
import { SLACK_LIMITS } from "../../../src/slack/views/limits.js";
import { mrkdwnTexts, slackLimitViolations, visibleText } from "./slack-checks.js";

const TODAY = "2027-03-02";

function request(i: number, fields: Partial<HomeRequest> = {}): HomeRequest {
  return {
    id: `gh_req${i}`,
    kind: "contractor",
    personName: `Kit Person${i}`,
    company: "Spark Electrical",
    startDate: "2027-03-01",
    endDate: "2027-03-12",
    state: "requested",
    decidedBy: null,
    denyReason: null,
    ...fields,
  };
}

function approval(i: number): HomeApproval {
  return {
    id: `gh_pend${i}`,
    kind: "contractor",
    personName: `Pending Person${i}`,
    email: `pending${i}@spark.example`,
    company: "Spark Electrical",
    accessNames: ["Level 2"],
    startDate: "2027-03-03",
    endDate: "2027-03-20",
    requesterId: "U0REQUEST1",
  };
}

function person(i: number, fields: Partial<HomePerson> = {}): HomePerson {
  return {
    managedPersonId: i,
    doorflowPersonId: 9000 + i,
    provider: "doorflow",
    requesterId: "U0REQUEST1",
    kind: "contractor",
    personName: `Active Person${i}`,
    email: `active${i}@spark.example`,
    company: "Spark Electrical",
    endDate: "2027-03-10",
    daysLeft: 8,
    ...fields,
  };
}

function failure(key: string, offboardingId: number | null): HomeFailure {
  return {
    key,
    kind: key.startsWith("offboarding") ? "offboarding" : "provisioning",
    summary: `Someone: DoorFlow answered 503 for ${key}`,
    since: new Date("2027-03-01T17:00:00Z"),
    offboardingId,
  };
}

function home(fields: Partial<HomeData> = {}): HomeData {
  return {
    viewerId: "U0VIEWER1",
    today: TODAY,
    timeZone: "Europe/London",
    roles: { approver: false, operator: false },
    requests: { rows: [], more: false },
    approvals: null,
    people: { scope: "mine", rows: [], total: 0 },
    failures: null,
    ...fields,
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Slack JSON
/** slack-checks knows modals and messages; a home view has the modal's limits (100 blocks) and no title. */
const homeViolations = (v: Json) =>
  slackLimitViolations({ ...v, type: "modal", title: { type: "plain_text", text: "Home" } });
const headers = (v: Json) => (v.blocks as Json[]).filter((b) => b.type === "header").map((b) => b.text.text);
function buttons(v: Json): Json[] {
  return (v.blocks as Json[]).flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]);
}
const buttonsFor = (v: Json, actionId: string) => buttons(v).filter((e) => e.action_id === actionId);

describe("App Home for a requester", () => {
  const view = buildHomeView(
    home({
      requests: {
        rows: [
          request(1),
          request(2, { state: "active" }),
          request(3, { state: "denied", decidedBy: "U0APPROVE1", denyReason: "No <!channel> work permit" }),
        ],
        more: false,
      },
      people: { scope: "mine", rows: [person(1, { daysLeft: 0, endDate: TODAY })], total: 1 },
    }),
  );

  it("shows their requests with their state and their own people, and nothing for approvers or operators", () => {
    expect(view.type).toBe("home");
    expect(headers(view)).toEqual(["Gatehouse: building access", HOME_TITLE.requests, HOME_TITLE.peopleMine]);
    const text = visibleText(view);
    expect(text).toContain("Contractor *Kit Person1* (Spark Electrical)");
    expect(text).toContain("waiting for an approver");
    expect(text).toContain("*active*");
    expect(text).toContain("denied by <@U0APPROVE1>: No &lt;!channel&gt; work permit");
    expect(text).toContain("*Active Person1* (Spark Electrical) active1@spark.example\nlast day today");
    for (const t of mrkdwnTexts(view)) expect(t).not.toContain("<!channel>");
    expect(homeViolations(view)).toEqual([]);
  });

  it("offers Extend for their contractor but no Approve, Offboard or Retry", () => {
    expect(buttonsFor(view, ACTION.extend).map((b) => b.value)).toEqual(["1"]);
    for (const id of [ACTION.approve, ACTION.deny, ACTION.offboardNow, ACTION.retry]) {
      expect(buttonsFor(view, id)).toEqual([]);
    }
  });

  it("says what to do when there is nothing yet", () => {
    const empty = buildHomeView(home());
    expect(visibleText(empty)).toContain("You have not asked for access yet.");
    expect(visibleText(empty)).toContain("Nobody you asked for has access right now.");
    expect(homeViolations(empty)).toEqual([]);
  });
});

describe("App Home with Buzz-in contracts", () => {
  const buzzinPerson = (i: number, requesterId: string) =>
    person(i, { doorflowPersonId: null, provider: "buzzin", requesterId, personName: `Pass Holder${i}` });
  const view = buildHomeView(
    home({
      requests: {
        rows: [
          request(1, { state: "awaiting_provider", buzzinStage: "awaiting_community" }),
          request(2, { state: "awaiting_provider", buzzinStage: "awaiting_pass" }),
          request(3, { state: "active", buzzinStage: "active" }),
        ],
        more: false,
      },
      people: { scope: "mine", rows: [buzzinPerson(7, "U0VIEWER1"), buzzinPerson(8, "U0SOMEONE")], total: 2 },
    }),
  );

  it("says where each stands in Buzz-in: the community admin, the permit draft, active", () => {
    const text = visibleText(view);
    expect(text).toContain("waiting for the community admin to approve the contractor in Buzz-in");
    expect(text).toContain("permit draft submitted, waiting for the community to accept it");
    expect(text).toContain("*active* (Buzz-in pass)");
    expect(text).toContain("*Pass Holder7* (Spark Electrical) active7@spark.example _Buzz-in pass_");
    expect(homeViolations(view)).toEqual([]);
  });

  it("offers Reissue pass to the requester on their own contractor, and to operators on any", () => {
    expect(buttonsFor(view, ACTION.reissuePass).map((b) => b.value)).toEqual(["7"]);
    expect(buttonsFor(view, ACTION.reissuePass)[0]?.confirm).toBeDefined();
    const operator = buildHomeView(
      home({
        roles: { approver: false, operator: true },
        people: { scope: "all", rows: [buzzinPerson(7, "U0SOMEONE")], total: 1 },
      }),
    );
    expect(buttonsFor(operator, ACTION.reissuePass).map((b) => b.value)).toEqual(["7"]);
    expect(buttonsFor(operator, ACTION.offboardBuzzinNow).map((b) => b.value)).toEqual(["7"]);
  });
});

describe("App Home for an approver", () => {
  const view = buildHomeView(
    home({
      roles: { approver: true, operator: false },
      approvals: { rows: [approval(1), approval(2)], total: 2 },
      people: { scope: "all", rows: [person(1), person(2, { kind: "visitor", daysLeft: 0 })], total: 2 },
    }),
  );

  it("lists pending approvals with Approve and Deny carrying the request id, as on the approval message", () => {
    expect(headers(view)).toContain(HOME_TITLE.approvals);
    expect(visibleText(view)).toContain("Requested by <@U0REQUEST1>");
    const approve = buttonsFor(view, ACTION.approve);
    const deny = buttonsFor(view, ACTION.deny);
    expect(approve.map((b) => b.value)).toEqual(["gh_pend1", "gh_pend2"]);
    expect(deny.map((b) => b.value)).toEqual(["gh_pend1", "gh_pend2"]);
    expect(approve[0]).toMatchObject({ style: "primary", text: { text: "Approve" } });
  });

  it("sees everyone with access but may not offboard, and Extend is for contractors only", () => {
    expect(headers(view)).toContain(HOME_TITLE.peopleAll);
    expect(headers(view)).not.toContain(HOME_TITLE.failures);
    expect(buttonsFor(view, ACTION.extend).map((b) => b.value)).toEqual(["1"]);
    expect(buttonsFor(view, ACTION.offboardNow)).toEqual([]);
    expect(visibleText(view)).toContain("_visitor_");
    expect(homeViolations(view)).toEqual([]);
  });

  it("says so when nothing waits for a decision", () => {
    const idle = buildHomeView(
      home({ roles: { approver: true, operator: false }, approvals: { rows: [], total: 0 } }),
    );
    expect(visibleText(idle)).toContain("Nothing waits for your decision.");
  });
});

describe("App Home for an operator", () => {
  const view = buildHomeView(
    home({
      roles: { approver: false, operator: true },
      failures: {
        rows: [failure("offboarding:42", 42), failure("provisioning:gh_x", null)],
        total: 2,
      },
      people: {
        scope: "all",
        rows: [person(1, { daysLeft: 1 }), person(2, { daysLeft: 30 }), person(3, { kind: "visitor" })],
        total: 3,
      },
    }),
  );

  it("shows open failures, with Retry only for a failed offboarding (value: the offboarding id)", () => {
    expect(headers(view)).toContain(HOME_TITLE.failures);
    expect(buttonsFor(view, ACTION.retry).map((b) => b.value)).toEqual(["42"]);
    const text = visibleText(view);
    expect(text).toContain("*Offboarding failed* since Mon 1 Mar 2027, 17:00 GMT");
    expect(text).toContain("*Access could not be set up*");
  });

  it("offers Extend and a confirmed Offboard (value: the DoorFlow person id) ending soonest first", () => {
    const offboard = buttonsFor(view, ACTION.offboardNow);
    expect(offboard.map((b) => b.value)).toEqual(["9001", "9002", "9003"]);
    expect(offboard[0]).toMatchObject({ style: "danger", confirm: { title: { text: "Offboard now?" } } });
    expect(buttonsFor(view, ACTION.extend).map((b) => b.value)).toEqual(["1", "2"]);
    const text = visibleText(view);
    expect(text).toContain("1 day left");
    expect(text.indexOf("Active Person1")).toBeLessThan(text.indexOf("Active Person2"));
    expect(homeViolations(view)).toEqual([]);
  });

  it("does not escape a provisioning summary twice", () => {
    const v = buildHomeView(
      home({
        roles: { approver: false, operator: true },
        failures: {
          rows: [{ ...failure("provisioning:gh_y", null), summary: "Kit (A &amp; B) failed" }],
          total: 1,
        },
      }),
    );
    expect(visibleText(v)).toContain("Kit (A &amp; B) failed");
    expect(visibleText(v)).not.toContain("&amp;amp;");
  });
});

describe("App Home beyond Slack's 100 blocks", () => {
  it("fits 50 of 5,000 people next to full approvals and failures, and summarises the rest", () => {
    const view = buildHomeView(
      home({
        roles: { approver: true, operator: true },
        requests: { rows: Array.from({ length: 10 }, (_, i) => request(i)), more: true },
        approvals: { rows: Array.from({ length: 10 }, (_, i) => approval(i)), total: 37 },
        failures: {
          rows: Array.from({ length: 10 }, (_, i) => failure(`offboarding:${i + 1}`, i + 1)),
          total: 64,
        },
        people: { scope: "all", rows: Array.from({ length: 50 }, (_, i) => person(i)), total: 5000 },
      }),
    );
    expect(view.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    expect(homeViolations(view)).toEqual([]);
    const shownPeople = buttonsFor(view, ACTION.offboardNow).length;
    expect(shownPeople).toBeGreaterThan(20);
    const text = visibleText(view);
    expect(text).toContain(`and ${5000 - shownPeople} more — /contractor list`);
    expect(text).toContain(`and ${37 - buttonsFor(view, ACTION.approve).length} more waiting`);
    expect(text).toContain(
      `and ${64 - buttonsFor(view, ACTION.retry).length} more open in the security channel`,
    );
    expect(text).toContain("Your 10 latest requests.");
    // Every part keeps its header, however long the lists.
    expect(headers(view)).toEqual([
      "Gatehouse: building access",
      HOME_TITLE.approvals,
      HOME_TITLE.failures,
      HOME_TITLE.requests,
      HOME_TITLE.peopleAll,
    ]);
  });

  it("gives the people list the whole rest of the budget when the other parts are empty", () => {
    const rows = Array.from({ length: 50 }, (_, i) => person(i));
    const view = buildHomeView(
      home({
        roles: { approver: false, operator: true },
        failures: { rows: [], total: 0 },
        people: { scope: "all", rows, total: 5000 },
      }),
    );
    expect(view.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    expect(view.blocks.length).toBeGreaterThan(SLACK_LIMITS.viewBlocks - 3);
    const shown = buttonsFor(view, ACTION.offboardNow).length;
    expect(visibleText(view)).toContain(`and ${5000 - shown} more — /contractor list`);
  });

  it("shows every row and no summary when all fit", () => {
    const rows = Array.from({ length: 20 }, (_, i) => person(i));
    const view = buildHomeView(
      home({ roles: { approver: true, operator: true }, people: { scope: "all", rows, total: 20 } }),
    );
    expect(buttonsFor(view, ACTION.offboardNow)).toHaveLength(20);
    expect(visibleText(view)).not.toContain("more — /contractor list");
  });
});
