import { describe, expect, it } from "vitest";
import { SLACK_LIMITS } from "../../../src/slack/views/limits.js";
import { clamp, escapeMrkdwn, linesToSections, mrkdwn, mention } from "../../../src/slack/views/text.js";

describe("mrkdwn text", () => {
  it("escapes &, < and > so user text cannot become a mention or a link", () => {
    expect(escapeMrkdwn("<!channel> & <@U1> > x")).toBe("&lt;!channel&gt; &amp; &lt;@U1&gt; &gt; x");
  });

  it("mrkdwn escapes literals and strings but keeps mentions and formatting", () => {
    const name = "<!here> Bob";
    expect(mrkdwn`*${name}* asked by ${mention("U123ABC")} via /contractor status <email>`.value).toBe(
      "*&lt;!here&gt; Bob* asked by <@U123ABC> via /contractor status &lt;email&gt;",
    );
  });

  it("mention refuses what is not a Slack user id", () => {
    expect(mention("<!channel>").value).toBe("&lt;!channel&gt;");
    expect(mention("W0123").value).toBe("<@W0123>");
  });

  it("clamp never cuts through an entity or a mention", () => {
    expect(clamp("abcdef", 10)).toBe("abcdef");
    expect(clamp("abc&amp;def", 6)).toBe("abc…");
    expect(clamp("hi <@U12345> there", 8)).toBe("hi …");
    expect(clamp("x".repeat(20), 10)).toHaveLength(10);
  });

  it("packs lines into sections under the text limit and reports how many fit", () => {
    const lines = Array.from({ length: 100 }, (_, i) => mrkdwn`${"line " + i + " " + "x".repeat(190)}`);
    const all = linesToSections(lines, 50);
    expect(all.shown).toBe(100);
    expect(all.blocks.length).toBeLessThan(15);
    for (const b of all.blocks) expect(b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const few = linesToSections(lines, 2);
    expect(few.blocks).toHaveLength(2);
    expect(few.shown).toBe(few.blocks.map((b) => b.text!.text.split("\n").length).reduce((a, b) => a + b));
    expect(few.shown).toBeLessThan(100);
  });
});
