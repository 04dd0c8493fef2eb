/**
 * The real BuzzinClient over real HTTP against the Buzz-in sandbox: every answer must parse with the
 * client's schemas, and every failure must come back as a BuzzinError a person can act on.
 */
import { describe, expect, it } from "vitest";
import { BuzzinError } from "../../src/buzzin/errors.js";
import { contractorInput, failure, permitWithPass, startTestbed } from "./support.js";

describe("BuzzinClient against the sandbox", () => {
  it("takes a contractor from Pending through a permit to an issued pass", async () => {
    const bed = await startTestbed();
    const input = contractorInput();
    const contractor = await bed.client.createContractor(input);
    expect(contractor).toMatchObject({ email: input.email, phone: input.phone, approved: false });
    expect(contractor.communitiesIds).toEqual(["6840270a99ca91002185fcd6"]);
    expect(contractor.company?.tradeLicense?.publicUrl).toMatch(/^https:\/\/cdn\.buzz-in\.co\//);

    // A Pending contractor cannot hold a permit yet.
    const early = await failure(
      bed.client.createPermit({
        kind: "noc",
        contractorId: contractor._id,
        property: "Akoya",
        unit: "A-1",
        startDate: "2027-03-02",
        endDate: "2027-03-05",
      }),
    );
    expect(early.code).toBe("buzzin_conflict");
    expect(early.message).toContain("pending approval");

    bed.sandbox.approveContractor(contractor._id);
    const draft = await bed.client.createPermit({
      kind: "noc",
      contractorId: contractor._id,
      property: "Akoya",
      unit: "A-1",
      startDate: "2027-03-02",
      endDate: "2027-03-05",
      salesforce: { permitId: "a1C000000000NOC1", propertyId: "a1P000000000AKY" },
    });
    expect(draft).toMatchObject({ status: "draft", type: "noc", pass: null });
    expect(draft.integrations?.damac).toMatchObject({ salesforceId: "a1C000000000NOC1" });

    const submitted = await bed.client.submitPermit(draft._id);
    expect(submitted.status).toBe("submitted");
    bed.sandbox.acceptPermit(draft._id);
    const accepted = await bed.client.getPermit(draft._id);
    expect(accepted.status).toBe("accepted");
    expect(accepted.pass).toMatchObject({ status: "active", accessCode: expect.stringMatching(/^\d{6}$/) });
    // The pass runs over the permit's days in Dubai (UTC+4).
    expect(accepted.pass?.validFrom).toBe("2027-03-01T20:00:00.000Z");
    expect(accepted.pass?.validTo).toBe("2027-03-05T19:59:59.000Z");
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

  it("extends, revokes and reissues a pass, and revokes the contractor", async () => {
    const bed = await startTestbed();
    const { contractor, permit } = await permitWithPass(bed);
    const firstCode = permit.pass?.accessCode;

    const extended = await bed.client.updatePermitDates(permit._id, {
      startDate: "2027-03-02",
      endDate: "2027-04-15",
    });
    expect(extended.endDate).toBe("2027-04-15");
    expect(extended.pass?.validTo).toBe("2027-04-15T19:59:59.000Z");

    const revoked = await bed.client.revokePass(permit._id);
    expect(revoked.pass?.status).toBe("revoked");
    const reissued = await bed.client.reissuePass(permit._id);
    expect(reissued.pass?.status).toBe("active");
    expect(reissued.pass?._id).not.toBe(permit.pass?._id);
    expect(bed.sandbox.state.permits[0]?.formerPasses.map((p) => p.accessCode)).toEqual([firstCode]);

    const gone = await bed.client.revokeContractor(contractor._id);
    expect(gone.revokedAt).toBe(bed.sandbox.clock.now().toISOString());
    expect((await bed.client.getPermit(permit._id)).pass?.status).toBe("revoked");
    // Offboarding twice must not fail the second time.
    expect((await bed.client.revokeContractor(contractor._id)).revokedAt).toBe(gone.revokedAt);
    const again = await failure(bed.client.reissuePass(permit._id));
    expect(again.code).toBe("buzzin_conflict");
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
    expect(refused).toMatchObject({ code: "buzzin_unauthorized", status: 401, detail: "API key missing" });
    expect(refused.message).toContain("Check BUZZIN_API_KEY and BUZZIN_API_KEY_HEADER");
    expect(refused.message).not.toContain("k-live-7731");
    expect(bed.sleeps).toEqual([]);
  });

  it("reports Buzz-in's validation messages and a permit it cannot find", async () => {
    const bed = await startTestbed();
    const invalid = await failure(
      bed.client.createContractor(contractorInput({ email: "not-an-email", phone: "0500000000" })),
    );
    expect(invalid.code).toBe("buzzin_validation");
    expect(invalid.message).toContain("email must be an email; phone must be a phone number");

    const missing = await failure(bed.client.getPermit("66f0a1b2c3d4e5f6000000ff"));
    expect(missing).toMatchObject({ code: "buzzin_not_found", status: 404 });
    expect(missing.message).toContain("could not find permit 66f0a1b2c3d4e5f6000000ff");
  });
});
