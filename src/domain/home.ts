/**
 * What one viewer's App Home shows: their own requests, what waits for their decision (approvers),
 * who has access through Gatehouse, and open failures (operators). Every read is bounded, so an
 * operator's home costs the same with fifty or five thousand managed people: the view can only show
 * about a hundred blocks, and reading more than fits would be wasted work on every refresh.
 */
import { listPendingRequests, listRequestsByRequester } from "../db/repositories/access-requests.js";
import { listOpenAlerts } from "../db/repositories/alerts.js";
import { countLeaverEvents, listRecentLeaverEvents } from "../db/repositories/leaver-events.js";
import type { LeaverSignal, LeaverSource, LeaverState } from "./model.js";
import { countActiveManaged, listActiveManaged } from "../db/repositories/managed-people.js";
import { type ManagedPerson } from "./model.js";
import { getBuzzinPermit } from "../db/repositories/buzzin-permits.js";
import type { AccessKind, BuzzinStage, PersonKind, ProviderId, RequestState } from "./model.js";
import { daysBetween, type LocalDate, localDateOf } from "../lib/time.js";
import type { Deps, DomainSettings } from "./deps.js";
import { personName } from "./model.js";

/**
 * Rows read per part. Slack takes 100 blocks in a home view and a row with buttons costs two, so
 * these are the most that could ever be shown; the view builder decides how many actually fit.
 */
export const HOME_LIMITS = {
  requests: 10,
  approvals: 10,
  people: 50,
  failures: 10,
  leavers: 8,
} as const;

/** Open alerts are few (each is a failure nobody has fixed yet); reading this many gives an exact count. */
const ALERTS_COUNTED = 500;

export interface HomeRequest {
  id: string;
  kind: AccessKind;
  personName: string;
  company: string;
  startDate: LocalDate;
  endDate: LocalDate;
  state: RequestState;
  decidedBy: string | null;
  denyReason: string | null;
  /** A Buzz-in request's own stage: waiting for the community admin, a permit draft, active… */
  buzzinStage?: BuzzinStage;
}

export interface HomeApproval {
  id: string;
  kind: AccessKind;
  personName: string;
  email: string | null;
  company: string;
  accessNames: string[];
  startDate: LocalDate;
  endDate: LocalDate;
  requesterId: string;
}

export interface HomePerson {
  managedPersonId: number;
  /** Null for a Buzz-in contractor (their "Offboard" goes by the managed person instead). */
  doorflowPersonId: number | null;
  provider: ProviderId;
  /** Who asked for them (the requester may reissue a Buzz-in pass). */
  requesterId: string | null;
  kind: PersonKind;
  personName: string;
  email: string | null;
  company: string | null;
  endDate: LocalDate;
  /** Whole days from today to the last day: 0 on the last day, negative when it has passed. */
  daysLeft: number;
}

export interface HomeFailure {
  key: string;
  kind: "offboarding" | "provisioning" | "other";
  summary: string;
  since: Date;
  /** For "Retry": only a failed offboarding can be retried from Slack. */
  offboardingId: number | null;
}

/** A leaver Gatehouse heard of (HR, SCIM, Slack) and where it stands. */
export interface HomeLeaver {
  source: LeaverSource;
  signal: LeaverSignal;
  state: LeaverState;
  name: string | null;
  email: string | null;
  lastDay: LocalDate | null;
  detail: string | null;
  receivedAt: Date;
}

interface Page<T> {
  rows: T[];
  /** How many there are in all (at least `rows.length`). */
  total: number;
}

export interface HomeData {
  viewerId: string;
  today: LocalDate;
  timeZone: string;
  roles: { approver: boolean; operator: boolean };
  /** The viewer's latest requests; `more` when older ones exist. */
  requests: { rows: HomeRequest[]; more: boolean };
  /** Requests the viewer may decide on; `null` when the viewer is not an approver. */
  approvals: Page<HomeApproval> | null;
  /** Active people ending soonest first: everyone for approvers and operators, otherwise the viewer's own. */
  people: Page<HomePerson> & { scope: "all" | "mine" };
  /** Open failures; `null` when the viewer is not an operator. */
  failures: Page<HomeFailure> | null;
  /** The latest leavers detected without /offboard; absent or `null` when the viewer is not an operator. */
  leavers?: Page<HomeLeaver> | null;
}

export type HomeDeps = Pick<Deps, "db" | "policy" | "now"> & { settings: Pick<DomainSettings, "timeZone"> };

export async function loadHome(deps: HomeDeps, viewerId: string): Promise<HomeData> {
  const [approver, operator] = await Promise.all([
    deps.policy.isApprover(viewerId),
    deps.policy.isOperator(viewerId),
  ]);
  const now = deps.now();
  const timeZone = deps.settings.timeZone;
  const today = localDateOf(now, timeZone);

  const mine = listRequestsByRequester(deps.db, viewerId, HOME_LIMITS.requests + 1);
  const requests = {
    rows: mine.slice(0, HOME_LIMITS.requests).map((r): HomeRequest => ({
      id: r.id,
      kind: r.kind,
      personName: personName(r),
      company: r.company,
      startDate: r.startDate,
      endDate: r.endDate,
      // A pending request past its expiry is expired for the viewer, even before the sweep marks it.
      state: r.state === "requested" && r.expiresAt.getTime() <= now.getTime() ? "expired" : r.state,
      decidedBy: r.decidedBy,
      denyReason: r.denyReason,
      ...buzzinStageOf(deps, r),
    })),
    more: mine.length > HOME_LIMITS.requests,
  };

  let approvals: Page<HomeApproval> | null = null;
  if (approver) {
    // Nobody may decide their own request, so it is not offered here (it is under "your requests").
    const pending = listPendingRequests(deps.db).filter(
      (r) => r.requesterId !== viewerId && r.expiresAt.getTime() > now.getTime(),
    );
    approvals = {
      total: pending.length,
      rows: pending.slice(0, HOME_LIMITS.approvals).map((r) => ({
        id: r.id,
        kind: r.kind,
        personName: personName(r),
        email: r.email,
        company: r.company,
        accessNames: r.accessNames,
        startDate: r.startDate,
        endDate: r.endDate,
        requesterId: r.requesterId,
      })),
    };
  }

  const toPerson = (m: ManagedPerson): HomePerson => ({
    managedPersonId: m.id,
    doorflowPersonId: m.doorflowPersonId,
    provider: m.provider,
    requesterId: m.requesterId,
    kind: m.kind,
    personName: personName(m),
    email: m.email,
    company: m.company,
    endDate: m.endDate,
    daysLeft: daysBetween(today, m.endDate),
  });
  let people: HomeData["people"];
  if (approver || operator) {
    people = {
      scope: "all",
      rows: listActiveManaged(deps.db, { limit: HOME_LIMITS.people }).map(toPerson),
      total: countActiveManaged(deps.db),
    };
  } else {
    // Bounded like an operator's: filtering the whole active list in memory took 144 ms at p99 with
    // 5,000 people; the requester index reads only the viewer's rows, and only those shown.
    const own = { requesterId: viewerId };
    people = {
      scope: "mine",
      rows: listActiveManaged(deps.db, { ...own, limit: HOME_LIMITS.people }).map(toPerson),
      total: countActiveManaged(deps.db, own),
    };
  }

  let failures: Page<HomeFailure> | null = null;
  if (operator) {
    const open = listOpenAlerts(deps.db, ALERTS_COUNTED);
    failures = { total: open.length, rows: open.slice(0, HOME_LIMITS.failures).map(toFailure) };
  }

  const leavers: Page<HomeLeaver> | null = operator
    ? {
        total: countLeaverEvents(deps.db),
        rows: listRecentLeaverEvents(deps.db, HOME_LIMITS.leavers).map((e) => ({
          source: e.source,
          signal: e.signal,
          state: e.state,
          name: e.name,
          email: e.email,
          lastDay: e.lastDay,
          detail: e.detail,
          receivedAt: e.receivedAt,
        })),
      }
    : null;

  return {
    viewerId,
    today,
    timeZone,
    roles: { approver, operator },
    requests,
    approvals,
    people,
    failures,
    leavers,
  };
}

/** Where a Buzz-in request stands in Buzz-in (one keyed read; a viewer sees at most ten requests). */
function buzzinStageOf(
  deps: HomeDeps,
  r: { id: string; provider: ProviderId },
): { buzzinStage?: BuzzinStage } {
  if (r.provider !== "buzzin") return {};
  const stage = getBuzzinPermit(deps.db, r.id)?.stage;
  return stage ? { buzzinStage: stage } : {};
}

function toFailure(alert: { key: string; summary: string; createdAt: Date }): HomeFailure {
  const [prefix, id] = alert.key.split(":", 2);
  const offboardingId = prefix === "offboarding" && id !== undefined && /^\d+$/.test(id) ? Number(id) : null;
  const kind =
    prefix === "offboarding" ? "offboarding" : prefix === "provisioning" ? "provisioning" : "other";
  return { key: alert.key, kind, summary: alert.summary, since: alert.createdAt, offboardingId };
}
