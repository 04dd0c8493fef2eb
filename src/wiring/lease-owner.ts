/**
 * Who holds a lease, and whether that holder is provably gone.
 *
 * Leases (provisioning 2 min, due offboardings 30 min) keep two live processes off the same row. A
 * process killed mid-run leaves its leases behind, and without more a restart waits for them to
 * lapse. So an owner id names where it ran: the host (hostname and, on Linux, the pid namespace,
 * so two containers sharing a hostname are never mistaken for one another), the pid, a boot id
 * drawn once per process, and an instance id per Gatehouse started in that process (tests start
 * several). At start, a lease whose owner ran on this host and is gone — its pid no longer exists,
 * or the pid is ours under another boot id (a container restarted as pid 1) — is ended at once.
 * Whatever cannot be proven gone (another host, a pid some other process now has, an older id
 * format, another instance in this process) keeps its lease until it lapses, as before.
 */
import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { hostname } from "node:os";
import type { Database } from "../db/database.js";
import { expireLeasesOf, liveLeaseOwners } from "../db/repositories/leases.js";
import type { Logger } from "../lib/logger.js";

export interface ProcessIdentity {
  host: string;
  pid: number;
  boot: string;
}

function pidNamespace(): string | null {
  try {
    return readlinkSync("/proc/self/ns/pid");
  } catch {
    return null;
  }
}

const HERE: ProcessIdentity = {
  host: [hostname(), pidNamespace()].filter(Boolean).join("~"),
  pid: process.pid,
  boot: randomBytes(4).toString("hex"),
};

const OWNER = /^(.+)\/(\d+)\/([0-9a-f]{8})\/([0-9a-f]{8})$/;

/** A new owner id for one Gatehouse instance in this process: `<host>/<pid>/<boot>/<instance>`. */
export function newLeaseOwnerId(here: ProcessIdentity = HERE): string {
  return `${here.host}/${here.pid}/${here.boot}/${randomBytes(4).toString("hex")}`;
}

/** Signal 0 checks that a pid exists without touching it; EPERM means it exists under another user. */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

export function isGoneOwner(
  owner: string,
  here: ProcessIdentity = HERE,
  exists: (pid: number) => boolean = pidExists,
): boolean {
  const match = OWNER.exec(owner);
  if (!match || match[1] !== here.host) return false;
  const pid = Number(match[2]);
  if (pid === here.pid) return match[3] !== here.boot;
  return !exists(pid);
}

/**
 * Ends the running leases of owners that are gone (see above), so what they were doing is resumed
 * by the next claim. Returns what was taken over.
 */
export function takeOverLeasesOfGoneOwners(
  db: Database,
  now: Date,
  logger: Logger,
  isGone: (owner: string) => boolean = isGoneOwner,
): { owners: string[]; requests: number; offboardings: number; leavers: number; jobRuns: number } {
  const owners = liveLeaseOwners(db, now).filter((owner) => isGone(owner));
  const taken = expireLeasesOf(db, owners, now);
  if (owners.length > 0 || taken.jobRuns > 0)
    logger.info("took over the leases of stopped processes", { owners, ...taken });
  return { owners, ...taken };
}
