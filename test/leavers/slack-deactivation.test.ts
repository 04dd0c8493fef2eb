/**
 * A deactivated Slack account whose email still opens doors: `user_change` events signed as Slack
 * sends them, to the real bot, with the DoorFlow sandbox and the Slack stand-in.
 */
import { afterEach, describe, expect, it } from "vitest";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION } from "../../src/slack/ids.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

async function start(mode?: "alert" | "auto"): Promise<TestStory> {
  s = await startTestStory({ catchUp: false, env: mode ? { SLACK_DEACTIVATION_OFFBOARD: mode } : {} });
  return s;
}

/** Events are acknowledged before the listener runs: wait for the listener's own log line. */
async function handled(story: TestStory, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  const seen = () => story.logLines.filter((l) => l.includes("user_change handled")).length;
  while (seen() < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await story.gatehouse.idle();
}

const userChange = (
  story: TestStory,
  local: string,
  deleted: boolean,
  extra: Record<string, unknown> = {},
) => {
  const count = story.logLines.filter((l) => l.includes("user_change handled")).length + 1;
  return story.driver
    .event({
      type: "user_change",
      user: {
        id: "U0LEAVER01",
        team_id: "T0GATEHSE1",
        name: local,
        deleted,
        real_name: "Ella Watson",
        updated: Math.floor(Date.now() / 1000),
        profile: { email: `${local}@harbourside.example`, real_name: "Ella Watson", ...extra },
      },
      cache_ts: Math.floor(Date.now() / 1000),
      event_ts: `${Date.now() / 1000}`,
    })
    .then(async (answer) => {
      await handled(story, count);
      return answer;
    });
};

const securityPosts = (story: TestStory) =>
  story.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.security);
const person = (story: TestStory, local: string) =>
  story.doorflow.sandbox.state.people.find((p) => p.email === `${local}@harbourside.example`);

describe("Slack user_change", () => {
  it("alerts once, naming the card and groups, with Offboard now for operators; access stays until they click", async () => {
    const story = await start();
    const before = securityPosts(story).length;
    const answer = await userChange(story, "ella.watson", true);
    expect(answer.status).toBe(200);
    const posts = securityPosts(story).slice(before);
    expect(posts).toHaveLength(1);
    const json = JSON.stringify(posts[0]?.args);
    expect(json).toContain("Slack account deactivated: Ella Watson still has door access");
    expect(json).toContain("card 40010012");
    expect(json).toContain("groups ");
    expect(json).not.toContain("3315"); // Ella's PIN
    expect(json).toContain(ACTION.offboardNow);
    const ella = person(story, "ella.watson");
    expect(ella?.enabled).toBe(true);

    // Slack retries, and later edits of the deactivated account: still one alert.
    await userChange(story, "ella.watson", true);
    await userChange(story, "ella.watson", true, { title: "Former engineer" });
    expect(securityPosts(story).slice(before)).toHaveLength(1);

    const alert = story.slack.messages(CHANNELS.security).at(-1);
    await story.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardNow,
      value: String(ella?.id),
      message: { ts: alert?.ts ?? "", channel: CHANNELS.security },
    });
    await story.gatehouse.idle();
    expect(ella?.enabled).toBe(false);
  });

  it("alerts again for a second deactivation after the account came back, and stays quiet without door access", async () => {
    const story = await start();
    const before = securityPosts(story).length;
    await userChange(story, "ella.watson", true);
    await userChange(story, "ella.watson", false);
    await userChange(story, "ella.watson", true);
    expect(securityPosts(story).slice(before)).toHaveLength(2);

    // Chloe Dubois is already disabled in DoorFlow; nobody at all has the third address.
    await userChange(story, "chloe.dubois", true);
    await userChange(story, "no.such.person", true);
    expect(securityPosts(story).slice(before)).toHaveLength(2);
  });

  it("offboards at once and reports it with SLACK_DEACTIVATION_OFFBOARD=auto", async () => {
    const story = await start("auto");
    const before = securityPosts(story).length;
    await userChange(story, "ella.watson", true);
    await userChange(story, "ella.watson", true);
    const ella = person(story, "ella.watson");
    expect(ella?.enabled).toBe(false);
    const posts = securityPosts(story).slice(before);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]?.args)).toContain("Slack: Ella Watson offboarded");
    expect(JSON.stringify(posts[0]?.args)).not.toContain(ACTION.offboardNow);
    const done = listAuditFor(story.gatehouse.db, { doorflowPersonId: ella?.id ?? 0 }).filter(
      (a) => a.action === "offboard.completed",
    );
    expect(done.map((a) => a.actor)).toEqual(["slack"]);
  });
});
