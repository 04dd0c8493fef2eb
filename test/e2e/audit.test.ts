/** `/contractor audit <email>`: an operator sees a person's whole history; nobody else does; no PIN in it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDateOf } from "../../src/lib/time.js";
import { CAST } from "../../tools/sandbox/story.js";
import { provisionContractor } from "../helpers/flows.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

let s: TestStory;
beforeAll(async () => {
  s = await startTestStory();
});
afterAll(async () => {
  await s.close();
});

describe("/contractor audit", () => {
  it("shows request, decision and each provisioning step to operators only", async () => {
    const today = localDateOf(new Date(), s.gatehouse.timeZone);
    const id = await provisionContractor(s, {
      firstName: "Aud",
      lastName: "It",
      email: "aud.it@trail.example",
      company: "Trail",
      groupIds: [5121],
      startDate: today,
      endDate: addDays(today, 9),
      credential: "card",
      cardNumber: "31415926",
    });

    const reply = async (userId: string) => {
      const before = s.slack.callsTo("response_url").length;
      await s.driver.command({ command: "/contractor", text: "audit aud.it@trail.example", userId });
      await s.gatehouse.idle();
      return JSON.stringify(
        s.slack
          .callsTo("response_url")
          .slice(before)
          .map((c) => c.args),
      );
    };
    const history = await reply(CAST.operator.id);
    for (const action of [
      "request.created",
      "request.approved",
      "provision.person_created",
      "provision.credentials",
      "provision.group_reservation",
      "provision.completed",
    ]) {
      expect(history).toContain(action);
    }
    const person = s.doorflow.sandbox.personBySystemId(id);
    const pin = s.doorflow.sandbox.state.credentials.find(
      (c) => c.personId === person?.id && c.credentialTypeId === s.doorflow.sandbox.credentialTypeId("pin"),
    )?.value;
    expect(pin).toBeTruthy();
    expect(history).not.toContain(pin);
    expect(await reply(CAST.requester.id)).toContain("Only operators");
  });
});
