import { describe, expect, it } from "vitest";
import { credentialSchema, personSchema } from "../../src/doorflow/schemas.js";
import { startTestSandbox } from "./helpers.js";

const CARD = 8317;
const PIN = 8318;
const HID = 8324;
/** Oliver Bennett and Sam Leeson hold a card and no PIN; Amelia Hart holds PIN 4821. */
const OLIVER = 40202;

function scripted(draws: number[]): () => number {
  let i = 0;
  return () => draws[i++ % draws.length] ?? 0;
}

describe("credentials", () => {
  it("answers a second credential of the same type with 409 whose body is the existing one", async () => {
    const { api } = await startTestSandbox();
    const res = await api("POST", `/api/3/people/${OLIVER}/credentials`, {
      body: { person_credential: { credential_type_id: CARD, value: "55500001" } },
    });
    expect(res.status).toBe(409);
    const existing = credentialSchema.parse(res.json);
    expect(existing).toMatchObject({
      credential_type_id: CARD,
      person_id: OLIVER,
      value: "40010002",
      label: "Card Number",
    });
    const listed = await api("GET", `/api/3/people/${OLIVER}/credentials`);
    expect(listed.json).toEqual([res.json]);
  });

  it("creates, reads, changes and deletes a card", async () => {
    const { api } = await startTestSandbox();
    const created = await api("POST", `/api/3/people/40201/credentials`, {
      body: { person_credential: { credential_type_id: 8319, value: "77001" } },
    });
    expect(created.status).toBe(201);
    const fob = credentialSchema.parse(created.json);
    const path = `/api/3/people/40201/credentials/${fob.id}`;
    expect((await api("GET", path)).json).toEqual(created.json);

    const changed = await api("PUT", path, { body: { person_credential: { value: "77002" } } });
    expect(changed.status).toBe(201);
    expect(changed.json.value).toBe("77002");
    expect((await api("GET", "/api/3/people/40201")).json.key_fob_number).toBe("77002");

    const deleted = await api("DELETE", path);
    expect(deleted.status).toBe(200);
    expect(deleted.headers.get("content-type")).toMatch(/^text\/plain/);
    expect((await api("GET", path)).status).toBe(404);
  });

  it("refuses a value another person holds, an unknown type and a malformed PIN", async () => {
    const { api } = await startTestSandbox();
    const cardIdOf = async (personId: number) =>
      (await api("GET", `/api/3/people/${personId}/credentials`)).json.find(
        (c: { credential_type_id: number }) => c.credential_type_id === CARD,
      ).id as string;
    const post = (credential_type_id: number, value: string) =>
      api("POST", `/api/3/people/${OLIVER}/credentials`, {
        body: { person_credential: { credential_type_id, value } },
      });
    const taken = await post(PIN, "4821");
    expect(taken.status).toBe(422);
    expect(taken.json.errors).toEqual({ value: ["value is already in use on your account"] });
    // Card numbers too: Oliver cannot take Amelia's card 40010001 (he holds none after giving his back).
    await api("DELETE", `/api/3/people/${OLIVER}/credentials/${await cardIdOf(OLIVER)}`);
    const card = await post(CARD, "40010001");
    expect(card.status).toBe(422);
    expect(card.json.errors).toEqual({ value: ["value is already in use on your account"] });
    expect((await post(1, "1")).json.errors).toEqual({ credential_type_id: ["Not found for this account"] });
    expect((await post(PIN, "12")).json.errors).toEqual({
      value: ["must be between 4 and 7 digits in length"],
    });
    const unwrapped = await api("POST", `/api/3/people/${OLIVER}/credentials`, {
      body: { credential_type_id: PIN },
    });
    // The spec documents no 400: a body without its wrapper is a validation failure.
    expect(unwrapped.status).toBe(422);
    expect(unwrapped.json).toEqual({
      error: "Validation failed: Person credential is missing",
      errors: { person_credential: ["is missing"] },
    });
  });

  it('generates a PIN for "******" that nobody else in the account holds', async () => {
    // The first draw would give 123456, which Oliver is about to hold; the second gives 654321.
    const { api } = await startTestSandbox({ random: scripted([0.1234565, 0.1234565, 0.6543215]) });
    await api("POST", `/api/3/people/${OLIVER}/credentials`, {
      body: { person_credential: { credential_type_id: PIN, value: "123456" } },
    });
    const generated = await api("POST", "/api/3/people/40204/credentials", {
      body: { person_credential: { credential_type_id: PIN, value: "******" } },
    });
    expect(generated.status).toBe(201);
    expect(generated.json).toMatchObject({ person_id: 40204, value: "654321" });
  });

  it("never hands out the same generated PIN twice", async () => {
    const { api } = await startTestSandbox({ seed: false });
    const pins: string[] = [];
    for (let i = 0; i < 40; i++) {
      const person = await api("POST", "/api/3/people", {
        body: { first_name: "V", last_name: `${i}`, pin: "******" },
      });
      pins.push(personSchema.parse(person.json).pin as string);
    }
    expect(pins.every((pin) => /^\d{6}$/.test(pin))).toBe(true);
    expect(new Set(pins).size).toBe(pins.length);
  });

  it("invites a mobile credential instead of storing a value", async () => {
    const { api } = await startTestSandbox();
    const res = await api("POST", `/api/3/people/${OLIVER}/credentials`, {
      body: { person_credential: { credential_type_id: HID } },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      credential_type_id: HID,
      status: "invited",
      label: "HID Mobile Access",
    });
    expect(res.json).not.toHaveProperty("value");
    expect((await api("DELETE", `/api/3/people/${OLIVER}/credentials/${res.json.id}`)).status).toBe(202);
  });

  it("sets card and PIN through the person's slug fields, all or nothing", async () => {
    const { api, sandbox } = await startTestSandbox();
    const created = await api("POST", "/api/3/people", {
      body: {
        first_name: "Bob",
        last_name: "Builder",
        system_id: "gh-7",
        card_number: "9876543210",
        pin: "******",
      },
    });
    expect(created.status).toBe(201);
    expect(created.json.card_number).toBe("9876543210");
    expect(created.json.pin).toMatch(/^\d{6}$/);

    const clash = await api("POST", "/api/3/people", {
      body: {
        first_name: "Rob",
        last_name: "Builder",
        system_id: "gh-8",
        card_number: "9876543210",
        pin: "******",
      },
    });
    expect(clash.status).toBe(422);
    expect(clash.json.errors).toEqual({ card_number: ["value is already in use on your account"] });
    expect(sandbox.personBySystemId("gh-8")).toBeUndefined();

    const cleared = await api("PUT", `/api/3/people/${created.json.id}`, { body: { pin: null } });
    expect(cleared.json.pin).toBeNull();
    const creds = await api("GET", `/api/3/people/${created.json.id}/credentials`);
    expect(creds.json.map((c: { credential_type_id: number }) => c.credential_type_id)).toEqual([CARD]);
  });

  it("lists no credentials, rather than a 404 the spec does not document, for an unknown person", async () => {
    const { api } = await startTestSandbox();
    const res = await api("GET", "/api/3/people/99999/credentials");
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
  });
});

describe("the account's credentials and HID licence seats", () => {
  it("lists every credential of the account at GET /api/3/credentials", async () => {
    const { api } = await startTestSandbox();
    const res = await api("GET", "/api/3/credentials?skip_pagination=true");
    expect(res.status).toBe(200);
    const all = (res.json as unknown[]).map((c) => credentialSchema.parse(c));
    expect(all.find((c) => c.value === "40010002")).toMatchObject({
      person_id: OLIVER,
      credential_type_id: CARD,
    });
    expect(all.filter((c) => c.credential_type_id === PIN).map((c) => c.value)).toContain("4821");
  });

  it("answers 422 limit_reached once the seats are used, and gives a seat back once revoked", async () => {
    const { api, sandbox } = await startTestSandbox({
      mobileLicences: 1,
      now: new Date("2027-03-01T09:00:00Z"),
    });
    const invite = (personId: number) =>
      api("POST", `/api/3/people/${personId}/credentials`, {
        body: { person_credential: { credential_type_id: HID } },
      });
    const first = await invite(OLIVER);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ status: "invited" });
    const refused = await invite(40201);
    expect(refused.status).toBe(422);
    expect(refused.json.errors.limit_reached).toMatch(/HID Mobile licence limit/);

    const removed = await api("DELETE", `/api/3/people/${OLIVER}/credentials/${first.json.id}`);
    expect(removed.status).toBe(202);
    // Revoking is asynchronous: the credential reads `revoking` and still holds its seat a moment.
    const listed = await api("GET", `/api/3/people/${OLIVER}/credentials`);
    expect(listed.json.find((c: { id: string }) => c.id === first.json.id)).toMatchObject({
      status: "revoking",
    });
    expect((await invite(40201)).status).toBe(422);
    sandbox.clock.advance(5_000);
    expect(sandbox.mobileSeatsInUse()).toBe(0);
    expect((await invite(40201)).status).toBe(201);
  });
});
