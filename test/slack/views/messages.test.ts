import { describe, expect, it } from "vitest";
import { buildHelpMessage } from "../../../src/slack/views/help-message.js";
import { buildFailureAlert, buildNoticeMessage } from "../../../src/slack/views/notices.js";
import { mrkdwn, mention } from "../../../src/slack/views/text.js";
import { mrkdwnTexts, slackLimitViolations, visibleText } from "./slack-checks.js";

describe("help", () => {
  it("lists the requester commands, with <email> shown as text rather than a link", () => {
    const m = buildHelpMessage({ isApprover: false, isOperator: false });
    const text = visibleText(m);
    for (const c of [
      "/contractor*",
      "/contractor visitor",
      "/contractor extend",
      "/contractor list",
      "/contractor help",
    ]) {
      expect(text).toContain(c);
    }
    expect(text).toContain("/contractor status &lt;email&gt;");
    expect(text).not.toContain("/offboard");
    expect(text).not.toContain("*Approving*");
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it("adds approving for approvers and /offboard for operators", () => {
    const text = visibleText(buildHelpMessage({ isApprover: true, isOperator: true }));
    expect(text).toContain("*Approving*");
    expect(text).toContain("/offboard &lt;email | @user&gt;");
    expect(text).toContain("/offboard bulk");
  });
});

describe("notice", () => {
  it("escapes a plain string and keeps a mention built with mrkdwn", () => {
    const plain = buildNoticeMessage("No requests for <a@b.c> & co");
    expect(plain.text).toBe("No requests for &lt;a@b.c&gt; &amp; co");
    expect(plain.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: plain.text } }]);
    const withMention = buildNoticeMessage(mrkdwn`Already approved by ${mention("U0APP")}.`);
    expect(withMention.text).toBe("Already approved by <@U0APP>.");
  });
});

describe("failure alert for the security channel", () => {
  it("names the person, step, request and DoorFlow's error, masking tokens", () => {
    const m = buildFailureAlert({
      personName: "Ada <!channel>",
      email: "ada@example.com",
      requestId: "req_1",
      step: "create the person in DoorFlow",
      error: "500 from POST /api/3/people (Authorization: Bearer sekret.token.value)",
      requestIdDoorFlow: "df-abc",
    });
    const text = visibleText(m);
    expect(m.blocks[0]).toMatchObject({
      type: "header",
      text: { text: "Gatehouse could not create the person in DoorFlow" },
    });
    expect(text).toContain("*Person*\nAda &lt;!channel&gt;");
    expect(text).toContain("*Request*\nreq_1");
    expect(text).toContain("*DoorFlow request id*\ndf-abc");
    expect(text).toContain("500 from POST /api/3/people");
    expect(JSON.stringify(m)).not.toContain("sekret");
    for (const t of mrkdwnTexts(m)) expect(t).not.toContain("<!channel>");
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it("keeps a huge error within limits", () => {
    const m = buildFailureAlert({
      personName: "A",
      email: null,
      requestId: "r",
      step: "offboard",
      error: "x".repeat(10_000),
    });
    expect(slackLimitViolations(m)).toEqual([]);
    expect(visibleText(m)).not.toContain("*Email*");
  });
});
