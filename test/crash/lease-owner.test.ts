/**
 * Lease owners: which holders are provably gone (a real process that has exited, this pid under an
 * older boot), which are not (a live process, another instance in this process, another host, an
 * id of another shape), and the take-over at start on a real database: the gone owner's leases end
 * at once, so the due provisioning and offboarding are picked up; a live owner's are kept.
 */
import { spawn } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  claimProvisioning,
  decideAccessRequest,
  findProvisioningDue,
  insertAccessRequest,
  type NewAccessRequest,
} from "../../src/db/repositories/access-requests.js";
import {
  claimDueOffboardings,
  findDueOffboardings,
  scheduleOffboarding,
} from "../../src/db/repositories/offboardings.js";
import { jobRuns } from "../../src/db/schema.js";
import { createLogger } from "../../src/lib/logger.js";
import { isGoneOwner, newLeaseOwnerId, takeOverLeasesOfGoneOwners } from "../../src/wiring/lease-owner.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

/** The pid of a process that has started and exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

/** An owner id like this process's, with one part replaced. */
function ownerWith(part: { host?: string; pid?: number; boot?: string }): string {
  const [instance, boot, pid, ...host] = newLeaseOwnerId().split("/").reverse();
  return [part.host ?? host.reverse().join("/"), part.pid ?? pid, part.boot ?? boot, instance].join("/");
}

describe("lease owners", () => {
  it("knows a holder on this host is gone when its process has exited or its pid is now ours", async () => {
    expect(isGoneOwner(ownerWith({ pid: await deadPid() }))).toBe(true);
    expect(isGoneOwner(ownerWith({ boot: "0badb00d" }))).toBe(true);
  });

  it("keeps the leases of holders it cannot prove gone", () => {
    expect(isGoneOwner(newLeaseOwnerId())).toBe(false); // another instance in this very process
    expect(isGoneOwner(ownerWith({ pid: process.ppid }))).toBe(false); // alive
    expect(isGoneOwner(ownerWith({ host: "another-host~pid:[4026531836]", boot: "0badb00d" }))).toBe(false);
    expect(isGoneOwner("4242-1a2b3c4d")).toBe(false); // the id shape before boot ids
  });

  it("ends the leases of gone holders at start, so their provisioning and offboarding resume at once", async () => {
    t = createTestDatabase();
    const now = new Date();
    const gone = ownerWith({ pid: await deadPid() });
    const live = ownerWith({ host: "another-host" });
    const request = (id: string): NewAccessRequest => ({
      id,
      kind: "contractor",
      requesterId: "U0REQUEST",
      firstName: "Ada",
      lastName: id,
      email: `${id}@example.com`,
      company: "Engines Ltd",
      accessIds: [1],
      accessNames: ["Loading dock"],
      startDate: "2027-03-29",
      endDate: "2027-06-30",
      credential: "card",
      cardNumber: "123456",
      expiresAt: new Date(now.getTime() + 3_600_000),
    });
    for (const [id, owner] of [
      ["req_gone", gone],
      ["req_live", live],
    ] as const) {
      insertAccessRequest(t.db, request(id), now);
      decideAccessRequest(
        t.db,
        id,
        { outcome: "approved", giveUpAt: new Date(now.getTime() + 86_400_000) },
        "U0A",
        now,
      );
      expect(claimProvisioning(t.db, id, owner, 120_000, now)).toBeDefined();
    }
    scheduleOffboarding(
      t.db,
      {
        doorflowPersonId: 7,
        personName: "Lee Ving",
        reason: "contract_end",
        lastDay: "2027-03-28",
        dueAt: new Date(now.getTime() - 1_000),
        requestedBy: "job",
      },
      now,
    );
    expect(claimDueOffboardings(t.db, gone, 30 * 60_000, now)).toHaveLength(1);
    expect(findProvisioningDue(t.db, now)).toEqual([]);

    const logged: string[] = [];
    const logger = createLogger({ write: (line) => logged.push(line) });
    const taken = takeOverLeasesOfGoneOwners(t.db, now, logger);

    expect(taken).toEqual({ owners: [gone], requests: 1, offboardings: 1, leavers: 0, jobRuns: 0 });
    expect(findProvisioningDue(t.db, now).map((r) => r.id)).toEqual(["req_gone"]);
    expect(findDueOffboardings(t.db, now)).toHaveLength(1);
    expect(logged.join("\n")).toContain("took over the leases of stopped processes");
    // A second start finds nothing left to take over.
    expect(takeOverLeasesOfGoneOwners(t.db, now, logger).owners).toEqual([]);
  });
});

describe("daily runs left running by a killed process", () => {
  it("are marked abandoned at start; a live process's run is left alone", async () => {
    t = createTestDatabase();
    const now = new Date();
    const gone = ownerWith({ pid: await deadPid() });
    const live = ownerWith({ host: "another-host" });
    const started = new Date(now.getTime() - 5 * 60_000);
    const run = (owner: string | null, startedAt: Date) =>
      t?.db
        .insert(jobRuns)
        .values({ job: "daily", scheduledFor: null, startedAt, status: "running", owner })
        .returning()
        .get();
    const killed = run(gone, started);
    const running = run(live, started);
    // Written before runs named their process: abandoned once older than any run takes.
    const oldUnnamed = run(null, new Date(now.getTime() - 3 * 3_600_000));
    const taken = takeOverLeasesOfGoneOwners(t.db, now, createLogger({ write: () => undefined }));
    expect(taken.jobRuns).toBe(2);
    const status = (id: number | undefined) =>
      t?.db
        .select()
        .from(jobRuns)
        .where(eq(jobRuns.id, id ?? 0))
        .get();
    expect(status(killed?.id)).toMatchObject({ status: "abandoned", finishedAt: now });
    expect(status(oldUnnamed?.id)).toMatchObject({ status: "abandoned", finishedAt: now });
    expect(status(running?.id)).toMatchObject({ status: "running", finishedAt: null });
  });
});
