/**
 * The real DoorFlowClient against the sandbox through undici's MockAgent: every answer must parse
 * with the client's schemas and satisfy how the client calls each endpoint.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { staticTokenAuth } from "../../src/doorflow/auth.js";
import { DoorFlowClient } from "../../src/doorflow/client.js";
import type { DoorFlowError } from "../../src/doorflow/errors.js";
import { DoorFlowSandbox } from "../../tools/sandbox/doorflow/sandbox.js";
import type { DoorFlowSandboxOptions } from "../../tools/sandbox/doorflow/types.js";
import { createDoorFlowMockAgent, DOORFLOW_TEST_ORIGIN } from "../mocks/doorflow.js";
import { MONDAY_1_MARCH_2027 } from "./helpers.js";

function setup(options: DoorFlowSandboxOptions = {}) {
  const sandbox = new DoorFlowSandbox({ now: MONDAY_1_MARCH_2027, ...options });
  const agent = createDoorFlowMockAgent(sandbox);
  const client = new DoorFlowClient({
    baseUrl: DOORFLOW_TEST_ORIGIN,
    auth: staticTokenAuth("sandbox"),
    dispatcher: agent,
    sleep: async () => {},
  });
  onTestFinished(() => agent.close());
  return { sandbox, client };
}

async function failure(promise: Promise<unknown>): Promise<DoorFlowError> {
  return (await promise.then(
    () => expect.fail("expected the call to fail"),
    (error: unknown) => error,
  )) as DoorFlowError;
}

describe("DoorFlowClient against the sandbox", () => {
  it("provisions a contractor: person, card, generated PIN, group reservation, sync", async () => {
    const { sandbox, client } = setup();
    const types = await client.listCredentialTypes();
    const card = types.find((t) => t.slug === "card_number")!;
    const pin = types.find((t) => t.slug === "pin")!;
    expect([card.id, pin.id]).toEqual([
      sandbox.credentialTypeId("card_number"),
      sandbox.credentialTypeId("pin"),
    ]);
    const groups = await client.listGroups();
    expect(groups.map((g) => g.name)).toContain("Loading dock");

    const person = await client.createPerson({
      first_name: "Bob",
      last_name: "Builder",
      email: "bob@contractor.example",
      system_id: "gh-req-1",
      valid_from: "2027-03-01",
      valid_to: "2027-05-31",
    });
    const cardCred = await client.createCredential(person.id, {
      credentialTypeId: card.id,
      value: "9876543210",
    });
    const pinCred = await client.createCredential(person.id, { credentialTypeId: pin.id, value: "******" });
    expect(pinCred.value).toMatch(/^\d{6}$/);
    // A repeat of the same card is answered 409 with the existing credential, which the client accepts.
    expect(
      await client.createCredential(person.id, { credentialTypeId: card.id, value: "9876543210" }),
    ).toEqual(cardCred);

    const gr = await client.createGroupReservation({
      personId: person.id,
      startTime: new Date("2027-03-01T09:00:00Z"),
      endTime: new Date("2027-05-31T22:59:59Z"),
      groupIds: [5122, 5123],
    });
    expect(gr.state).toBe("active");
    expect((await client.getPerson(person.id)).groups).toEqual([5122, 5123]);
    expect(await client.listGroupReservations({ personId: person.id })).toEqual([gr]);

    expect(await client.requestSync()).toEqual({ status: "requested" });
    expect(await client.requestSync()).toEqual({ status: "rate_limited", retryInSeconds: 30 });
    expect(sandbox.personBySystemId("gh-req-1")?.validTo).toBe("2027-05-31");
  });

  it("offboards: disables the person (201) and deactivates the group reservation", async () => {
    const { client } = setup();
    const [sam] = await client.findPeopleByEmail("sam.lee@harbourside.example");
    const gr = await client.createGroupReservation({
      personId: sam!.id,
      startTime: new Date("2027-03-01T00:00:00Z"),
      endTime: new Date("2027-03-10T00:00:00Z"),
      groupIds: [5124],
    });
    const disabled = await client.updatePerson(sam!.id, { enabled: false });
    expect(disabled.enabled).toBe(false);
    await client.deleteGroupReservation(gr.id);
    expect((await client.getGroupReservation(gr.id))?.state).toBe("deactivated");
    expect((await client.getPerson(sam!.id)).groups).not.toContain(5124);
  });

  it("reads every page of people (100 at a time) and finds by email among partial matches", async () => {
    const { client } = setup();
    for (let i = 0; i < 95; i++) await client.createPerson({ first_name: "Temp", last_name: `${i}` });
    expect(await client.listPeople()).toHaveLength(115);
    const found = await client.findPeopleByEmail("SAM.LEE@harbourside.example");
    expect(found.map((p) => p.email)).toEqual(["sam.lee@harbourside.example"]);
  });

  it("surfaces the same-day rule as a validation error naming end_time", async () => {
    const { client } = setup({ timeZone: "America/New_York" });
    const error = await failure(
      client.createReservation({
        personId: 40201,
        startTime: new Date("2027-03-14T22:00:00Z"),
        endTime: new Date("2027-03-15T04:30:00Z"),
        channelIds: [1340],
      }),
    );
    expect(error.code).toBe("doorflow_validation");
    expect(error.fieldErrors.end_time?.[0]).toMatch(/same day/);
  });

  it("does not create a second person when the answer to the first create was dropped", async () => {
    const { sandbox, client } = setup();
    sandbox.faults.add({ method: "POST", path: "/api/3/people", drop: true, times: 1 });
    const person = await client.createPerson({ first_name: "Drop", last_name: "Ped", system_id: "gh-drop" });
    expect(person.system_id).toBe("gh-drop");
    expect(sandbox.state.people.filter((p) => p.systemId === "gh-drop")).toHaveLength(1);
    expect(sandbox.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      "POST /api/3/people 0",
      "GET /api/3/people 200",
    ]);
  });

  it("retries a gateway error and reports a broken body as a bad response", async () => {
    const { sandbox, client } = setup();
    sandbox.faults.add({ path: "/api/3/account", status: 503, times: 2 });
    expect((await client.getAccount()).name).toBe("Harbourside Works Ltd");
    expect(sandbox.calls.map((c) => c.status)).toEqual([503, 503, 200]);

    sandbox.faults.add({ path: "/api/3/groups", status: 200, body: "{oops", times: 1 });
    expect((await failure(client.listGroups())).code).toBe("doorflow_bad_response");
  });

  it("reports a refused token as unauthorized", async () => {
    const sandbox = new DoorFlowSandbox({ now: MONDAY_1_MARCH_2027, token: "other" });
    const agent = createDoorFlowMockAgent(sandbox);
    onTestFinished(() => agent.close());
    const client = new DoorFlowClient({
      baseUrl: DOORFLOW_TEST_ORIGIN,
      auth: staticTokenAuth("sandbox"),
      dispatcher: agent,
    });
    const error = await failure(client.getAccount());
    expect(error).toMatchObject({ code: "doorflow_unauthorized", status: 401, error: "invalid_token" });
  });
});
