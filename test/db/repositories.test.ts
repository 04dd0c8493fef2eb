import { afterEach, describe, expect, it } from "vitest";
import { inTransaction } from "../../src/db/database.js";
import {
  claimProvisioning,
  decideAccessRequest,
  expirePendingRequests,
  findProvisioningDue,
  getAccessRequest,
  insertAccessRequest,
  type NewAccessRequest,
} from "../../src/db/repositories/access-requests.js";
import { claimAlert, resolveAlert } from "../../src/db/repositories/alerts.js";
import { listAuditFor, recordAudit } from "../../src/db/repositories/audit.js";
import {
  listActiveManaged,
  markCardCollected,
  upsertManagedPerson,
} from "../../src/db/repositories/managed-people.js";
import {
  claimDueOffboardings,
  completeOffboarding,
  failOffboarding,
  findDueOffboardings,
  scheduleOffboarding,
} from "../../src/db/repositories/offboardings.js";
import { claimReminder } from "../../src/db/repositories/reminders.js";
import { pruneWebhookDeliveries } from "../../src/db/repositories/webhook-deliveries.js";
import { webhookDeliveries } from "../../src/db/schema.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
afterEach(() => t?.close());

const now = new Date("2027-03-28T09:00:00Z");
const request = (id: string): NewAccessRequest => ({
  id,
  kind: "contractor",
  requesterId: "U0REQUEST",
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  company: "Engines Ltd",
  accessIds: [1, 2],
  accessNames: ["Loading dock", "Workshop"],
  startDate: "2027-03-29",
  endDate: "2027-06-30",
  credential: "card",
  cardNumber: "123456",
  expiresAt: new Date(now.getTime() + 72 * 3600_000),
});

describe("access requests", () => {
  it("decides exactly once: of twenty clicks from two connections one approves, the others see it decided", () => {
    t = createTestDatabase();
    const other = t.openAnother();
    insertAccessRequest(t.db, request("req_1"), now);
    const outcomes = Array.from({ length: 20 }, (_, i) =>
      decideAccessRequest(
        i % 2 ? other : t.db,
        "req_1",
        { outcome: "approved", giveUpAt: new Date(now.getTime() + 86_400_000) },
        `U0APPROVER${i}`,
        now,
      ),
    );
    const winners = outcomes.filter((o) => o !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ state: "approved", decidedBy: "U0APPROVER0", step: "person" });
    expect(
      decideAccessRequest(t.db, "req_1", { outcome: "denied", reason: "late" }, "U0X", now),
    ).toBeUndefined();
    expect(getAccessRequest(other, "req_1")?.decidedBy).toBe("U0APPROVER0");
  });

  it("leases provisioning to one process until the lease expires", () => {
    t = createTestDatabase();
    insertAccessRequest(t.db, request("req_2"), now);
    decideAccessRequest(
      t.db,
      "req_2",
      { outcome: "approved", giveUpAt: new Date(now.getTime() + 86_400_000) },
      "U0APPROVER",
      now,
    );
    expect(findProvisioningDue(t.db, now).map((r) => r.id)).toEqual(["req_2"]);
    expect(claimProvisioning(t.db, "req_2", "proc-a", 60_000, now)?.leaseOwner).toBe("proc-a");
    expect(claimProvisioning(t.openAnother(), "req_2", "proc-b", 60_000, now)).toBeUndefined();
    expect(findProvisioningDue(t.db, now)).toEqual([]);
    const later = new Date(now.getTime() + 61_000);
    expect(claimProvisioning(t.db, "req_2", "proc-b", 60_000, later)?.leaseOwner).toBe("proc-b");
  });

  it("expires a pending request once, after its expiry instant", () => {
    t = createTestDatabase();
    insertAccessRequest(t.db, request("req_3"), now);
    expect(expirePendingRequests(t.db, new Date(now.getTime() + 71 * 3600_000))).toEqual([]);
    const at = new Date(now.getTime() + 72 * 3600_000);
    expect(expirePendingRequests(t.db, at).map((r) => r.id)).toEqual(["req_3"]);
    expect(expirePendingRequests(t.db, at)).toEqual([]);
  });
});

describe("offboardings", () => {
  const schedule = (db: TestDatabase["db"], personId: number, dueAt: Date) =>
    scheduleOffboarding(
      db,
      {
        doorflowPersonId: personId,
        personName: `Person ${personId}`,
        reason: "contract_end",
        lastDay: "2027-03-28",
        dueAt,
        requestedBy: "job",
      },
      now,
    );

  it("keeps one open offboarding per person: scheduling again moves it", () => {
    t = createTestDatabase();
    const first = schedule(t.db, 7, now);
    const moved = scheduleOffboarding(
      t.db,
      {
        doorflowPersonId: 7,
        personName: "Person 7",
        reason: "scheduled",
        lastDay: "2027-04-02",
        dueAt: new Date("2027-04-02T16:00:00Z"),
        requestedBy: "U0OP",
      },
      now,
    );
    expect(moved.id).toBe(first.id);
    expect(moved).toMatchObject({ lastDay: "2027-04-02", reason: "scheduled" });
  });

  it("is due only once due_at has passed, and two processes claiming at once each get different people", () => {
    t = createTestDatabase();
    for (let id = 1; id <= 40; id++) schedule(t.db, id, new Date(now.getTime() - id * 1000));
    schedule(t.db, 99, new Date(now.getTime() + 1000));
    const other = t.openAnother();
    const a = inTransaction(t.db, (tx) => claimDueOffboardings(tx, "proc-a", 300_000, now, 25));
    const b = inTransaction(other, (tx) => claimDueOffboardings(tx, "proc-b", 300_000, now, 25));
    const ids = [...a, ...b].map((o) => o.doorflowPersonId);
    expect(new Set(ids).size).toBe(40);
    expect(ids).not.toContain(99);
    expect(inTransaction(t.db, (tx) => claimDueOffboardings(tx, "proc-c", 300_000, now))).toEqual([]);
  });

  it("records a failure with attempts and backoff, then completes on a later claim", () => {
    t = createTestDatabase();
    const o = schedule(t.db, 5, now);
    const [claimed] = claimDueOffboardings(t.db, "proc-a", 300_000, now);
    expect(claimed?.id).toBe(o.id);
    const retryAt = new Date(now.getTime() + 5 * 60_000);
    expect(
      failOffboarding(t.db, o.id, "proc-a", { error: "DoorFlow 503", nextAttemptAt: retryAt }, now),
    ).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "DoorFlow 503",
    });
    expect(findDueOffboardings(t.db, new Date(retryAt.getTime() - 1))).toEqual([]);
    const [again] = claimDueOffboardings(t.db, "proc-b", 300_000, retryAt);
    expect(again?.attempts).toBe(1);
    expect(completeOffboarding(t.db, o.id, "proc-a", retryAt)).toBeUndefined();
    expect(completeOffboarding(t.db, o.id, "proc-b", retryAt)?.status).toBe("completed");
  });
});

describe("alerts, reminders, people and audit", () => {
  it("posts an alert once per key; a resolved alert may be raised again", () => {
    t = createTestDatabase();
    const input = {
      key: "offboarding:1",
      kind: "offboarding_failed",
      channelId: "C0SECURITY",
      summary: "failed",
    };
    expect(claimAlert(t.db, input, now).created).toBe(true);
    expect(claimAlert(t.openAnother(), input, now).created).toBe(false);
    expect(resolveAlert(t.db, "offboarding:1", now)?.status).toBe("resolved");
    expect(resolveAlert(t.db, "offboarding:1", now)).toBeUndefined();
    expect(claimAlert(t.db, input, now).created).toBe(true);
  });

  it("sends each reminder once per end date", () => {
    t = createTestDatabase();
    const person = upsertManagedPerson(
      t.db,
      {
        doorflowPersonId: 11,
        kind: "contractor",
        firstName: "A",
        lastName: "B",
        startDate: "2027-03-01",
        endDate: "2027-04-01",
      },
      now,
    );
    expect(claimReminder(t.db, { managedPersonId: person.id, kind: "7d", endDate: "2027-04-01" }, now)).toBe(
      true,
    );
    expect(claimReminder(t.db, { managedPersonId: person.id, kind: "7d", endDate: "2027-04-01" }, now)).toBe(
      false,
    );
    expect(claimReminder(t.db, { managedPersonId: person.id, kind: "7d", endDate: "2027-05-01" }, now)).toBe(
      true,
    );
  });

  it("lists active people ending soonest first, never holds a PIN, and records the card once", () => {
    t = createTestDatabase();
    for (const [id, end] of [
      [1, "2027-05-01"],
      [2, "2027-04-01"],
      [3, "2027-04-15"],
    ] as const) {
      upsertManagedPerson(
        t.db,
        {
          doorflowPersonId: id,
          kind: "contractor",
          firstName: `F${id}`,
          lastName: "L",
          startDate: "2027-03-01",
          endDate: end,
          credentials: [
            { id: `c${id}`, typeSlug: "card_number", cardNumber: `100${id}` },
            { id: `p${id}`, typeSlug: "pin", cardNumber: null },
          ],
        },
        now,
      );
    }
    const active = listActiveManaged(t.db);
    expect(active.map((p) => p.doorflowPersonId)).toEqual([2, 3, 1]);
    expect(markCardCollected(t.db, active[0]?.id as number, "U0FAC", now)).toBe(true);
    expect(markCardCollected(t.db, active[0]?.id as number, "U0FAC2", now)).toBe(false);
    expect(Object.keys(active[0]?.credentials[1] ?? {})).toEqual(["id", "typeSlug", "cardNumber"]);
  });

  it("finds a person's history by email case-insensitively, oldest first", () => {
    t = createTestDatabase();
    recordAudit(t.db, {
      at: new Date("2027-03-02T00:00:00Z"),
      actor: "U1",
      action: "request.approved",
      subjectEmail: "Ada@Example.com",
    });
    recordAudit(t.db, {
      at: new Date("2027-03-01T00:00:00Z"),
      actor: "U1",
      action: "request.created",
      subjectEmail: "ada@example.com",
    });
    recordAudit(t.db, {
      at: new Date("2027-03-01T00:00:00Z"),
      actor: "U1",
      action: "request.created",
      subjectEmail: "bob@example.com",
    });
    expect(listAuditFor(t.db, { email: "ADA@example.com" }).map((e) => e.action)).toEqual([
      "request.created",
      "request.approved",
    ]);
  });
});

describe("webhook deliveries", () => {
  it("prunes delivery ids received before the cutoff and keeps the rest, whatever their state", () => {
    t = createTestDatabase();
    const day = 24 * 3600_000;
    const rows = [
      { deliveryId: "d-old-processed", receivedAt: new Date(now.getTime() - 45 * day), status: "processed" },
      { deliveryId: "d-old-failed", receivedAt: new Date(now.getTime() - 31 * day), status: "failed" },
      { deliveryId: "d-edge", receivedAt: new Date(now.getTime() - 30 * day), status: "processed" },
      { deliveryId: "d-new", receivedAt: new Date(now.getTime() - day), status: "received" },
    ] as const;
    for (const r of rows)
      t.db
        .insert(webhookDeliveries)
        .values({ ...r, event: "passes.permits.issued" })
        .run();
    expect(pruneWebhookDeliveries(t.db, new Date(now.getTime() - 30 * day))).toBe(2);
    const left = t.db.select({ id: webhookDeliveries.deliveryId }).from(webhookDeliveries).all();
    expect(left.map((r) => r.id).sort()).toEqual(["d-edge", "d-new"]);
  });
});
