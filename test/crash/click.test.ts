/**
 * The bot process killed (SIGKILL) around Approve clicks, then restarted on the same database: right
 * after a click was acknowledged, and while a click was still being authorised (Slack then shows the
 * approver an error, and they click again). No acknowledged click is lost, nobody gets access twice
 * or the card and PIN twice, and every approval message ends up saying who approved.
 */
import { describe, expect, it } from "vitest";
import { clickScenario } from "./scenarios.js";
import { expectSurvivesKills } from "./support.js";

describe("crash around an approval click", () => {
  it(
    "decides every acknowledged click, after kills just after and just before acknowledging",
    { timeout: 90_000 },
    async () => {
      const run = await expectSurvivesKills(() => clickScenario(4), {
        plans: [
          { on: "ack", atCall: 1, delayMs: 0 },
          { on: "slack", method: "usergroups.users.list", atCall: 1, delayMs: 0 },
          { on: "ack", atCall: 2, delayMs: 0 },
        ],
      });
      expect(run.requests).toBe(4);
    },
  );
});
