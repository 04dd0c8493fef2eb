/**
 * What a person can open, as DoorFlow decides it: group membership follows group reservations'
 * starts, ends and deactivations in time (so deleting an active one removes its groups whatever
 * else gave them), valid_from/valid_to are instants that are enforced, and a reservation brings a
 * role for its period. The clock reads Monday 1 March 2027, 09:00 in London (GMT).
 */
import { describe, expect, it } from "vitest";
import { personSchema } from "../../src/doorflow/schemas.js";
import { startTestSandbox } from "./helpers.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LOADING_DOCK = 5122;
const CAR_PARK = 5125;
const DOCK_DOOR = 1342;
const BARRIER = 1350;
const MAIN_ENTRANCE = 1340;

async function setup() {
  const t = await startTestSandbox();
  const created = await t.api("POST", "/api/3/people", {
    body: { first_name: "Connie", last_name: "Tractor", email: "connie@contract.example" },
  });
  const personId = personSchema.parse(created.json).id;
  const person = async () => personSchema.parse((await t.api("GET", `/api/3/people/${personId}`)).json);
  const book = async (start: string, end: string, groupIds = [LOADING_DOCK, CAR_PARK]) => {
    const res = await t.api("POST", "/api/3/group_reservations", {
      body: {
        group_reservation: { person_id: personId, start_time: start, end_time: end, group_ids: groupIds },
      },
    });
    expect(res.status).toBe(201);
    return res.json as { id: number; state: string };
  };
  const remove = async (id: number) =>
    expect((await t.api("DELETE", `/api/3/group_reservations/${id}`)).status).toBe(200);
  return { ...t, personId, person, book, remove };
}

describe("group membership over time", () => {
  it("deleting an active group reservation removes its groups even when an earlier one also gave them", async () => {
    const { book, remove, person, sandbox, personId } = await setup();
    const first = await book("2027-03-01T00:00:00Z", "2027-03-10T00:00:00Z");
    expect(first.state).toBe("active");
    sandbox.clock.advance(HOUR);
    // What an extension that replaces the active reservation does: create the longer one, delete the old.
    const longer = await book("2027-03-01T10:00:00Z", "2027-03-20T00:00:00Z");
    expect(longer.state).toBe("active");
    await remove(first.id);
    expect((await person()).groups).toEqual([]);
    expect(sandbox.canOpen(personId, DOCK_DOOR)).toBe(false);
  });

  it("counts the order of changes made within one clock tick", async () => {
    const { book, remove, person } = await setup();
    const first = await book("2027-03-01T00:00:00Z", "2027-03-10T00:00:00Z");
    const longer = await book("2027-03-01T00:00:00Z", "2027-03-20T00:00:00Z");
    await remove(first.id);
    expect((await person()).groups).toEqual([]);
    expect(longer.state).toBe("active");
  });

  it("keeps the groups through a reservation chained to start where the current one ends", async () => {
    const { book, remove, person, sandbox, personId } = await setup();
    await book("2027-03-01T00:00:00Z", "2027-03-05T00:00:00Z");
    const chained = await book("2027-03-05T00:00:00Z", "2027-03-12T00:00:00Z");
    expect(chained.state).toBe("pending");
    sandbox.clock.set(new Date("2027-03-05T00:00:00Z"));
    expect((await person()).groups).toEqual([LOADING_DOCK, CAR_PARK]);
    expect(sandbox.canOpen(personId, BARRIER)).toBe(true);
    sandbox.clock.set(new Date("2027-03-11T12:00:00Z"));
    expect((await person()).groups).toEqual([LOADING_DOCK, CAR_PARK]);
    sandbox.clock.set(new Date("2027-03-12T00:00:00Z"));
    expect((await person()).groups).toEqual([]);

    // Shortening before the chained one starts: deleting the pending one leaves the current one whole.
    const next = await book("2027-03-13T00:00:00Z", "2027-03-20T00:00:00Z");
    const after = await book("2027-03-20T00:00:00Z", "2027-03-27T00:00:00Z");
    sandbox.clock.set(new Date("2027-03-14T00:00:00Z"));
    await remove(after.id);
    expect((await person()).groups).toEqual([LOADING_DOCK, CAR_PARK]);
    expect(next.state).toBe("pending");
  });

  it("leaves the groups a person holds statically", async () => {
    const { api, book, remove, person, personId } = await setup();
    await api("PUT", `/api/3/people/${personId}`, { body: { group_ids: [CAR_PARK] } });
    const gr = await book("2027-03-01T00:00:00Z", "2027-03-10T00:00:00Z");
    expect((await person()).groups).toEqual([LOADING_DOCK, CAR_PARK]);
    await remove(gr.id);
    expect((await person()).groups).toEqual([CAR_PARK]);
  });
});

describe("valid_from and valid_to", () => {
  it("are enforced as instants: a bare valid_to ends access at the start of that day", async () => {
    const { api, book, sandbox, personId } = await setup();
    await book("2027-03-01T00:00:00Z", "2027-03-10T00:00:00Z");
    await api("PUT", `/api/3/people/${personId}`, {
      body: { valid_from: "2027-03-01", valid_to: "2027-03-05" },
    });
    const at = (iso: string) => sandbox.canOpen(personId, DOCK_DOOR, new Date(iso));
    expect(at("2027-03-04T23:59:00Z")).toBe(true);
    expect(at("2027-03-05T09:00:00Z")).toBe(false);
    expect(at("2027-02-28T23:59:00Z")).toBe(false);

    await api("PUT", `/api/3/people/${personId}`, {
      body: { valid_from: "2027-03-01T00:00:00+00:00", valid_to: "2027-03-05T23:59:59+00:00" },
    });
    expect(at("2027-03-05T17:00:00Z")).toBe(true);
    expect(at("2027-03-06T00:00:00Z")).toBe(false);
  });

  it("give a visitor sent valid_from = valid_to as bare dates no window at all", async () => {
    const { api, sandbox, personId } = await setup();
    await api("PUT", `/api/3/people/${personId}`, {
      body: { valid_from: "2027-03-02", valid_to: "2027-03-02" },
    });
    const booked = await api("POST", "/api/3/reservations", {
      body: {
        person_id: personId,
        start_time: "2027-03-02T09:00:00Z",
        end_time: "2027-03-02T17:00:00Z",
        channel_ids: [MAIN_ENTRANCE],
      },
    });
    expect(booked.status).toBe(201);
    expect(sandbox.canOpen(personId, MAIN_ENTRANCE, new Date("2027-03-02T10:00:00Z"))).toBe(false);
    await api("PUT", `/api/3/people/${personId}`, {
      body: { valid_from: "2027-03-02T00:00:00Z", valid_to: "2027-03-02T23:59:59Z" },
    });
    expect(sandbox.canOpen(personId, MAIN_ENTRANCE, new Date("2027-03-02T10:00:00Z"))).toBe(true);
    // The reservation opens only its doors, and only during its period.
    expect(sandbox.canOpen(personId, DOCK_DOOR, new Date("2027-03-02T10:00:00Z"))).toBe(false);
    expect(sandbox.canOpen(personId, MAIN_ENTRANCE, new Date("2027-03-02T18:00:00Z"))).toBe(false);
  });

  it("open nothing for a disabled person", async () => {
    const { api, book, sandbox, personId } = await setup();
    await book("2027-03-01T00:00:00Z", "2027-03-10T00:00:00Z");
    expect(sandbox.canOpen(personId, DOCK_DOOR)).toBe(true);
    expect(sandbox.canOpen(personId, MAIN_ENTRANCE)).toBe(false);
    await api("PUT", `/api/3/people/${personId}`, { body: { enabled: false } });
    expect(sandbox.canOpen(personId, DOCK_DOOR)).toBe(false);
  });
});

describe("a reservation's role", () => {
  it("is on the person's roles while the reservation exists, and goes with it", async () => {
    const { api, person, personId } = await setup();
    expect((await person()).roles).toEqual([]);
    const booked = await api("POST", "/api/3/reservations", {
      body: {
        person_id: personId,
        start_time: "2027-03-02T09:00:00Z",
        end_time: "2027-03-02T17:00:00Z",
        channel_ids: [MAIN_ENTRANCE],
      },
    });
    const roles = (await person()).roles;
    expect(roles).toHaveLength(1);
    await api("DELETE", `/api/3/reservations/${booked.json.id}`);
    expect((await person()).roles).toEqual([]);
  });
});

describe("the day after", () => {
  it("a group reservation that ended by itself leaves its groups", async () => {
    const { book, person, sandbox } = await setup();
    await book("2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z");
    sandbox.clock.advance(DAY);
    expect((await person()).groups).toEqual([]);
  });
});
