/** Rows a unit test starts from, written through the real repositories. */
import { insertAccessRequest, type NewAccessRequest } from "../../src/db/repositories/access-requests.js";
import type { Database } from "../../src/db/database.js";
import { insertExtension } from "../../src/db/repositories/extensions.js";
import { type NewManagedPerson, upsertManagedPerson } from "../../src/db/repositories/managed-people.js";
import { NOW, ROLE } from "./unit.js";

let serial = 0;

export function addRequest(db: Database, fields: Partial<NewAccessRequest> = {}): string {
  serial += 1;
  const id = fields.id ?? `gh_unit${serial}`;
  insertAccessRequest(
    db,
    {
      id,
      kind: "contractor",
      requesterId: ROLE.requester,
      firstName: "Kit",
      lastName: `Person${serial}`,
      email: `kit${serial}@spark.example`,
      company: "Spark Electrical",
      accessIds: [5123],
      accessNames: ["Level 2"],
      startDate: "2027-03-02",
      endDate: "2027-03-12",
      credential: "card",
      expiresAt: new Date(NOW.getTime() + 72 * 3600_000),
      ...fields,
    },
    NOW,
  );
  return id;
}

export function addContractor(db: Database, fields: Partial<NewManagedPerson> = {}): number {
  serial += 1;
  return upsertManagedPerson(
    db,
    {
      doorflowPersonId: 7000 + serial,
      kind: "contractor",
      firstName: "Active",
      lastName: `Person${serial}`,
      email: `active${serial}@spark.example`,
      company: "Spark Electrical",
      requesterId: ROLE.requester,
      startDate: "2027-02-01",
      endDate: "2027-03-20",
      ...fields,
    },
    NOW,
  ).id;
}

export function addExtension(
  db: Database,
  managedPersonId: number,
  requesterId: string = ROLE.requester,
): string {
  serial += 1;
  const id = `ext_unit${serial}`;
  insertExtension(
    db,
    {
      id,
      managedPersonId,
      requesterId,
      oldEndDate: "2027-03-20",
      newEndDate: "2027-04-20",
      expiresAt: new Date(NOW.getTime() + 72 * 3600_000),
    },
    NOW,
  );
  return id;
}
