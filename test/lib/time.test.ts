import { describe, expect, it } from "vitest";
import {
  rfc3339In,
  addDays,
  daysBetween,
  endOfLocalDay,
  isLocalDate,
  localDateOf,
  resolveTimeZone,
  sameLocalDay,
  startOfLocalDay,
} from "../../src/lib/time.js";

describe("local days in the account time zone", () => {
  it.each([
    // 2027 daylight-saving changes: the day is 23 hours in spring and 25 in autumn.
    ["America/New_York", "2027-03-14", "2027-03-14T05:00:00.000Z", "2027-03-15T03:59:59.000Z", 23],
    ["America/New_York", "2027-11-07", "2027-11-07T04:00:00.000Z", "2027-11-08T04:59:59.000Z", 25],
    ["Europe/London", "2027-03-28", "2027-03-28T00:00:00.000Z", "2027-03-28T22:59:59.000Z", 23],
    ["Europe/London", "2027-10-31", "2027-10-30T23:00:00.000Z", "2027-10-31T23:59:59.000Z", 25],
    // East of UTC: the local day starts on the previous UTC day.
    ["Australia/Sydney", "2027-04-04", "2027-04-03T13:00:00.000Z", "2027-04-04T13:59:59.000Z", 25],
    ["Australia/Sydney", "2027-10-03", "2027-10-02T14:00:00.000Z", "2027-10-03T12:59:59.000Z", 23],
    ["Asia/Dubai", "2027-03-14", "2027-03-13T20:00:00.000Z", "2027-03-14T19:59:59.000Z", 24],
  ])("%s %s runs from %s to %s (%i hours)", (zone, day, start, end, hours) => {
    const s = startOfLocalDay(day, zone);
    const e = endOfLocalDay(day, zone);
    expect(s.toISOString()).toBe(start);
    expect(e.toISOString()).toBe(end);
    expect(Math.round((e.getTime() + 1000 - s.getTime()) / 3_600_000)).toBe(hours);
    expect(localDateOf(s, zone)).toBe(day);
    expect(localDateOf(e, zone)).toBe(day);
    expect(sameLocalDay(s, e, zone)).toBe(true);
    expect(localDateOf(new Date(e.getTime() + 1000), zone)).toBe(addDays(day, 1));
  });

  it("does calendar arithmetic across month, year and leap days", () => {
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-12-31", 1)).toBe("2028-01-01");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
    expect(daysBetween("2027-01-01", "2027-07-03")).toBe(183);
    expect(daysBetween("2027-03-20", "2027-03-10")).toBe(-10);
    // A DST change inside the range does not change the count of days.
    expect(daysBetween("2027-03-13", "2027-03-15")).toBe(2);
  });

  it("recognises real calendar days only", () => {
    expect(isLocalDate("2027-02-28")).toBe(true);
    expect(isLocalDate("2027-02-29")).toBe(false);
    expect(isLocalDate("2027-2-28")).toBe(false);
    expect(isLocalDate("28/02/2027")).toBe(false);
  });

  it("maps DoorFlow's Rails zone names to IANA zones", () => {
    expect(resolveTimeZone("London")).toBe("Europe/London");
    expect(resolveTimeZone("Eastern Time (US & Canada)")).toBe("America/New_York");
    expect(resolveTimeZone("Abu Dhabi")).toBe("Asia/Muscat");
    expect(resolveTimeZone("Asia/Dubai")).toBe("Asia/Dubai");
    expect(resolveTimeZone("UTC")).toBe("Etc/UTC");
    expect(resolveTimeZone("Atlantis")).toBeUndefined();
    expect(resolveTimeZone("Mars/Olympus")).toBeUndefined();
  });
});

describe("rfc3339In: what DoorFlow's valid_from / valid_to receive", () => {
  it("gives the zone's own offset on both sides of the daylight-saving days", () => {
    const ny = "America/New_York";
    // 14 March 2027 is 23 hours long in New York: it starts at -05:00 and ends at -04:00.
    expect(rfc3339In(startOfLocalDay("2027-03-14", ny), ny)).toBe("2027-03-14T00:00:00-05:00");
    expect(rfc3339In(endOfLocalDay("2027-03-14", ny), ny)).toBe("2027-03-14T23:59:59-04:00");
    // 7 November 2027 is 25 hours long.
    expect(rfc3339In(startOfLocalDay("2027-11-07", ny), ny)).toBe("2027-11-07T00:00:00-04:00");
    expect(rfc3339In(endOfLocalDay("2027-11-07", ny), ny)).toBe("2027-11-07T23:59:59-05:00");
    // East of UTC, and a zone whose offset is zero in winter.
    expect(rfc3339In(endOfLocalDay("2027-01-14", "Australia/Sydney"), "Australia/Sydney")).toBe(
      "2027-01-14T23:59:59+11:00",
    );
    expect(rfc3339In(endOfLocalDay("2027-01-14", "Europe/London"), "Europe/London")).toBe(
      "2027-01-14T23:59:59Z",
    );
    expect(rfc3339In(endOfLocalDay("2027-07-14", "Europe/London"), "Europe/London")).toBe(
      "2027-07-14T23:59:59+01:00",
    );
  });
});
