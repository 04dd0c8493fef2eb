/** Days are the account zone's calendar days, also on the daylight-saving days. */
import { describe, expect, it } from "vitest";
import { validateContractorForm } from "../../src/domain/request-form.js";
import { offboardingDueAt } from "../../src/jobs/schedule.js";
import { localDateOf } from "../../src/lib/time.js";

const form = (startDate: string, endDate: string) => ({
  firstName: "A",
  lastName: "B",
  email: "a@b.example",
  company: "C",
  accessGroups: ["1"],
  startDate,
  endDate,
  credential: "card",
  cardNumber: "123",
  notes: null,
});

describe("dates in the account zone", () => {
  it.each([
    ["America/New_York", "2027-03-14T04:30:00Z", "2027-03-13"],
    ["America/New_York", "2027-03-14T05:30:00Z", "2027-03-14"],
    ["America/New_York", "2027-11-07T04:30:00Z", "2027-11-07"],
    ["Asia/Tokyo", "2027-03-27T15:30:00Z", "2027-03-28"],
    ["Australia/Sydney", "2027-04-03T13:30:00Z", "2027-04-04"],
  ])("today in %s at %s is %s", (zone, instant, day) => {
    expect(localDateOf(new Date(instant), zone)).toBe(day);
  });

  it("refuses a start date that is yesterday in the account zone although it is today in UTC", () => {
    const now = new Date("2027-03-14T03:00:00Z"); // 23:00 on 13 March in New York (EDT starts that night)
    const today = localDateOf(now, "America/New_York");
    const checked = validateContractorForm(form("2027-03-14", "2027-03-20"), {
      today,
      maxDays: 183,
      knownIds: new Set([1]),
    });
    expect(checked.ok).toBe(true);
    const past = validateContractorForm(form("2027-03-12", "2027-03-20"), {
      today,
      maxDays: 183,
      knownIds: new Set([1]),
    });
    expect(past.ok ? {} : past.errors).toHaveProperty("startDate");
  });

  it("counts the maximum length in calendar days, across a daylight-saving change", () => {
    const ok = validateContractorForm(form("2027-03-01", "2027-03-31"), {
      today: "2027-03-01",
      maxDays: 30,
      knownIds: new Set([1]),
    });
    const over = validateContractorForm(form("2027-03-01", "2027-04-01"), {
      today: "2027-03-01",
      maxDays: 30,
      knownIds: new Set([1]),
    });
    expect(ok.ok).toBe(true);
    expect(over.ok).toBe(false);
  });

  it.each([
    ["America/New_York", "2027-03-14", "2027-03-14T21:00:00.000Z"],
    ["America/New_York", "2027-11-07", "2027-11-07T22:00:00.000Z"],
    ["Europe/London", "2027-03-28", "2027-03-28T16:00:00.000Z"],
    ["Asia/Kolkata", "2027-10-31", "2027-10-31T11:30:00.000Z"],
  ])("an offboarding in %s for last day %s is due at the 17:00 run that day (%s)", (zone, day, due) => {
    expect(offboardingDueAt("0 17 * * *", zone, day).toISOString()).toBe(due);
  });
});
