import { describe, expect, it } from "vitest";
import type { ContractorListRow } from "../../../src/slack/views/contractor-list.js";
import { buildContractorList } from "../../../src/slack/views/contractor-list.js";
import { SLACK_LIMITS } from "../../../src/slack/views/limits.js";
import type { StatusRequestRow } from "../../../src/slack/views/status-message.js";
import { buildStatusMessage } from "../../../src/slack/views/status-message.js";
import { mrkdwnTexts, slackLimitViolations, visibleText } from "./slack-checks.js";

function row(i: number, endDate: string, daysLeft: number): ContractorListRow {
  return { personName: `Person ${i}`, email: `p${i}@example.com`, company: "Acme", endDate, daysLeft };
}

describe("/contractor list", () => {
  it("lists contractors ending soonest first, saying how soon", () => {
    const m = buildContractorList({
      rows: [row(1, "2027-03-20", 18), row(2, "2027-03-02", 0), row(3, "2027-03-03", 1)],
      today: "2027-03-02",
      total: 3,
    });
    expect(m.blocks[0]).toMatchObject({
      type: "header",
      text: { text: "Active contractors on Tue 2 Mar 2027" },
    });
    const text = visibleText(m);
    expect(text.indexOf("Person 2")).toBeLessThan(text.indexOf("Person 3"));
    expect(text.indexOf("Person 3")).toBeLessThan(text.indexOf("Person 1"));
    expect(text).toContain("• *Person 2* (Acme) p2@example.com — ends today, Tue 2 Mar 2027");
    expect(text).toContain("ends tomorrow, Wed 3 Mar 2027");
    expect(text).toContain("ends in 18 days, Sat 20 Mar 2027");
    expect(text).toContain("3 active contractors.");
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it("fits 300 contractors into a message and summarises what it could not show", () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      ...row(i, "2027-04-01", 30),
      company: "Company with a long name ".repeat(3),
    }));
    const m = buildContractorList({ rows, today: "2027-03-02", total: 340 });
    expect(m.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
    expect(slackLimitViolations(m)).toEqual([]);
    const shown = (visibleText(m).match(/^• /gm) ?? []).length;
    expect(shown).toBe(300);
    expect(visibleText(m)).toContain(`Showing the 300 ending soonest of 340.`);
  });

  it("cuts at the block limit when rows are too long to fit", () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      ...row(i, "2027-04-01", 30),
      company: "C".repeat(900),
    }));
    const m = buildContractorList({ rows, today: "2027-03-02", total: 300 });
    expect(slackLimitViolations(m)).toEqual([]);
    const shown = (visibleText(m).match(/^• /gm) ?? []).length;
    expect(shown).toBeLessThan(300);
    expect(visibleText(m)).toContain(`Showing the ${shown} ending soonest of 300.`);
  });

  it("says when there is nobody, and escapes names", () => {
    expect(visibleText(buildContractorList({ rows: [], today: "2027-03-02", total: 0 }))).toContain(
      "No active contractors.",
    );
    const m = buildContractorList({
      rows: [{ ...row(1, "2027-03-03", 1), personName: "<!channel>" }],
      today: "2027-03-02",
      total: 1,
    });
    for (const t of mrkdwnTexts(m)) expect(t).not.toContain("<!channel>");
  });
});

describe("/contractor status", () => {
  const request: StatusRequestRow = {
    id: "req_1",
    kind: "contractor",
    state: "approved",
    startDate: "2027-03-02",
    endDate: "2027-03-06",
    decidedBy: "U0APP",
  };

  it("shows the managed access and each request with who decided", () => {
    const m = buildStatusMessage({
      personName: "Ada Lovelace",
      email: "ada@example.com",
      requests: [
        request,
        {
          ...request,
          id: "req_2",
          state: "failed",
          decidedBy: undefined,
          lastError: "DoorFlow 422: <card> taken",
        },
      ],
      managed: { status: "active", endDate: "2027-03-06", cardCollected: false },
    });
    const text = visibleText(m);
    expect(m.blocks[0]).toMatchObject({ type: "header", text: { text: "Status: Ada Lovelace" } });
    expect(text).toContain(
      "*Email:* ada@example.com\n*Access:* active, last day Sat 6 Mar 2027; card not collected yet",
    );
    expect(text).toContain(
      "• Contractor request req_1: *approved* by <@U0APP>, Tue 2 Mar 2027 – Sat 6 Mar 2027 (5 days)",
    );
    expect(text).toContain("_Last error: DoorFlow 422: &lt;card&gt; taken_");
    expect(text).toContain("2 requests.");
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it("says when nobody is known", () => {
    const m = buildStatusMessage({
      personName: "ghost@example.com",
      email: "ghost@example.com",
      requests: [],
    });
    expect(visibleText(m)).toContain("No access managed by Gatehouse.");
    expect(visibleText(m)).toContain("No requests for ghost@example.com.");
  });

  it("summarises a long history within the message block limit", () => {
    const requests = Array.from({ length: 400 }, (_, i) => ({
      ...request,
      id: `req_${i}`,
      lastError: "e".repeat(400),
    }));
    const m = buildStatusMessage({ personName: "Ada", email: "ada@example.com", requests });
    expect(slackLimitViolations(m)).toEqual([]);
    const shown = (visibleText(m).match(/^• /gm) ?? []).length;
    expect(shown).toBeGreaterThan(50);
    expect(visibleText(m)).toContain(`Showing ${shown} of 400 requests`);
  });
});
