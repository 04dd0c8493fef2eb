/** App Home, fast: published on app_home_opened and refreshed (debounced) after changes, with Slack answered by msw. */
import { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWorkTracker } from "../../../src/lib/work.js";
import { registerAppHome } from "../../../src/slack/listeners/events/app-home.js";
import { createHomeRefresher } from "../../../src/wiring/home-refresher.js";
import { server } from "../../mocks/server.js";
import { slackCalls } from "../../mocks/slack.js";
import { addContractor } from "../../helpers/records.js";
import { createListenerHarness, createUnitWorld, ROLE, type UnitWorld } from "../../helpers/unit.js";

let w: UnitWorld;
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  w = createUnitWorld();
});
afterEach(() => {
  w.close();
  server.resetHandlers();
  slackCalls.reset();
});
afterAll(() => server.close());

function homeOpened(userId: string, tab: "home" | "messages"): Record<string, unknown> {
  return {
    type: "event_callback",
    team_id: "T0TEST",
    api_app_id: "A0TEST",
    event_id: `Ev${tab}${userId}`,
    event_time: 1_700_000_000,
    event: { type: "app_home_opened", user: userId, channel: "D0DM", tab, event_ts: "1700000000.1" },
  };
}

describe("App Home", () => {
  it("is published for the Home tab with what the user may see, and not for the Messages tab", async () => {
    addContractor(w.t.db, { firstName: "Mine", lastName: "Only" });
    const h = createListenerHarness(w.deps, registerAppHome);
    await h.deliver(homeOpened(ROLE.requester, "messages"));
    expect(slackCalls.of("views.publish")).toEqual([]);
    await h.deliver(homeOpened(ROLE.requester, "home"));
    const [published] = slackCalls.of("views.publish");
    expect(published).toMatchObject({ user_id: ROLE.requester, view: { type: "home" } });
    expect(JSON.stringify(published?.view)).toContain("Mine Only");
  });

  it("is refreshed once per user for changes close together", async () => {
    const work = createWorkTracker();
    const client = new webApi.WebClient("xoxb-unit", { retryConfig: { retries: 0 } });
    const refresh = createHomeRefresher(w.deps, work, client, 20);
    refresh([ROLE.approver, ROLE.requester]);
    refresh([ROLE.requester, ""]);
    await work.drain(5_000);
    const users = slackCalls.of("views.publish").map((a) => a.user_id);
    expect(users.sort()).toEqual([ROLE.approver, ROLE.requester].sort());
  });
});
