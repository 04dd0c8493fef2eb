/** The Buzz-in contractor form's rules: one message per field that says what to fix. */
import { describe, expect, it } from "vitest";
import { type BuzzinForm, parseEmployees, validateBuzzinForm } from "../../src/domain/buzzin-form.js";

/** 10:00 on Wednesday 10 March 2027 in Dubai (UTC+4). */
const ctx = { now: new Date("2027-03-10T06:00:00Z"), timeZone: "Asia/Dubai", maxDays: 183 };
const good: BuzzinForm = {
  firstName: " Omar ",
  lastName: "Haddad",
  email: "Omar@Fitout.example",
  phone: "+971 50 000 0123",
  company: "Fitout Co LLC",
  tradeLicenseUrl: "https://files.fitout.example/licence.pdf",
  tradeLicenseExpiry: "2027-12-31",
  salesforceId: "0035g00000ABCDEFGH",
  property: "DAMAC-TWR-07",
  unit: "66e0000000000000000000b2",
  startDate: "2027-03-14",
  endDate: "2027-04-30",
  timeIn: "08:00",
  timeOut: "18:00",
  jobsSummary: "Full interior fit-out of unit 0712.",
  nocUrl: "https://files.fitout.example/noc-12345.pdf",
  nocNumber: "NOC-12345",
  nocIssueDate: "2027-03-01",
  nocExpiryDate: "2027-05-31",
  representativeName: "Yusuf Karim",
  representativePhone: "+971 50 123 4567",
  employees: "Ali Hassan, +971 50 111 2233\n\n  Sara Khan; +971504445566  ",
  notes: "",
};

describe("validateBuzzinForm", () => {
  it("accepts a complete form, normalising phones, email, names and the employee list", () => {
    const r = validateBuzzinForm(good, ctx);
    expect(r).toEqual({
      ok: true,
      value: expect.objectContaining({
        firstName: "Omar",
        email: "omar@fitout.example",
        notes: null,
        permit: expect.objectContaining({
          phone: "+971500000123",
          property: "DAMAC-TWR-07",
          unit: "66e0000000000000000000b2",
          timeIn: "08:00",
          timeOut: "18:00",
          nocNumber: "NOC-12345",
          representativePhone: "+971501234567",
          employees: [
            { name: "Ali Hassan", phone: "+971501112233" },
            { name: "Sara Khan", phone: "+971504445566" },
          ],
        }),
      }),
    });
  });

  it.each<[Partial<BuzzinForm>, keyof BuzzinForm, RegExp]>([
    [{ phone: "" }, "phone", /country code/],
    [{ phone: "0500000123" }, "phone", /international form/],
    [{ tradeLicenseUrl: "http://files.example/licence.pdf" }, "tradeLicenseUrl", /https:\/\//],
    [{ tradeLicenseUrl: "not a link" }, "tradeLicenseUrl", /https:\/\//],
    [{ tradeLicenseExpiry: "2027-04-29" }, "tradeLicenseExpiry", /before the work ends/],
    [{ tradeLicenseExpiry: null }, "tradeLicenseExpiry", /Pick the day/],
    [{ salesforceId: "0035g" }, "salesforceId", /15 or 18/],
    [{ property: " " }, "property", /DAMAC's external id/],
    [{ unit: "unit 12 / b?" }, "unit", /letters, digits/],
    [{ email: "" }, "email", /email address/],
    [{ startDate: "2027-03-09" }, "startDate", /cannot be in the past/],
    [{ endDate: "2027-03-13" }, "endDate", /before the start date/],
    [
      { endDate: "2027-12-31", tradeLicenseExpiry: "2028-01-31", nocExpiryDate: "2028-01-31" },
      "endDate",
      /at most 183 days/,
    ],
    [{ timeIn: null }, "timeIn", /Pick the time/],
    [{ timeIn: "25:00" }, "timeIn", /Pick the time/],
    [{ timeOut: "07:30" }, "timeOut", /after time in \(08:00\)/],
    [{ timeOut: "08:00" }, "timeOut", /after time in/],
    // Today, 10:00 in Dubai: a pass ending at 09:00 today would end in the past.
    [
      { startDate: "2027-03-10", endDate: "2027-03-10", timeIn: "07:00", timeOut: "09:00" },
      "timeOut",
      /already passed/,
    ],
    [{ jobsSummary: "" }, "jobsSummary", /Enter the jobs summary/],
    [{ nocUrl: "ftp://files/noc.pdf" }, "nocUrl", /https:\/\//],
    [{ nocNumber: " " }, "nocNumber", /NOC number/],
    [{ nocIssueDate: "2027-03-11" }, "nocIssueDate", /future/],
    [{ nocExpiryDate: "2027-04-29" }, "nocExpiryDate", /before the work ends/],
    [{ nocExpiryDate: null }, "nocExpiryDate", /Pick the day the NOC expires/],
    [{ representativeName: "" }, "representativeName", /representative's name/],
    [{ representativePhone: "050 123" }, "representativePhone", /international form/],
    [{ employees: "" }, "employees", /at least one employee/],
    [{ employees: "Ali Hassan +971501112233" }, "employees", /Line 1: write the name, a comma/],
    [{ employees: "Ali, +971501112233\nSara, 0504445566" }, "employees", /Line 2/],
  ])("%j → an error on %s", (change, field, message) => {
    const r = validateBuzzinForm({ ...good, ...change }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field]).toMatch(message);
  });

  it("reads the pass's last day in the community's zone, not UTC", () => {
    // 21:30 UTC on 9 March is already 10 March in Dubai: a start on 9 March is in the past there.
    const late = { ...ctx, now: new Date("2027-03-09T21:30:00Z") };
    const r = validateBuzzinForm({ ...good, startDate: "2027-03-09" }, late);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.startDate).toMatch(/today is Wed 10 Mar 2027/);
  });

  it("takes at most 50 employees", () => {
    const lines = Array.from({ length: 51 }, (_, i) => `Worker ${i}, +97150${String(1_000_000 + i)}`);
    expect(parseEmployees(lines.join("\n"))).toEqual({
      ok: false,
      message: "At most 50 employees per permit.",
    });
    expect(parseEmployees(lines.slice(0, 50).join("\n"))).toMatchObject({ ok: true });
  });
});
