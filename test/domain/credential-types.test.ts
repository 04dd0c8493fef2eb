/** Finding an account's card, PIN and mobile credential types without a fixed slug. */
import { describe, expect, it } from "vitest";
import { credentialTypeProblem, resolveCredentialTypes } from "../../src/domain/credential-types.js";
import type { CredentialType } from "../../src/doorflow/schemas.js";

const type = (id: number, label: string, slug: string): CredentialType => ({ id, label, slug, code: null });

describe("credential types per account", () => {
  it("detects the spec's example labels, seed 002's slugs and an account's own words", () => {
    const shapes: Array<[CredentialType[], [number, number, number | null]]> = [
      // The spec's CredentialType example and a PIN whose slug is not `pin`.
      [
        [type(5, "Employee Card", "employee_card"), type(6, "Door PIN", "door_pin")],
        [5, 6, null],
      ],
      // Seed 002: slugs `card` and `credentials_number`, a "Pin", HID Mobile Access.
      [
        [type(3, "Pin", "pin"), type(14, "HID Mobile Access", "hid_mobile_access"), type(7, "Card", "card")],
        [7, 3, 14],
      ],
      [
        [type(21, "Credentials Number", "credentials_number"), type(22, "Keypad code", "keypad_code")],
        [21, 22, null],
      ],
      // A badge beats a key fob; HID beats PassFlow.
      [
        [
          type(1, "Key Fob Number", "key_fob_number"),
          type(2, "Staff Badge", "staff_badge"),
          type(3, "PIN", "pin"),
          type(4, "PassFlow", "passflow"),
          type(5, "HID Mobile Access", "hid_mobile_access"),
        ],
        [2, 3, 5],
      ],
    ];
    for (const [types, [card, pin, mobile]] of shapes) {
      const r = resolveCredentialTypes(types);
      expect([r.card.type?.id, r.pin.type?.id, r.mobile.type?.id ?? null]).toEqual([card, pin, mobile]);
    }
  });

  it("takes a setting as an id, a slug or a label", () => {
    const types = [
      type(8317, "Visitor Card", "visitor_card"),
      type(8320, "Contractor Card", "contractor_card"),
    ];
    expect(resolveCredentialTypes(types, { card: "8320" }).card.type?.id).toBe(8320);
    expect(resolveCredentialTypes(types, { card: "visitor_card" }).card.type?.id).toBe(8317);
    expect(resolveCredentialTypes(types, { card: "contractor card" }).card).toMatchObject({
      type: { id: 8320 },
      source: "setting",
    });
  });

  it("names the account's types and the variable when none, several, or an unknown one is set", () => {
    const types = [
      type(8317, "Visitor Card", "visitor_card"),
      type(8320, "Contractor Card", "contractor_card"),
    ];
    const several = resolveCredentialTypes(types);
    expect(credentialTypeProblem(several.card, types)).toBe(
      'Several DoorFlow credential types could be the card: "Visitor Card" (slug visitor_card, id 8317), "Contractor Card" (slug contractor_card, id 8320). Set DOORFLOW_CARD_CREDENTIAL_TYPE to the id, slug or label of the right one.',
    );
    expect(credentialTypeProblem(several.pin, types)).toMatch(
      /^No DoorFlow credential type looks like the PIN; the account has "Visitor Card" .*Set DOORFLOW_PIN_CREDENTIAL_TYPE/,
    );
    const wrong = resolveCredentialTypes(types, { mobile: "hid" });
    expect(credentialTypeProblem(wrong.mobile, types)).toMatch(
      /^DOORFLOW_MOBILE_CREDENTIAL_TYPE=hid names no credential type/,
    );
    expect(credentialTypeProblem(resolveCredentialTypes(types, { card: "8317" }).card, types)).toBeNull();
  });
});
