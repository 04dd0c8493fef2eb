/**
 * The real BuzzinClient over real HTTP against the Buzz-in sandbox: the documented bodies go out
 * (create-contractor, create-noc-fit-out-permit, update-permit-dates-noc, revoke-or-reissue), every
 * answer parses tolerantly, statuses are decided on `statusName` or the documented numbers, and
 * every failure comes back as a BuzzinError a person can act on.
 */
import { describe, expect, it } from "vitest";
import { contractorBody, permitBody } from "../../src/buzzin/client.js";
import { BuzzinError } from "../../src/buzzin/errors.js";
import { permitStatus } from "../../src/buzzin/schemas.js";
import { SANDBOX_PROPERTY } from "../../tools/sandbox/buzzin/sandbox.js";
import {
  contractorInput,
  failure,
  permitInput,
  permitWithPass,
  sandboxPermit,
  startTestbed,
} from "./support.js";

describe("the bodies the client sends", () => {
  it("sends create contractor and create permit exactly as the pages' examples have them", () => {
    expect(
      contractorBody({
        name: "Ahmed Contracting LLC Rep",
        email: "ops@ahmed-contracting.ae",
        phone: "+971500000000",
        company: {
          companyName: "Ahmed Contracting LLC",
          tradeLicense: { type: "url", url: "https://files.example.com/license.pdf" },
          tradeLicenseExpiryDate: "2027-03-31",
        },
        salesforceId: "a0B5g000000ABCDEAW",
      }),
    ).toEqual({
      name: "Ahmed Contracting LLC Rep",
      email: "ops@ahmed-contracting.ae",
      phone: "+971500000000",
      company: {
        companyName: "Ahmed Contracting LLC",
        tradeLicense: { type: "url", url: "https://files.example.com/license.pdf" },
        tradeLicenseExpiryDate: "2027-03-31",
      },
      integrations: { damac: { salesforceId: "a0B5g000000ABCDEAW" } },
    });
    const body = permitBody(
      permitInput("66f0a1b2c3d4e5f600000001", {
        salesforcePermitId: "a1B5g000000XYZWEAW",
        validFrom: new Date("2026-07-01T06:00:00.000Z"),
        validTill: new Date("2026-07-31T18:00:00.000Z"),
        noc: {
          url: "https://files.example.com/noc-12345.pdf",
          nocNumber: "NOC-12345",
          issueDate: "2026-06-20",
          expiryDate: "2026-08-20",
        },
      }),
    );
    // The documented fields, as documented…
    expect(body).toMatchObject({
      salesforcePermitId: "a1B5g000000XYZWEAW",
      communityContractorId: "66f0a1b2c3d4e5f600000001",
      propertyExternalId: "DAMAC-TWR-07",
      flatExternalId: "UNIT-0712",
      validFrom: "2026-07-01T06:00:00.000Z",
      validTill: "2026-07-31T18:00:00.000Z",
      jobsSummary: "Full interior fit-out of unit 0712.",
      noc: {
        type: "url",
        url: "https://files.example.com/noc-12345.pdf",
        nocNumber: "NOC-12345",
        issueDate: "2026-06-20",
        expiryDate: "2026-08-20",
      },
    });
    // …nothing of the assumed API the issue found, and submit's details (an assumption) alongside.
    for (const gone of ["type", "contractorId", "property", "unit", "startDate", "endDate"])
      expect(body).not.toHaveProperty(gone);
    expect(body).toMatchObject({
      timeIn: "10:00",
      timeOut: "22:00",
      representativeName: "Yusuf Karim",
      representativeContact: "+971501234567",
      employees: [{ name: "Ali Hassan", phone: "+971501112233" }],
    });
    // A 24-hex reference is Buzz-in's own id.
    expect(
      permitBody(permitInput("c", { property: SANDBOX_PROPERTY.id, unit: "66e0000000000000000000b2" })),
    ).toMatchObject({
      propertyId: SANDBOX_PROPERTY.id,
      flatId: "66e0000000000000000000b2",
    });
  });
});

describe("BuzzinClient against the sandbox", () => {
  it("takes a contractor from Pending through a DRAFT permit to an accepted one", async () => {
    const bed = await startTestbed();
    const input = contractorInput();
    const contractor = await bed.client.createContractor(input);
    expect(contractor).toMatchObject({ email: input.email, phone: input.phone, approved: false });
    expect(contractor.communitiesIds).toEqual(["6840270a99ca91002185fcd6"]);
    expect(contractor.company?.tradeLicense?.publicUrl).toMatch(/^https:\/\/cdn\.buzz-in\.co\//);

    // A Pending contractor cannot hold a permit yet.
    const early = await failure(bed.client.createPermit(permitInput(contractor._id)));
    expect(early).toMatchObject({ code: "buzzin_validation", status: 400, error: "BadRequest" });
    expect(early.message).toContain("Contractor is not approved");

    bed.sandbox.approveContractor(contractor._id);
    const perm = permitInput(contractor._id);
    const created = await bed.client.createPermit(perm);
    if (created.status !== "created") throw new Error("expected a new permit");
    // The documented 201: status 10 (DRAFT), the resolved ids, the NOC under integrations.damac.
    expect(created.permit).toMatchObject({
      status: 10,
      communityContractorId: contractor._id,
      propertyId: SANDBOX_PROPERTY.id,
      flatId: "66e0000000000000000000b2",
      validFrom: "2027-03-02T06:00:00.000Z",
      validTill: "2027-03-31T18:00:00.000Z",
      integrations: { damac: { salesforceId: perm.salesforcePermitId, noc: { nocNumber: "NOC-12345" } } },
    });
    expect(permitStatus(created.permit)).toMatchObject({ name: "DRAFT", draft: true, accepted: false });

    expect(await bed.client.submitPermit(created.permit._id, perm.details)).toBe("submitted");
    expect(sandboxPermit(bed, created.permit._id)).toMatchObject({
      status: "PENDING",
      timeIn: "10:00",
      representativeContact: "+971501234567",
      employees: [{ name: "Ali Hassan", phone: "+971501112233" }],
    });
    bed.sandbox.acceptPermit(created.permit._id);
    const accepted = await bed.client.getPermit(created.permit._id);
    expect(permitStatus(accepted)).toMatchObject({ name: "ACCEPTED", accepted: true });
    expect(accepted.passNumber).toMatch(/^WP-\d{6}$/);
  });

  it("reads a status by its name first, and by the two documented numbers otherwise", () => {
    expect(permitStatus({ status: 104, statusName: "revoked" })).toMatchObject({
      name: "REVOKED",
      ended: true,
    });
    expect(permitStatus({ status: 1 })).toMatchObject({ name: "ACCEPTED", accepted: true });
    expect(permitStatus({ status: "10" })).toMatchObject({ name: "DRAFT", draft: true });
    expect(permitStatus({ status: 7 })).toMatchObject({ name: "STATUS_7", accepted: false, ended: false });
    expect(permitStatus({ status: "ARCHIVED" })).toMatchObject({ name: "ARCHIVED", ended: true });
    expect(permitStatus({})).toMatchObject({ name: "UNKNOWN", accepted: false });
  });

  it("sends a trade licence as base64", async () => {
    const bed = await startTestbed();
    const contractor = await bed.client.createContractor(
      contractorInput({
        company: {
          companyName: "Gulf Fitout",
          tradeLicense: {
            type: "base64",
            data: "JVBERi0xLjQK",
            fileName: "tl.pdf",
            contentType: "application/pdf",
          },
          tradeLicenseExpiryDate: "2028-01-31",
        },
      }),
    );
    expect(contractor.company?.tradeLicense?.publicUrl).toMatch(/tl\.pdf$/);
  });

  it("extends, reissues and revokes a pass, and revokes the contractor", async () => {
    const bed = await startTestbed();
    const { contractor, permit } = await permitWithPass(bed);
    const firstCode = sandboxPermit(bed, permit._id).accessCode;
    expect(firstCode).toMatch(/^[0-9A-Z]{24}$/);

    await bed.client.updatePermitValidity(permit._id, { validTill: new Date("2027-04-15T18:00:00.000Z") });
    expect((await bed.client.getPermit(permit._id)).validTill).toBe("2027-04-15T18:00:00.000Z");
    const updated = bed.sandbox.deliveries.filter((d) => d.event === "passes.permits.updated");
    expect(updated).toHaveLength(1);

    await bed.client.reissuePass(permit._id);
    const afterReissue = sandboxPermit(bed, permit._id);
    expect(afterReissue.accessCode).not.toBe(firstCode);
    expect(afterReissue.formerCodes).toEqual([firstCode]);
    expect(bed.sandbox.deliveries.filter((d) => d.event === "passes.permits.issued")).toHaveLength(2);

    await bed.client.revokePass(permit._id, "Offboarded by Gatehouse.");
    expect(permitStatus(await bed.client.getPermit(permit._id))).toMatchObject({
      name: "REVOKED",
      ended: true,
    });
    const again = await failure(bed.client.reissuePass(permit._id));
    expect(again).toMatchObject({ code: "buzzin_validation", status: 400 });

    expect(await bed.client.revokeContractor(contractor._id)).toBe("revoked");
    // Detached from the community: a second revoke finds no record, which is what Gatehouse wanted.
    expect(await bed.client.revokeContractor(contractor._id)).toBe("gone");
  });

  it("revoking a contractor archives their live permit, and says so by webhook", async () => {
    const bed = await startTestbed();
    const { contractor, permit } = await permitWithPass(bed);
    await bed.client.revokeContractor(contractor._id);
    expect(permitStatus(await bed.client.getPermit(permit._id))).toMatchObject({
      name: "ARCHIVED",
      ended: true,
    });
    expect(bed.sandbox.deliveries.map((d) => d.event).slice(-2)).toEqual([
      "passes.permits.updated",
      "communityContractors.removed",
    ]);
  });

  it("answers a second create with the same salesforcePermitId 409, and never makes a second permit", async () => {
    const bed = await startTestbed();
    const contractor = await bed.client.createContractor(contractorInput());
    bed.sandbox.approveContractor(contractor._id);
    const input = permitInput(contractor._id);
    const first = await bed.client.createPermit(input);
    expect(first.status).toBe("created");
    // The documented 409 has no body to name the permit by.
    expect(await bed.client.createPermit(input)).toEqual({ status: "exists", permitId: null });
    expect(bed.sandbox.state.permits).toHaveLength(1);

    // Should Buzz-in name it in FeathersJS's `data`, the client takes its id.
    const naming = await startTestbed({ conflictNamesExisting: true });
    const c2 = await naming.client.createContractor(contractorInput());
    naming.sandbox.approveContractor(c2._id);
    const made = await naming.client.createPermit(
      permitInput(c2._id, { salesforcePermitId: input.salesforcePermitId }),
    );
    if (made.status !== "created") throw new Error("expected a new permit");
    expect(
      await naming.client.createPermit(permitInput(c2._id, { salesforcePermitId: input.salesforcePermitId })),
    ).toEqual({ status: "exists", permitId: made.permit._id });
  });

  it("maps a duplicate contractor to a sentence naming what is taken", async () => {
    const bed = await startTestbed();
    const first = contractorInput();
    await bed.client.createContractor(first);

    const byEmail = await failure(
      bed.client.createContractor(contractorInput({ email: first.email.toUpperCase() })),
    );
    expect(byEmail).toBeInstanceOf(BuzzinError);
    expect(byEmail).toMatchObject({
      code: "buzzin_duplicate_contractor",
      status: 409,
      error: "Conflict",
      duplicates: ["email"],
    });
    expect(byEmail.message).toMatch(
      /^This contractor is already registered in this community: email already in use/,
    );
    expect(byEmail.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(byEmail.retryable).toBe(false);

    const byBoth = await failure(
      bed.client.createContractor(contractorInput({ phone: first.phone, salesforceId: first.salesforceId })),
    );
    expect(byBoth.duplicates).toEqual(["phone", "salesforceId"]);
    expect(byBoth.message).toContain("registered in this community: phone / Salesforce id already in use");
    expect(bed.sandbox.state.contractors).toHaveLength(1);
  });

  it("sends the API key in the configured header, and says what to check when it is refused", async () => {
    const bed = await startTestbed({ apiKeyHeader: "X-Buzzin-Key", communities: { "k-live-7731": "c1" } });
    const right = bed.clientWith({ apiKey: "k-live-7731", apiKeyHeader: "x-buzzin-key" });
    expect((await right.createContractor(contractorInput())).communitiesIds).toEqual(["c1"]);

    const wrongHeader = bed.clientWith({ apiKey: "k-live-7731" });
    const refused = await failure(wrongHeader.getPermit("66f0a1b2c3d4e5f600000001"));
    expect(refused).toMatchObject({ code: "buzzin_unauthorized", status: 401, error: "NotAuthenticated" });
    expect(refused.message).toContain("Check BUZZIN_API_KEY and BUZZIN_API_KEY_HEADER");
    expect(refused.message).not.toContain("k-live-7731");
    expect(bed.sleeps).toEqual([]);
  });

  it("reports Buzz-in's FeathersJS validation messages, unmapped references and unknown permits", async () => {
    const bed = await startTestbed();
    const invalid = await failure(
      bed.client.createContractor(contractorInput({ email: "not-an-email", phone: "0500000000" })),
    );
    expect(invalid.code).toBe("buzzin_validation");
    expect(invalid.message).toContain(
      "email: email must be an email; phone: phone must be in international form",
    );

    const contractor = await bed.client.createContractor(contractorInput());
    bed.sandbox.approveContractor(contractor._id);
    const unmapped = await failure(
      bed.client.createPermit(permitInput(contractor._id, { unit: "UNIT-9999" })),
    );
    expect(unmapped).toMatchObject({ code: "buzzin_not_found", status: 404, detail: "Record Not Found" });
    const past = await failure(
      bed.client.createPermit(permitInput(contractor._id, { validTill: new Date("2027-02-28T18:00:00Z") })),
    );
    expect(past.message).toContain("validTill must be in the future");

    const missing = await failure(bed.client.getPermit("66f0a1b2c3d4e5f6000000ff"));
    expect(missing).toMatchObject({ code: "buzzin_not_found", status: 404 });
    expect(missing.message).toContain("could not find permit 66f0a1b2c3d4e5f6000000ff");
  });
});
