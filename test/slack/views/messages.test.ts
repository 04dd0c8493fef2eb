import { describe, expect, it } from "vitest";
import { buildHelpMessage } from "../../../src/slack/views/help-message.js";
import { buildNoticeMessage } from "../../../src/slack/views/notices.js";
import { buildSecurityAlert } from "../../../src/slack/views/security-alert.js";
import { mrkdwn, mention } from "../../../src/slack/views/text.js";
import { slackLimitViolations, visibleText } from "./slack-checks.js";

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

describe("alert for the security channel", () => {
  it("masks tokens in DoorFlow's error text, wherever the caller put it", () => {
    const m = buildSecurityAlert({
      title: "Offboarding Ada failed (Bearer sekret.title.value)",
      lines: [
        "*Person:* Ada (ada@example.com), DoorFlow person 42",
        "*Error:* 500 from POST /api/3/people (Authorization: Bearer sekret.token.value)",
        "*Slack said:* invalid_auth for xoxb-1234-5678-sekretslack",
      ],
      retry: { actionValue: "7" },
    });
    const json = JSON.stringify(m);
    expect(json).not.toContain("sekret");
    expect(visibleText(m)).toContain("500 from POST /api/3/people (Authorization: [redacted])");
    expect(visibleText(m)).toContain("DoorFlow person 42");
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it("keeps a huge error within limits", () => {
    const m = buildSecurityAlert({ title: "t".repeat(500), lines: [`*Error:* ${"x".repeat(10_000)}`] });
    expect(slackLimitViolations(m)).toEqual([]);
  });
});
