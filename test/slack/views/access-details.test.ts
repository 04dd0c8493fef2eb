import { describe, expect, it } from "vitest";
import { startOfLocalDay, zonedInstant } from "../../../src/lib/time.js";
import { ACTION, BLOCK, CALLBACK } from "../../../src/slack/ids.js";
import type { AccessDetailsData } from "../../../src/slack/views/access-details.js";
import { buildAccessDetailsMessage, buildPinView } from "../../../src/slack/views/access-details.js";
import { blockOf, mrkdwnTexts, slackLimitViolations, visibleText } from "./slack-checks.js";

const tz = "America/New_York";
const contractor: AccessDetailsData = {
  requestId: "req_01HZX",
  kind: "contractor",
  personName: "Ada Lovelace",
  company: "Analytical Engines",
  cardNumber: "10442",
  pin: "482913",
  credential: "card",
  accessNames: ["Main entrance", "Workshop"],
  start: startOfLocalDay("2027-03-02", tz),
  // The offboarding instant: the first daily run (17:00) on the last day.
  end: zonedInstant("2027-03-20", "17:00", tz),
  timeZone: tz,
};

describe("access details for the requester", () => {
  it("shows the person, card number, PIN, access, and start and end in the account zone", () => {
    const m = buildAccessDetailsMessage(contractor);
    const text = visibleText(m);
    expect(m.blocks[0]).toMatchObject({ type: "header", text: { text: "Access ready: Ada Lovelace" } });
    expect(text).toContain("*Credential*\nCard 10442");
    expect(text).toContain("*PIN*\n`482913`");
    expect(text).toContain("*Access*\nMain entrance, Workshop");
    // Across the DST change on 14 March: 00:00 EST at the start, 17:00 EDT at the end.
    expect(text).toContain("*Starts*\nTue 2 Mar 2027, 00:00 EST (America/New_York)");
    expect(text).toContain("*Ends*\nSat 20 Mar 2027, 17:00 EDT (America/New_York)");
    expect(slackLimitViolations(m)).toEqual([]);
  });

  it("says what to do at the end: collect the card on the last day; access ends by itself", () => {
    const text = visibleText(buildAccessDetailsMessage(contractor));
    expect(text).toContain("*What to do at the end*");
    expect(text).toContain("Collect the card from Ada Lovelace on Sat 20 Mar 2027, their last day.");
    // The true end, not "the end of the day": the daily job offboards them at 17:00.
    expect(text).toContain("Access ends automatically on Sat 20 Mar 2027, 17:00 EDT.");
    const mobile = visibleText(
      buildAccessDetailsMessage({ ...contractor, credential: "mobile", cardNumber: null }),
    );
    expect(mobile).toContain("*Credential*\nMobile credential");
    expect(mobile).not.toContain("Collect the card");
    const noNumber = visibleText(buildAccessDetailsMessage({ ...contractor, cardNumber: null }));
    expect(noNumber).toContain("*Credential*\nCard\n");
  });

  it("tells a visitor's host that the PIN works on the visit date only", () => {
    const visitor = buildAccessDetailsMessage({
      ...contractor,
      kind: "visitor",
      credential: "pin",
      cardNumber: null,
      end: zonedInstant("2027-03-02", "17:00", tz),
    });
    const text = visibleText(visitor);
    expect(text).toContain("The PIN works only on Tue 2 Mar 2027, until Tue 2 Mar 2027, 17:00 EST.");
    expect(text).not.toContain("*Credential*");
    expect(slackLimitViolations(visitor)).toEqual([]);
  });

  it("offers Show PIN for the request, and points to it when the PIN is not in hand", () => {
    const m = buildAccessDetailsMessage({ ...contractor, pin: null });
    expect(blockOf(m, BLOCK.accessActions)?.elements).toEqual([
      {
        type: "button",
        action_id: ACTION.showPin,
        text: { type: "plain_text", text: "Show PIN", emoji: true },
        value: "req_01HZX",
      },
    ]);
    expect(visibleText(m)).toContain("*PIN*\nUse *Show PIN* to see it");
  });

  it("keeps the PIN and card number out of the notification text", () => {
    const m = buildAccessDetailsMessage(contractor);
    expect(m.text).toBe("Access for Ada Lovelace is ready");
  });

  it("escapes the person's name and company", () => {
    const m = buildAccessDetailsMessage({ ...contractor, personName: "<!channel>", company: "A & B" });
    for (const t of mrkdwnTexts(m)) expect(t).not.toContain("<!channel>");
    expect(visibleText(m)).toContain("*Company*\nA &amp; B");
  });
});

describe("PIN view", () => {
  it("is a modal with the PIN and only a close button", () => {
    const view = buildPinView({ personName: "Ada <Lovelace>", pin: "482913" });
    expect(view).toMatchObject({ type: "modal", callback_id: CALLBACK.pinView, title: { text: "PIN" } });
    expect(view.submit).toBeUndefined();
    expect(view.close?.text).toBe("Close");
    expect(visibleText(view)).toContain("PIN for *Ada &lt;Lovelace&gt;*: `482913`");
    expect(slackLimitViolations(view)).toEqual([]);
  });
});
