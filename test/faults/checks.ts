/**
 * What must hold after a fault scenario, read from what the bot left behind: the DoorFlow sandbox's
 * state, our database, and every message the Slack stand-in stored. Each check adds a sentence to
 * `problems` instead of throwing, so one run reports everything that went wrong at once.
 */
import { eq, isNull } from "drizzle-orm";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { getAlert } from "../../src/db/repositories/alerts.js";
import { listAuditFor } from "../../src/db/repositories/audit.js";
import { findManagedByRequest } from "../../src/db/repositories/managed-people.js";
import { listOutbox } from "../helpers/db-reads.js";
import { alerts, offboardings } from "../../src/db/schema.js";
import { groupReservationState } from "../../tools/sandbox/doorflow/model.js";
import type { StoredMessage } from "../../tools/sandbox/slack/types.js";
import { CHANNELS, type Story } from "../../tools/sandbox/story.js";
import { ACTION } from "../../src/slack/ids.js";

export interface Tally {
  requests: number;
  offboardings: number;
  duplicates: number;
  repeatedAlerts: number;
  /** Messages Gatehouse owed and never delivered (or never updated): receipts, approvals, alerts… */
  lostPosts: number;
  problems: string[];
}

/**
 * The alert under this key is posted, or (while Slack is failing) owed: recorded and waiting in the
 * durable outbox, which delivers it once Slack answers.
 */
export function alertPostedOrOwed(s: Story, key: string): boolean {
  const db = s.gatehouse.db;
  if (getAlert(db, key)?.ts) return true;
  return listOutbox(db, ["pending"]).some((row) => row.kind === "post" && row.ref === `alert:${key}`);
}

export const emptyTally = (): Tally => ({
  requests: 0,
  offboardings: 0,
  duplicates: 0,
  repeatedAlerts: 0,
  lostPosts: 0,
  problems: [],
});

const blocksOf = (m: StoredMessage) => JSON.stringify(m.blocks);

function liveAccess(s: Story, personId: number, now: Date) {
  const { state } = s.doorflow.sandbox;
  return {
    groupReservations: state.groupReservations.filter(
      (g) => g.personId === personId && groupReservationState(g, now) !== "deactivated",
    ),
    reservations: state.reservations.filter((r) => r.personId === personId && r.endTime > now),
  };
}

/** One person per system_id and per email of ours, one live group reservation, one credential per type. */
export function checkNoDuplicates(s: Story, emails: string[], now: Date, t: Tally): void {
  const { state } = s.doorflow.sandbox;
  const people = state.people.filter((p) => !p.deleted);
  const count = (keys: Array<string | null>) => {
    const seen = new Map<string, number>();
    for (const k of keys) if (k !== null) seen.set(k, (seen.get(k) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1);
  };
  const ours = new Set(emails.map((e) => e.toLowerCase()));
  const twice = [
    ...count(people.map((p) => p.systemId)).map(([k, n]) => `${n} DoorFlow people with system_id ${k}`),
    ...count(people.map((p) => p.email?.toLowerCase() ?? null).filter((e) => e !== null && ours.has(e))).map(
      ([k, n]) => `${n} DoorFlow people with the email ${k}`,
    ),
    ...count(
      state.groupReservations
        .filter((g) => groupReservationState(g, now) !== "deactivated")
        .map((g) => String(g.personId)),
    ).map(([k, n]) => `${n} live group reservations for person ${k}`),
    ...count(state.reservations.map((r) => String(r.personId))).map(
      ([k, n]) => `${n} reservations for person ${k}`,
    ),
    ...count(state.credentials.map((c) => `${c.personId}/${c.credentialTypeId}`)).map(
      ([k, n]) => `${n} credentials of one type (person/type ${k})`,
    ),
  ];
  t.duplicates += twice.length;
  t.problems.push(...twice.map((d) => `duplicate: ${d}`));
}

/** Provisioned in full (person, credentials, access, the requester's one DM), or failed with an alert. */
export function checkRequests(s: Story, ids: string[], now: Date, t: Tally): void {
  const { sandbox } = s.doorflow;
  const type = (slug: string) => sandbox.credentialTypeId(slug);
  const messages = s.slack.messages();
  for (const id of ids) {
    t.requests++;
    const r = getAccessRequest(s.gatehouse.db, id);
    if (!r) {
      t.problems.push(`request ${id} is gone`);
      continue;
    }
    const name = `${r.firstName} ${r.lastName}`;
    const receipts = messages.filter((m) => m.text.startsWith(`Your request for ${name} `));
    if (receipts.length === 0) t.lostPosts++;
    if (receipts.length !== 1)
      t.problems.push(`${receipts.length} receipts sent for the request for ${r.email}`);
    const approvals = messages.filter((m) => m.channel === CHANNELS.approval && blocksOf(m).includes(id));
    if (approvals.length === 0) t.lostPosts++;
    if (approvals.length !== 1) t.problems.push(`${approvals.length} approval messages for ${r.email}`);
    else if (blocksOf(approvals[0] as StoredMessage).includes(ACTION.approve)) {
      t.lostPosts++;
      t.problems.push(`the approval message for ${r.email} still offers Approve`);
    }

    if (r.state === "failed") {
      if (!getAlert(s.gatehouse.db, `provisioning:${id}`)?.ts)
        t.problems.push(`request for ${r.email} failed without a posted alert`);
      continue;
    }
    const offboarded = findManagedByRequest(s.gatehouse.db, id)?.status === "offboarded";
    // An offboarded contractor's request is over: ended, never still "active".
    if (offboarded && r.state === "active")
      t.problems.push(`request for ${r.email} is offboarded but active`);
    if (!offboarded && r.state === "ended") t.problems.push(`request for ${r.email} ended, not offboarded`);
    if (r.state !== "active" && r.state !== "ended") {
      t.problems.push(
        `request for ${r.email} left ${r.state} at step ${r.step} (${r.lastError ?? "no error"})`,
      );
      continue;
    }
    const person = sandbox.personBySystemId(id);
    if (!person) {
      t.problems.push(`request for ${r.email} is active but DoorFlow has no person for it`);
      continue;
    }
    const held = sandbox.state.credentials.filter((c) => c.personId === person.id);
    const has = (slug: string, value?: string | null) =>
      held.some((c) => c.credentialTypeId === type(slug) && (value === undefined || c.value === value));
    const wanted: Array<[string, string | null | undefined]> = [["pin", undefined]];
    if (r.credential === "card") wanted.push(["card_number", r.cardNumber]);
    // Offboarding keeps a card and PIN on the disabled person but revokes a mobile credential (it
    // holds an HID seat): DoorFlow answers 202 "revoking" and drops it once done.
    if (r.credential === "mobile" && !offboarded) wanted.push(["hid_mobile_access", undefined]);
    for (const [slug, value] of wanted)
      if (!has(slug, value))
        t.problems.push(`${r.email} has no ${slug} credential${value ? ` ${value}` : ""}`);
    const mobileType = type("hid_mobile_access");
    if (
      offboarded &&
      held.some((c) => c.credentialTypeId === mobileType && (c.status === "invited" || c.status === "active"))
    )
      t.problems.push(`${r.email} is offboarded but still holds a live hid_mobile_access credential`);

    const live = liveAccess(s, person.id, now);
    if (offboarded) {
      if (person.enabled || live.groupReservations.length + live.reservations.length > 0)
        t.problems.push(`${r.email} is offboarded in our records but still has access in DoorFlow`);
    } else if (!person.enabled) {
      t.problems.push(`${r.email} is active but disabled in DoorFlow`);
    } else if (r.kind === "contractor") {
      const g = live.groupReservations.find((x) => x.id === r.groupReservationId);
      if (!g || g.groupIds.join() !== r.accessIds.join())
        t.problems.push(`${r.email} has no live group reservation ${r.groupReservationId} for its groups`);
    } else {
      const v = live.reservations.find((x) => x.id === r.reservationId);
      if (!v || v.channelIds.join() !== r.accessIds.join())
        t.problems.push(`${r.email} has no reservation ${r.reservationId} for its doors`);
    }
    const dms = messages.filter((m) => blocksOf(m).includes(ACTION.showPin) && blocksOf(m).includes(id));
    if (dms.length === 0) {
      t.lostPosts++;
      t.problems.push(`the requester of ${r.email} never got the card and PIN`);
    }
    if (dms.length > 1)
      t.problems.push(`the requester of ${r.email} got the card and PIN ${dms.length} times`);
  }
}

/**
 * Every offboarding due by `now` is completed and verified in DoorFlow, or failed with a posted
 * alert. Returns how many were due, how many of those were not completed, and whose they were.
 */
export function checkDueOffboardings(
  s: Story,
  now: Date,
  t: Tally,
  options: { owedCounts?: boolean } = {},
): { due: number; notDone: number; people: Set<number> } {
  const { db } = s.gatehouse;
  const due = db
    .select()
    .from(offboardings)
    .all()
    .filter((o) => o.dueAt <= now && o.status !== "cancelled");
  for (const o of due) {
    t.offboardings++;
    if (o.status === "failed") {
      const key = `offboarding:${o.id}`;
      if (!(getAlert(db, key)?.ts || (options.owedCounts && alertPostedOrOwed(s, key))))
        t.problems.push(`offboarding ${o.personName} failed without a posted alert`);
      continue;
    }
    if (o.status !== "completed") {
      t.problems.push(`offboarding ${o.personName} left ${o.status} (${o.lastError ?? "no error"})`);
      continue;
    }
    const person = o.doorflowPersonId
      ? s.doorflow.sandbox.state.people.find((p) => p.id === o.doorflowPersonId)
      : o.requestId
        ? s.doorflow.sandbox.personBySystemId(o.requestId)
        : undefined;
    // Completed with no person: provisioning never created one, so there is nothing to end.
    if (person) checkOffboarded(s, person.id, o.personName, now, t);
  }
  return {
    due: due.length,
    notDone: due.filter((o) => o.status !== "completed").length,
    people: new Set(due.flatMap((o) => (o.doorflowPersonId === null ? [] : [o.doorflowPersonId]))),
  };
}

/** Disabled, nothing live, and the verification on record. */
export function checkOffboarded(s: Story, personId: number, who: string, now: Date, t: Tally): void {
  const person = s.doorflow.sandbox.state.people.find((p) => p.id === personId);
  const live = liveAccess(s, personId, now);
  if (!person || person.enabled) t.problems.push(`${who} is still enabled in DoorFlow`);
  if (live.groupReservations.length + live.reservations.length > 0)
    t.problems.push(`${who} still has live reservations in DoorFlow`);
  const verified = listAuditFor(s.gatehouse.db, { doorflowPersonId: personId }).some(
    (a) => a.action === "offboard.completed",
  );
  if (!verified) t.problems.push(`${who} has no verified offboarding on record`);
}

/**
 * No alert posted twice (security-channel posts by title), every recorded alert posted, and one
 * card-collection notice per card at most.
 */
export function checkAlerts(s: Story, t: Tally): void {
  const posted = s.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === CHANNELS.security && c.status === 200)
    .map((c) => String(c.args.text));
  const byTitle = new Map<string, number>();
  for (const title of posted) byTitle.set(title, (byTitle.get(title) ?? 0) + 1);
  for (const [title, n] of byTitle) {
    if (n < 2) continue;
    t.repeatedAlerts++;
    t.problems.push(`alert repeated ${n} times: ${title}`);
  }
  const unposted = s.gatehouse.db.select().from(alerts).where(isNull(alerts.ts)).all();
  t.lostPosts += unposted.length;
  for (const a of unposted) t.problems.push(`alert ${a.key} recorded but never posted`);
  // Every offboarding is done by the end, so each of their alerts now says it is resolved.
  const security = s.slack.messages(CHANNELS.security);
  for (const a of s.gatehouse.db.select().from(alerts).where(eq(alerts.kind, "offboarding_failed")).all()) {
    const shown = security.find((m) => m.ts === a.ts)?.text ?? "";
    if (a.status !== "resolved" || !shown.startsWith("Resolved")) {
      t.lostPosts++;
      t.problems.push(`alert ${a.key} (${a.summary}) is not marked resolved`);
    }
  }

  const cards = s.slack
    .messages(CHANNELS.facilities)
    .flatMap((m) => [...m.text.matchAll(/collect card ([\d, ]+) from/g)].map((x) => x[1]?.trim() ?? ""));
  for (const card of new Set(cards)) {
    const n = cards.filter((c) => c === card).length;
    if (n > 1) {
      t.repeatedAlerts++;
      t.problems.push(`card collection for ${card} posted ${n} times`);
    }
  }
}

/**
 * What the security channel says, or is owed, about bulk-listed people: the bulk run's own alert
 * (people it could not start on) and each failed person-offboarding's alert. An alert goes through
 * the durable outbox, which delivers in order: behind a post Slack refused (a 429, a 5xx) it waits
 * out the backoff, so a check made at that instant finds it there. checkOutboxDelivered and
 * checkAlerts make sure it is delivered in the end.
 */
function bulkAlertText(s: Story): string {
  const aboutBulk = (text: string) =>
    text.startsWith("Bulk offboarding") || /^(Resolved: )?Offboarding .* failed/.test(text);
  const posted = s.slack
    .messages(CHANNELS.security)
    .filter((m) => aboutBulk(m.text))
    .map((m) => blocksOf(m));
  const owed = listOutbox(s.gatehouse.db, ["pending"])
    .filter((row) => row.kind === "post" && row.channel === CHANNELS.security && aboutBulk(row.message.text))
    .map((row) => JSON.stringify(row.message.blocks));
  return [...posted, ...owed].join("\n");
}

/**
 * Each bulk-listed leaver is offboarded, or the security channel was told: the bulk run's alert or
 * their own offboarding's names them, or (a long list being cut to what a Slack message holds) the
 * alert says "see the audit trail" and their failure is in it.
 */
export function checkBulkAlerted(
  s: Story,
  leavers: Array<{ personId: number; email: string }>,
  now: Date,
  t: Tally,
): void {
  const alerted = bulkAlertText(s);
  const inAudit = (personId: number) =>
    alerted.includes("see the audit trail") &&
    listAuditFor(s.gatehouse.db, { doorflowPersonId: personId }).some((a) => a.action === "offboard.failed");
  for (const l of leavers) {
    const probe = emptyTally();
    checkOffboarded(s, l.personId, l.email, now, probe);
    if (probe.problems.length > 0 && !alerted.includes(l.email) && !inAudit(l.personId))
      t.problems.push(`bulk offboarding of ${l.email} did not complete and was not alerted`);
  }
}

/** A facilities reminder for each of these cards (people offboarded with a physical card). */
export function checkCardReminders(s: Story, cards: Array<{ card: string; who: string }>, t: Tally): void {
  const facilities = s.slack.messages(CHANNELS.facilities).map((m) => m.text);
  for (const { card, who } of cards) {
    if (facilities.some((text) => text.includes(card))) continue;
    t.lostPosts++;
    t.problems.push(`no card collection reminder for ${who} (card ${card})`);
  }
}

/** Nothing still waiting in the outbox, and nothing Slack refused for good. */
export function checkOutboxDelivered(s: Story, t: Tally): void {
  for (const row of listOutbox(s.gatehouse.db, ["pending", "failed"])) {
    t.lostPosts++;
    t.problems.push(
      `Slack message ${row.id} (${row.kind} to ${row.channel ?? row.ref}) is ${row.status}: ${row.lastError ?? "never tried"}`,
    );
  }
}
