import { describe, expect, it } from "vitest";
import { plainMrkdwn, renderBlocks, renderView } from "../../../tools/sandbox/slack/render.js";

const plain = (text: string) => ({ type: "plain_text", text });

describe("renderView", () => {
  it("renders a small modal as the lines a person would read", () => {
    const view = {
      type: "modal",
      title: plain("New visitor"),
      submit: plain("Request"),
      close: plain("Cancel"),
      blocks: [
        { type: "header", text: plain("Who is visiting?") },
        {
          type: "input",
          label: plain("First name"),
          element: { type: "plain_text_input", action_id: "first" },
        },
        {
          type: "input",
          label: plain("Doors"),
          element: { type: "multi_static_select", placeholder: plain("Choose doors"), options: [] },
        },
        {
          type: "input",
          label: plain("Visit date"),
          element: { type: "datepicker", initial_date: "2025-03-30" },
        },
        {
          type: "input",
          optional: true,
          label: plain("Credential"),
          element: {
            type: "radio_buttons",
            initial_option: { text: plain("Card"), value: "card" },
            options: [
              { text: plain("Card"), value: "card" },
              { text: plain("Mobile"), value: "mobile" },
            ],
          },
        },
        { type: "divider" },
        { type: "context", elements: [{ type: "mrkdwn", text: "Requested by <@U0REQ00001>" }] },
      ],
    };
    expect(renderView(view)).toBe(
      [
        "=== New visitor ===",
        "# Who is visiting?",
        "First name: ____",
        "Doors: [ Choose doors v ]",
        "Visit date: [ 2025-03-30 ]",
        "Credential (optional): (*) Card  ( ) Mobile",
        "-".repeat(40),
        "  Requested by @U0REQ00001",
        "[ Request ]  [ Cancel ]",
      ].join("\n"),
    );
  });
});

describe("renderBlocks", () => {
  it("renders a section with fields and an approval row of buttons", () => {
    const blocks = [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: "*Ana Silva* (Acme) needs access until <!date^1743379200^{date}|30 Mar 2025>",
        },
        fields: [
          { type: "mrkdwn", text: "*Groups*\nLevel 2" },
          { type: "mrkdwn", text: "*Card*\n4711" },
        ],
      },
      {
        type: "actions",
        elements: [
          { type: "button", text: plain("Approve"), style: "primary", action_id: "approve" },
          { type: "button", text: plain("Deny"), style: "danger", action_id: "deny" },
        ],
      },
      { type: "mystery_block" },
    ];
    expect(renderBlocks(blocks)).toBe(
      [
        "*Ana Silva* (Acme) needs access until 30 Mar 2025",
        "  *Groups* Level 2",
        "  *Card* 4711",
        "[ Approve ]  [ Deny ]",
        "[mystery_block]",
      ].join("\n"),
    );
  });

  it("reduces mrkdwn links and mentions to what a reader sees", () => {
    expect(
      plainMrkdwn(
        "See <https://example.com/x|the log> in <#C0SEC|security> &amp; tell <!subteam^S0APP|@approvers>",
      ),
    ).toBe("See the log in #security & tell @approvers");
  });
});
