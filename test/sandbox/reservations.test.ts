import { describe, expect, it } from "vitest";
import { reservationSchema } from "../../src/doorflow/schemas.js";
import { startTestSandbox } from "./helpers.js";

/** Instants are written out in UTC so the expectations do not lean on the code under test. */
interface Case {
  name: string;
  start: string;
  end: string;
  sameDay: boolean;
}

const ZONES: Array<{ zone: string; now: string; cases: Case[] }> = [
  {
    zone: "Europe/London",
    now: "2027-03-20T09:00:00.000Z",
    cases: [
      // 28 March 2027 has 23 hours: the clocks go forward at 01:00 GMT.
      {
        name: "the whole 23-hour spring-forward day",
        start: "2027-03-28T00:00:00Z",
        end: "2027-03-28T22:59:59Z",
        sameDay: true,
      },
      {
        name: "22:00 to 00:30 BST across midnight (one UTC day)",
        start: "2027-03-28T21:00:00Z",
        end: "2027-03-28T23:30:00Z",
        sameDay: false,
      },
      {
        name: "ending at the next local midnight",
        start: "2027-03-28T08:00:00Z",
        end: "2027-03-28T23:00:00Z",
        sameDay: false,
      },
      // 31 October 2027 has 25 hours: the clocks go back at 02:00 BST.
      {
        name: "the whole 25-hour fall-back day (two UTC days)",
        start: "2027-10-30T23:00:00Z",
        end: "2027-10-31T23:59:59Z",
        sameDay: true,
      },
      {
        name: "23:30 BST on the 30th to 00:30 on the 31st",
        start: "2027-10-30T22:30:00Z",
        end: "2027-10-30T23:30:00Z",
        sameDay: false,
      },
    ],
  },
  {
    zone: "America/New_York",
    now: "2027-03-10T15:00:00.000Z",
    cases: [
      // 14 March 2027: EST (-05:00) until 02:00, then EDT (-04:00).
      {
        name: "the whole spring-forward day",
        start: "2027-03-14T05:00:00Z",
        end: "2027-03-15T03:59:59Z",
        sameDay: true,
      },
      {
        name: "ending at the next local midnight",
        start: "2027-03-14T05:00:00Z",
        end: "2027-03-15T04:00:00Z",
        sameDay: false,
      },
      {
        name: "an evening that is two UTC days",
        start: "2027-03-14T22:00:00Z",
        end: "2027-03-15T02:00:00Z",
        sameDay: true,
      },
      // 7 November 2027: EDT until 02:00, then EST.
      {
        name: "the whole fall-back day",
        start: "2027-11-07T04:00:00Z",
        end: "2027-11-08T04:59:59Z",
        sameDay: true,
      },
      {
        name: "20:00 to 01:00 across midnight",
        start: "2027-11-08T01:00:00Z",
        end: "2027-11-08T06:00:00Z",
        sameDay: false,
      },
    ],
  },
];

describe.each(ZONES)("the same-day rule in $zone", ({ zone, now, cases }) => {
  it.each(cases)("$name", async ({ start, end, sameDay }) => {
    const { api } = await startTestSandbox({ timeZone: zone, now: new Date(now) });
    const res = await api("POST", "/api/3/reservations", {
      body: { person_id: 40201, start_time: start, end_time: end, channel_ids: [1340] },
    });
    if (sameDay) {
      expect(res.status).toBe(201);
      const reservation = reservationSchema.parse(res.json);
      expect(Date.parse(reservation.start_time)).toBe(Date.parse(start));
      expect(Date.parse(reservation.end_time)).toBe(Date.parse(end));
    } else {
      expect(res.status).toBe(422);
      // The spec's UnprocessableEntityError: the message in `error`, no error_description.
      expect(res.json.error).toMatch(/^Validation failed: End time must be on the same day/);
      expect(res.json.error_description).toBeUndefined();
      expect(res.json.errors.end_time[0]).toMatch(new RegExp(`same day as start_time.*${zone}`));
    }
  });
});

describe("reservations", () => {
  it("reads a time without an offset as wall-clock time in the account zone", async () => {
    const { api } = await startTestSandbox({
      timeZone: "Europe/London",
      now: new Date("2027-06-01T08:00:00Z"),
    });
    const res = await api("POST", "/api/3/reservations", {
      body: {
        person_id: 40201,
        start_time: "2027-06-02T09:00:00",
        end_time: "2027-06-02T17:30",
        channel_ids: [1340],
      },
    });
    expect(res.status).toBe(201);
    expect(res.json.start_time).toBe("2027-06-02T08:00:00.000Z");
    expect(res.json.end_time).toBe("2027-06-02T16:30:00.000Z");
  });

  it("refuses a reservation without a known person, with channels or with readable times", async () => {
    const { api } = await startTestSandbox();
    const res = await api("POST", "/api/3/reservations", {
      body: {
        person_id: 99,
        start_time: "tomorrow",
        end_time: "2027-02-30T10:00:00Z",
        channel_ids: [1340, 4242],
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual({
      person_id: ["Not found for this account"],
      start_time: ["is not a valid date-time"],
      end_time: ["is not a valid date-time"],
      channel_ids: ["contains an unknown channel: 4242"],
    });
    const empty = await api("POST", "/api/3/reservations", {
      body: {
        person_id: 40201,
        start_time: "2027-03-02T09:00:00Z",
        end_time: "2027-03-02T08:00:00Z",
        channel_ids: [],
      },
    });
    expect(empty.json.errors).toEqual({
      end_time: ["must be after start_time"],
      channel_ids: ["must contain at least one channel"],
    });
  });

  it("lists future reservations only (not one under way), and deletes by id", async () => {
    const { api, sandbox } = await startTestSandbox();
    const book = (start: string, end: string) =>
      api("POST", "/api/3/reservations", {
        body: { person_id: 40202, start_time: start, end_time: end, door_controller_ids: [1341] },
      });
    // The clock reads 09:00Z on 1 March.
    const earlier = (await book("2027-03-01T08:00:00Z", "2027-03-01T17:00:00Z")).json;
    const today = (await book("2027-03-01T10:00:00Z", "2027-03-01T17:00:00Z")).json;
    const tomorrow = (await book("2027-03-02T08:00:00Z", "2027-03-02T17:00:00Z")).json;
    expect(today.channel_ids).toEqual([1341]);

    const ids = async () => (await api("GET", "/api/3/reservations")).json.map((r: { id: number }) => r.id);
    expect(await ids()).toEqual([today.id, tomorrow.id]);
    expect(earlier.id).toBeLessThan(today.id);
    sandbox.clock.advance(2 * 3_600_000);
    expect(await ids()).toEqual([tomorrow.id]);

    const deleted = await api("DELETE", `/api/3/reservations/${tomorrow.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ result: "ok" });
    expect(await ids()).toEqual([]);
    expect((await api("DELETE", `/api/3/reservations/${tomorrow.id}`)).status).toBe(404);
    // DoorFlow has no GET or PUT for one reservation.
    expect((await api("GET", `/api/3/reservations/${today.id}`)).status).toBe(404);
  });
});
