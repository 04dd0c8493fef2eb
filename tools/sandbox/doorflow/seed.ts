/**
 * A realistic account to start from. Credential types, groups and channels are configured in
 * DoorFlow's web UI and cannot be created through the API, so they are always there; `seed: false`
 * leaves out only the existing staff. Ids are account-specific on purpose (credential type 8317,
 * not 1), so a client that hard-codes ids fails here as it would against a real account.
 */
import type {
  SandboxChannel,
  SandboxCredentialType,
  SandboxGroup,
  SandboxPerson,
  SandboxState,
} from "./types.js";

const CONFIGURED_AT = new Date("2023-04-03T08:30:00.000Z");
const SANDBOX_EMAIL_DOMAIN = "harbourside.example";

export const SEED_CREDENTIAL_TYPES: readonly SandboxCredentialType[] = [
  { id: 8317, label: "Card Number", slug: "card_number", code: 100, kind: "value" },
  { id: 8318, label: "PIN", slug: "pin", code: 300, kind: "value" },
  { id: 8319, label: "Key Fob Number", slug: "key_fob_number", code: 101, kind: "value" },
  { id: 8324, label: "HID Mobile Access", slug: "hid_mobile_access", code: 1400, kind: "mobile" },
  { id: 8331, label: "PassFlow", slug: "passflow", code: 1500, kind: "mobile" },
];

/** [id, name, notes, the doors its roles open] */
const GROUPS: ReadonlyArray<[number, string, string | null, number[]]> = [
  [5121, "Office floors 1-3", "Desks and meeting rooms", [1345, 1346, 1347]],
  [5122, "Loading dock", "Roller door and side door", [1342, 1343]],
  [5123, "Workshop", null, [1344]],
  [5124, "Server room", "Two-person rule applies", [1348, 1349]],
  [5125, "Car park", "Barrier and bike store", [1350, 1351]],
  [5126, "Cleaning crew", "Evenings only", [1340, 1345, 1346, 1347]],
  [5127, "All staff", "Main entrance and reception", [1340, 1341]],
];

const CHANNELS: ReadonlyArray<[number, string, SandboxChannel["status"], number]> = [
  [1340, "Main entrance", "online", 1],
  [1341, "Reception inner door", "online", 2],
  [1342, "Loading dock roller door", "online", 1],
  [1343, "Loading dock side door", "offline", 2],
  [1344, "Workshop", "online", 1],
  [1345, "Office floor 1", "online", 1],
  [1346, "Office floor 2", "online", 2],
  [1347, "Office floor 3", "online", 1],
  [1348, "Server room", "online", 2],
  [1349, "Comms cupboard", "pending_encryption", 1],
  [1350, "Car park barrier", "online", 1],
  [1351, "Bike store", "offline", 2],
];

/** [first, last, email local part, system id, enabled, group ids, card, pin] */
type SeedPerson = [string, string, string, string | null, boolean, number[], string, string | null];

const PEOPLE: readonly SeedPerson[] = [
  ["Amelia", "Hart", "amelia.hart", "EMP-1001", true, [5127, 5121, 5124], "40010001", "4821"],
  ["Oliver", "Bennett", "oliver.bennett", "EMP-1002", true, [5127, 5121], "40010002", null],
  ["Sam", "Lee", "sam.lee", "EMP-1003", true, [5127, 5121, 5125], "40010003", "7390"],
  ["Sam", "Leeson", "sam.leeson", "EMP-1004", true, [5127, 5122], "40010004", null],
  ["Priya", "Shah", "priya.shah", "EMP-1005", true, [5127, 5121, 5124], "40010005", "1596"],
  ["Tomasz", "Nowak", "tomasz.nowak", "EMP-1006", true, [5127, 5123, 5122], "40010006", null],
  ["Grace", "Okafor", "grace.okafor", "EMP-1007", true, [5127, 5121], "40010007", "2648"],
  ["Liam", "Murphy", "liam.murphy", null, true, [5127, 5123], "40010008", null],
  ["Chloe", "Dubois", "chloe.dubois", "EMP-1009", false, [5124, 5122], "40010009", "7306194"],
  ["Hannah", "Price", "hannah.price", "EMP-1010", true, [5127, 5121, 5125], "40010010", "9071"],
  ["Ibrahim", "Khan", "ibrahim.khan", "EMP-1011", true, [5127, 5124], "40010011", null],
  ["Ella", "Watson", "ella.watson", null, true, [5127, 5126], "40010012", "3315"],
  ["Noah", "Fraser", "noah.fraser", "EMP-1013", true, [5127, 5122, 5123], "40010013", null],
  ["Mei", "Chen", "mei.chen", "EMP-1014", true, [5127, 5121], "40010014", "5582"],
  ["Jack", "Robinson", "jack.robinson", "EMP-1015", false, [5127], "40010015", null],
  ["Sofia", "Rossi", "sofia.rossi", "EMP-1016", true, [5127, 5121, 5125], "40010016", null],
  ["Daniel", "Evans", "daniel.evans", "EMP-1017", true, [5127, 5123], "40010017", "6203"],
  ["Aisha", "Begum", "aisha.begum", "EMP-1018", true, [5127, 5121], "40010018", null],
  ["George", "Walsh", "george.walsh", null, true, [5127, 5125, 5122], "40010019", null],
  ["Freya", "Lindqvist", "freya.lindqvist", "EMP-1020", true, [5127, 5121, 5124], "40010020", "8846"],
];

export const FIRST_PERSON_ID = 40201;

export function seedGroups(): SandboxGroup[] {
  return GROUPS.map(([id, name, notes, channelIds]) => ({
    id,
    name,
    notes,
    channelIds: [...channelIds],
    globalAcrossSites: false,
    createdAt: CONFIGURED_AT,
    updatedAt: CONFIGURED_AT,
  }));
}

export function seedChannels(): SandboxChannel[] {
  return CHANNELS.map(([id, name, status, unit], i) => ({
    id,
    name,
    macAddress: `00:0d:4b:1a:${(0x20 + Math.floor(i / 2)).toString(16)}:0${unit}`,
    status,
    unit,
    model: "IPBR-2",
    siteId: 25,
    createdAt: CONFIGURED_AT,
    updatedAt: CONFIGURED_AT,
  }));
}

/**
 * Adds the existing staff (with their cards and PINs) to a fresh state, using the account's own
 * card type (global code 100) and PIN type (code 300).
 */
export function seedPeople(state: SandboxState, newCredentialId: () => string): void {
  const card = state.credentialTypes.find((t) => t.kind === "value" && t.code === 100);
  const pin = state.credentialTypes.find((t) => t.kind === "value" && t.code === 300);
  PEOPLE.forEach(([first, last, local, systemId, enabled, groupIds, cardNumber, pinValue], i) => {
    const at = new Date(CONFIGURED_AT.getTime() + (i + 1) * 86_400_000 * 11);
    const person: SandboxPerson = {
      id: state.nextIds.person++,
      firstName: first,
      lastName: last,
      email: `${local}@${SANDBOX_EMAIL_DOMAIN}`,
      systemId,
      enabled,
      validFrom: null,
      validTo: null,
      notes: enabled ? null : "Left the company; card not returned",
      groupIds: [...groupIds],
      roleIds: [],
      extra: { job_title: null, department: i % 3 === 0 ? "Operations" : "Engineering" },
      deleted: false,
      createdAt: at,
      updatedAt: at,
    };
    state.people.push(person);
    const values: Array<[SandboxCredentialType | undefined, string | null]> = [
      [card, cardNumber],
      [pin, pinValue],
    ];
    for (const [type, value] of values) {
      if (value === null || type === undefined) continue;
      state.credentials.push({
        id: newCredentialId(),
        personId: person.id,
        credentialTypeId: type.id,
        value,
        status: null,
        url: null,
        createdAt: at,
        updatedAt: at,
      });
    }
  });
}
