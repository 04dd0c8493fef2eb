import { describe, expect, it } from "vitest";
import { groupReservationSchema, personSchema } from "../../src/doorflow/schemas.js";
import { startTestSandbox } from "./helpers.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Tomas Nowak: statically in All staff (5127), Workshop (5123) and Loading dock (5122). */
const TOMASZ = 40206;
const SERVER_ROOM = 5124;
const CAR_PARK = 5125;

async function setup() {
  const t = await startTestSandbox();
  const groupsOf = async (personId: number) =>
    personSchema.parse((await t.api("GET", `/api/3/people/${personId}`)).json).groups;
  const listed = async () =>
    groupReservationSchema.array().parse((await t.api("GET", "/api/3/group_reservations")).json);
  const book = (start: string, end: string, groupIds = [SERVER_ROOM, CAR_PARK]) =>
    t.api("POST", "/api/3/group_reservations", {
      body: {
        group_reservation: { person_id: TOMASZ, start_time: start, end_time: end, group_ids: groupIds },
      },
    });
  return { ...t, groupsOf, listed, book };
}

describe("group reservations", () => {
  it("move from pending to active to deactivated with the clock, adding and removing the groups", async () => {
    const { book, groupsOf, listed, sandbox } = await setup();
    const created = await book("2027-03-02T00:00:00Z", "2027-03-05T23:59:59Z");
    expect(created.status).toBe(201);
    const gr = groupReservationSchema.parse(created.json);
    expect(gr.state).toBe("pending");
    expect(gr.group_ids).toEqual([SERVER_ROOM, CAR_PARK]);
    expect(await groupsOf(TOMASZ)).toEqual([5122, 5123, 5127]);

    sandbox.clock.advance(DAY);
    expect((await listed()).map((r) => [r.id, r.state])).toEqual([[gr.id, "active"]]);
    expect(await groupsOf(TOMASZ)).toEqual([5122, 5123, SERVER_ROOM, CAR_PARK, 5127]);

    sandbox.clock.advance(5 * DAY);
    // Over by itself: it leaves the list (present and future only) and the person its groups.
    expect(await listed()).toEqual([]);
    expect(await groupsOf(TOMASZ)).toEqual([5122, 5123, 5127]);
  });

  it("deletes a pending reservation outright", async () => {
    const { api, book, listed } = await setup();
    const gr = (await book("2027-03-10T00:00:00Z", "2027-03-20T23:59:59Z")).json;
    const res = await api("DELETE", `/api/3/group_reservations/${gr.id}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ result: "ok" });
    expect(await listed()).toEqual([]);
    expect((await api("DELETE", `/api/3/group_reservations/${gr.id}`)).status).toBe(404);
  });

  it("deactivates an active reservation on delete: the person leaves its groups at once", async () => {
    const { api, book, groupsOf, listed, sandbox } = await setup();
    const gr = (await book("2027-03-01T00:00:00Z", "2027-03-31T23:59:59Z")).json;
    expect(gr.state).toBe("active");
    expect(await groupsOf(TOMASZ)).toContain(SERVER_ROOM);

    sandbox.clock.advance(HOUR);
    expect((await api("DELETE", `/api/3/group_reservations/${gr.id}`)).status).toBe(200);
    const [after] = await listed();
    expect(after).toMatchObject({ id: gr.id, state: "deactivated", updated_at: "2027-03-01T10:00:00.000Z" });
    expect(await groupsOf(TOMASZ)).toEqual([5122, 5123, 5127]);

    // A repeated delete (a client retrying after a lost answer) changes nothing.
    expect((await api("DELETE", `/api/3/group_reservations/${gr.id}`)).json).toEqual({ result: "ok" });
    expect((await listed())[0]?.state).toBe("deactivated");
  });

  it("keeps a group the person also holds statically", async () => {
    const { api, book, groupsOf } = await setup();
    const gr = (await book("2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z", [5123, SERVER_ROOM])).json;
    await api("DELETE", `/api/3/group_reservations/${gr.id}`);
    expect(await groupsOf(TOMASZ)).toEqual([5122, 5123, 5127]);
  });

  it("lists by updated_at with since_utc, counting the moves DoorFlow makes by itself", async () => {
    const { api, book, sandbox } = await setup();
    const early = (await book("2027-03-01T12:00:00Z", "2027-03-09T00:00:00Z")).json;
    const later = (await book("2027-03-08T00:00:00Z", "2027-03-09T00:00:00Z")).json;
    sandbox.clock.advance(4 * HOUR);
    const since = await api("GET", "/api/3/group_reservations?since_utc=2027-03-01T11:00:00Z");
    expect(since.json.map((r: { id: number }) => r.id)).toEqual([early.id]);
    expect(since.json[0].updated_at).toBe("2027-03-01T12:00:00.000Z");
    expect(later.state).toBe("pending");
  });

  it("insists on DoorFlow's group_reservation wrapper, known groups and an end in the future", async () => {
    const { api, book } = await setup();
    const bare = await api("POST", "/api/3/group_reservations", {
      body: {
        person_id: TOMASZ,
        start_time: "2027-03-02T00:00:00Z",
        end_time: "2027-03-03T00:00:00Z",
        group_ids: [5121],
      },
    });
    expect(bare.status).toBe(422);
    expect(bare.json).toEqual({
      error: "Validation failed: Group reservation is missing",
      errors: { group_reservation: ["is missing"] },
    });
    const past = await book("2027-02-01T00:00:00Z", "2027-02-28T23:59:59Z", [9999]);
    expect(past.status).toBe(422);
    expect(past.json.errors).toEqual({
      end_time: ["must be in the future"],
      group_ids: ["contains an unknown group: 9999"],
    });
  });
});
