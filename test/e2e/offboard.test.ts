/**
 * `/offboard <email | @user>` end to end: signed requests to the real bot, the Slack stand-in and
 * the DoorFlow sandbox. The preview goes to the operator alone, never shows a PIN, and "Offboard
 * now" disables the person, ends their access, checks it and asks facilities for the card.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import { addDays, localDateOf, zonedInstant } from "../../src/lib/time.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION } from "../../src/slack/ids.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
beforeAll(async () => {
  s = await startTestStory({
    catchUp: false,
    doorflowRetry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 500 },
  });
});
afterAll(async () => {
  await s.close();
});

const person = (local: string) => {
  const p = s.doorflow.sandbox.state.people.find((x) => x.email === `${local}@harbourside.example`);
  if (!p) throw new Error(`no sandbox person ${local}`);
  return p;
};

/** Runs /offboard and returns the one reply, which must be ephemeral, and the message it left. */
async function offboard(userId: string, text: string) {
  const before = s.slack.callsTo("response_url").length;
  await s.driver.command({ command: "/offboard", text, userId });
  await s.gatehouse.idle();
  const replies = s.slack.callsTo("response_url").slice(before);
  expect(replies).toHaveLength(1);
  expect(replies[0]?.args.response_type).toBe("ephemeral");
  const message = s.slack
    .messages()
    .filter((m) => m.ephemeralTo === userId)
    .at(-1);
  return { json: JSON.stringify(replies[0]?.args), message };
}

/** Everything Slack was asked to show (texts and blocks), to look for what must never appear. */
const shownInSlack = () =>
  s.slack.calls.map((c) => JSON.stringify({ text: c.args.text, blocks: c.args.blocks, view: c.args.view }));

describe("/offboard", () => {
  it("previews a person to the operator alone, then offboards them now, verified", async () => {
    const amelia = person("amelia.hart");
    const tz = s.gatehouse.timeZone;
    const tomorrow = addDays(localDateOf(new Date(), tz), 1);
    await s.gatehouse.doorflow.createGroupReservation({
      personId: amelia.id,
      startTime: new Date(Date.now() - 60_000),
      endTime: new Date(Date.now() + 7 * 86_400_000),
      groupIds: [5121, 5124],
    });
    await s.gatehouse.doorflow.createReservation({
      personId: amelia.id,
      startTime: zonedInstant(tomorrow, "09:00", tz),
      endTime: zonedInstant(tomorrow, "10:00", tz),
      channelIds: [1340],
    });

    const preview = await offboard(
      CAST.operator.id,
      "<mailto:amelia.hart@harbourside.example|amelia.hart@harbourside.example>",
    );
    expect(preview.json).toContain("Amelia Hart");
    expect(preview.json).toContain("40010001");
    expect(preview.json).toContain("PIN");
    expect(preview.json).toContain("Server room");
    expect(preview.json).toContain("Main entrance");
    expect(preview.json).toContain("Enabled");
    expect(preview.json).toContain(ACTION.offboardNow);
    expect(preview.json).toContain(ACTION.offboardSchedule);
    expect(preview.json).toContain('"confirm"');
    expect(amelia.enabled).toBe(true);

    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardNow,
      message: { ts: preview.message?.ts ?? "", channel: preview.message?.channel ?? "" },
    });
    await s.gatehouse.idle();

    expect(person("amelia.hart").enabled).toBe(false);
    const groupReservations = s.doorflow.sandbox.state.groupReservations.filter(
      (g) => g.personId === amelia.id,
    );
    expect(groupReservations).toHaveLength(1);
    expect(groupReservations[0]?.deactivatedAt).not.toBeNull();
    expect(s.doorflow.sandbox.state.reservations.filter((r) => r.personId === amelia.id)).toHaveLength(0);
    // Never deleted.
    expect(person("amelia.hart").deleted).toBe(false);
    expect(s.doorflow.sandbox.calls.some((c) => c.method === "POST" && c.path === "/api/3/sync")).toBe(true);

    // The preview itself now says what happened, and offers no button to click twice.
    const replaced = s.slack.messages().find((m) => m.ts === preview.message?.ts);
    const outcome = JSON.stringify(replaced?.blocks);
    expect(outcome).toContain("Amelia Hart is offboarded");
    expect(outcome).toContain("1 group reservation and 1 reservation ended");
    expect(outcome).not.toContain(ACTION.offboardNow);

    const facilities = s.slack.messages(CHANNELS.facilities);
    expect(facilities).toHaveLength(1);
    expect(JSON.stringify(facilities[0])).toContain("40010001");
    // Amelia's PIN is 4821: not in the preview, the outcome, the facilities reminder or anything else.
    for (const shown of shownInSlack()) expect(shown).not.toMatch(/(^|\D)4821(\D|$)/);

    const audit = listAuditFor(s.gatehouse.db, { doorflowPersonId: amelia.id });
    expect(audit.map((a) => a.action)).toContain("offboard.completed");
  });

  it("refuses someone who is not an operator, on the command and on the button", async () => {
    const refused = await offboard(CAST.requester.id, "priya.shah@harbourside.example");
    expect(refused.json).toContain("Only Gatehouse operators");
    expect(refused.json).not.toContain("Priya");

    const preview = await offboard(CAST.operator.id, "priya.shah@harbourside.example");
    const repliesBefore = s.slack.callsTo("response_url").length;
    // The preview's button, clicked by someone else (a forwarded payload, a stale operator list).
    await s.driver.blockAction({
      userId: CAST.requester.id,
      actionId: ACTION.offboardNow,
      value: String(person("priya.shah").id),
      message: { ts: preview.message?.ts ?? "", channel: preview.message?.channel ?? "" },
    });
    await s.gatehouse.idle();
    expect(person("priya.shah").enabled).toBe(true);
    const answer = s.slack.callsTo("response_url").slice(repliesBefore);
    expect(answer).toHaveLength(1);
    expect(answer[0]?.args.replace_original).toBe(false);
    expect(JSON.stringify(answer[0]?.args)).toContain("Only Gatehouse operators");

    // Cancel takes the preview away.
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardCancel,
      message: { ts: preview.message?.ts ?? "", channel: preview.message?.channel ?? "" },
    });
    await s.gatehouse.idle();
    expect(s.slack.messages().some((m) => m.ts === preview.message?.ts)).toBe(false);
    expect(person("priya.shah").enabled).toBe(true);
  });

  it("asks DoorFlow nothing for a button value that is no person id", async () => {
    const calls = s.doorflow.sandbox.calls.length;
    const preview = await offboard(CAST.operator.id, "priya.shah@harbourside.example");
    const afterPreview = s.doorflow.sandbox.calls.length;
    expect(afterPreview).toBeGreaterThan(calls);
    await s.driver.blockAction({
      userId: CAST.operator.id,
      actionId: ACTION.offboardNow,
      value: "not-a-person",
      message: { ts: preview.message?.ts ?? "", channel: preview.message?.channel ?? "" },
    });
    await s.gatehouse.idle();
    expect(s.doorflow.sandbox.calls.slice(afterPreview).map((c) => c.path)).toEqual([]);
    expect(person("priya.shah").enabled).toBe(true);
  });

  it("takes only the exact email, lists several people with the same one, and says when nobody has it", async () => {
    // DoorFlow's filter for sam.lee@ also returns sam.leeson@: only Sam Lee is shown.
    const exact = await offboard(CAST.operator.id, "Sam.Lee@harbourside.example");
    expect(exact.json).toContain("Sam Lee");
    expect(exact.json).not.toContain("Leeson");

    // An imported account can hold two people with one email.
    const oliver = person("oliver.bennett");
    s.doorflow.sandbox.state.people.push({
      ...oliver,
      id: s.doorflow.sandbox.state.nextIds.person++,
      firstName: "Olly",
      systemId: null,
    });
    const several = await offboard(CAST.operator.id, "oliver.bennett@harbourside.example");
    expect(several.json).toContain("2 DoorFlow people have the email oliver.bennett@harbourside.example");
    expect(several.json).toContain("Oliver Bennett");
    expect(several.json).toContain("Olly Bennett");
    expect(several.json).not.toContain(ACTION.offboardNow);

    const none = await offboard(CAST.operator.id, "sam.le@harbourside.example");
    expect(none.json).toContain("No DoorFlow person has the email sam.le@harbourside.example");
    expect(none.json).not.toContain(ACTION.offboardNow);
  });

  it("resolves @user to the Slack account's email, and says when Slack has none", async () => {
    s.slack.workspace.users.set("U0LEAVER01", {
      id: "U0LEAVER01",
      name: "grace",
      realName: "Grace Okafor",
      email: "Grace.Okafor@harbourside.example",
    });
    s.slack.workspace.users.set("U0NOEMAIL1", { id: "U0NOEMAIL1", name: "ghost" });
    const before = s.slack.callsTo("users.info").length;
    const found = await offboard(CAST.operator.id, "<@U0LEAVER01|grace>");
    expect(
      s.slack
        .callsTo("users.info")
        .slice(before)
        .map((c) => c.args.user),
    ).toEqual(["U0LEAVER01"]);
    expect(found.json).toContain("Grace Okafor");
    expect(found.json).toContain("grace.okafor@harbourside.example");
    expect(found.json).toContain(ACTION.offboardNow);

    const noEmail = await offboard(CAST.operator.id, "<@U0NOEMAIL1>");
    expect(noEmail.json).toContain("Slack has no email address for <@U0NOEMAIL1>");
  });

  it("answers help, and help for anything it does not know", async () => {
    const help = await offboard(CAST.operator.id, "help");
    expect(help.json).toContain("/offboard bulk");
    expect((await offboard(CAST.operator.id, "frobnicate")).json).toBe(help.json);
    expect((await offboard(CAST.operator.id, "")).json).toBe(help.json);
  });
});
