/** Read-only answers for `/contractor list` and `/contractor status`; callers see what they may. */
import { listRequestsByEmail } from "../db/repositories/access-requests.js";
import { findManagedByEmail, listActiveManaged } from "../db/repositories/managed-people.js";
import { daysBetween, type LocalDate } from "../lib/time.js";
import type { Deps } from "./deps.js";
import { todayIn } from "./requests.js";
import { personName } from "./model.js";

const LIST_LIMIT = 200;

export interface ContractorRow {
  personName: string;
  email: string;
  company: string;
  endDate: LocalDate;
  daysLeft: number;
}

export function listContractorsFor(
  deps: Pick<Deps, "db" | "now" | "settings">,
  viewer: { userId: string; seesAll: boolean },
): { rows: ContractorRow[]; today: LocalDate; total: number } {
  const today = todayIn(deps);
  const active = listActiveManaged(deps.db).filter(
    (m) => m.kind === "contractor" && (viewer.seesAll || m.requesterId === viewer.userId),
  );
  return {
    today,
    total: active.length,
    rows: active.slice(0, LIST_LIMIT).map((m) => ({
      personName: personName(m),
      email: m.email ?? "",
      company: m.company ?? "",
      endDate: m.endDate,
      daysLeft: daysBetween(today, m.endDate),
    })),
  };
}

export function statusFor(
  deps: Pick<Deps, "db">,
  query: { email: string; userId: string; seesAll: boolean },
) {
  const requests = listRequestsByEmail(deps.db, query.email).filter(
    (r) => query.seesAll || r.requesterId === query.userId,
  );
  // Someone who once asked for this email does not thereby see another requester's contractor.
  const managed = findManagedByEmail(deps.db, query.email)
    .filter((m) => query.seesAll || m.requesterId === query.userId)
    .at(-1);
  const first = requests[0];
  return {
    personName: first ? personName(first) : managed ? personName(managed) : query.email,
    email: query.email,
    requests: requests.map((r) => ({
      id: r.id,
      kind: r.kind,
      state: r.state === "requested" ? "pending" : r.state,
      startDate: r.startDate,
      endDate: r.endDate,
      decidedBy: r.decidedBy ?? undefined,
      lastError: r.lastError ?? undefined,
    })),
    managed: managed
      ? { status: managed.status, endDate: managed.endDate, cardCollected: managed.cardCollectedAt !== null }
      : undefined,
  };
}
