/** The Buzz-in contractor form's rules: one message per field that says what to fix. */
import { describe, expect, it } from "vitest";
import { type BuzzinForm, validateBuzzinForm } from "../../src/domain/buzzin-form.js";

const ctx = { today: "2027-03-10", maxDays: 183 };
const good: BuzzinForm = {
  firstName: " Omar ",
  lastName: "Haddad",
  email: "Omar@Fitout.example",
  phone: "+971 50 000 0123",
  company: "Fitout Co LLC",
  tradeLicenseUrl: "https://files.fitout.example/licence.pdf",
  tradeLicenseExpiry: "2027-12-31",
  salesforceId: "0035g00000ABCDEFGH",
  permitType: "noc",
  property: "Tower B",
  unit: "1204",
  propertySalesforceId: "a0B5g00000PROPA",
  unitSalesforceId: "a0C5g00000UNITA",
  startDate: "2027-03-14",
  endDate: "2027-04-30",
  notes: "",
};

describe("validateBuzzinForm", () => {
  it("accepts a complete form, normalising the phone, email and names", () => {
    const r = validateBuzzinForm(good, ctx);
    expect(r).toEqual({
      ok: true,
      value: expect.objectContaining({
        firstName: "Omar",
        email: "omar@fitout.example",
        notes: null,
        permit: expect.objectContaining({ phone: "+971500000123", permitType: "noc" }),
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
    [{ unitSalesforceId: "" }, "unitSalesforceId", /unit's Salesforce id/],
    [{ permitType: "demolition" }, "permitType", /NOC or Fit-out/],
    [{ property: " " }, "property", /Enter the property/],
    [{ email: "" }, "email", /email address/],
    [{ startDate: "2027-03-09" }, "startDate", /cannot be in the past/],
    [{ endDate: "2027-03-13" }, "endDate", /before the start date/],
    [{ endDate: "2027-12-31", tradeLicenseExpiry: "2028-01-31" }, "endDate", /at most 183 days/],
  ])("%j → an error on %s", (change, field, message) => {
    const r = validateBuzzinForm({ ...good, ...change }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field]).toMatch(message);
  });
});
