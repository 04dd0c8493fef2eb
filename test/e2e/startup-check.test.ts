/** The self-check at start: a fatal problem stops the start; a warning is posted to security once, not again on restart. */
import { afterEach, describe, expect, it } from "vitest";
import { CHANNELS } from "../../tools/sandbox/story.js";
import { SelfCheckFailed } from "../../src/wiring/self-check.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const stories: TestStory[] = [];
afterEach(async () => {
  for (const s of stories.splice(0).reverse()) await s.close();
});

describe("start-up self-check", () => {
  it("says which leaver sources are on", async () => {
    const off = await startTestStory({ catchUp: false });
    stories.push(off);
    const line = (s: TestStory) => s.logLines.find((l) => l.includes("self-check: leaver sources")) ?? "";
    expect(line(off)).toContain("HR webhook POST /webhooks/hr off (set HR_WEBHOOK_SECRET)");
    expect(line(off)).toContain("SCIM /scim/v2 off (set SCIM_TOKEN)");
    expect(line(off)).toContain("Slack deactivation on (alert: operators decide)");
    const on = await startTestStory({
      catchUp: false,
      env: {
        HR_WEBHOOK_SECRET: "hr-secret-0123456789",
        SCIM_TOKEN: "scim-token-0123456789",
        SLACK_DEACTIVATION_OFFBOARD: "auto",
      },
    });
    stories.push(on);
    expect(line(on)).toContain("HR webhook POST /webhooks/hr on;");
    expect(line(on)).toContain("SCIM /scim/v2 on;");
    expect(line(on)).toContain("Slack deactivation on (auto: offboards at once)");
    expect(on.logLines.join("\n")).not.toContain("hr-secret-0123456789");
  });

  it("refuses to start when the approval channel does not exist", async () => {
    await expect(startTestStory({ env: { APPROVAL_CHANNEL_ID: "C0NOSUCH1" } })).rejects.toBeInstanceOf(
      SelfCheckFailed,
    );
    await expect(startTestStory({ env: { APPROVAL_CHANNEL_ID: "C0NOSUCH1" } })).rejects.toThrow(
      /APPROVAL_CHANNEL_ID/,
    );
  });

  it("starts with a missing facilities channel, warning the security channel once across restarts", async () => {
    const first = await startTestStory({ env: { FACILITIES_CHANNEL_ID: "C0NOSUCH2" } });
    stories.push(first);
    await first.gatehouse.idle();
    const warnings = () =>
      first.slack
        .callsTo("chat.postMessage")
        .filter(
          (c) =>
            c.args.channel === CHANNELS.security && JSON.stringify(c.args).includes("FACILITIES_CHANNEL_ID"),
        );
    await first.slack.waitFor("chat.postMessage", (a) => a.channel === CHANNELS.security);
    expect(warnings()).toHaveLength(1);
    expect(first.logLines.some((l) => l.includes("self-check") && l.includes("C0NOSUCH2"))).toBe(true);
    await first.stopBot();
    const second = await startTestStory({
      sandbox: first.doorflow,
      slack: first.slack,
      databaseFile: first.databaseFile,
      env: { FACILITIES_CHANNEL_ID: "C0NOSUCH2" },
    });
    stories.push(second);
    await second.gatehouse.idle();
    await new Promise((r) => setTimeout(r, 100));
    expect(warnings()).toHaveLength(1);
  });
});
