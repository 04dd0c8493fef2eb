/**
 * `gatehouse offboard <email>`, `gatehouse contractors list` and `gatehouse audit export`: the
 * same use cases as Slack, for operators at a terminal (whoever can run this holds the bot's
 * configuration, so the command runs as the operator "cli").
 */
import { closeDatabase, openDatabase, parseDatabaseUrl } from "../db/database.js";
import { exportAudit } from "../domain/audit-export.js";
import { confirmCardCollected, findCardHolderByEmail } from "../domain/card-collection.js";
import type { ManagedPerson } from "../domain/model.js";
import type { Deps } from "../domain/deps.js";
import {
  findBuzzinToOffboard,
  offboardManagedPerson,
  offboardPersonNow,
} from "../domain/offboard-requests.js";
import type { Person } from "../doorflow/schemas.js";
import { listContractorsFor } from "../domain/queries.js";
import { isLocalDate, startOfLocalDay } from "../lib/time.js";
import type { CliContext } from "./context.js";
import { withBotSession } from "./session.js";
import { personName } from "../domain/model.js";

export async function offboardEmail(context: CliContext, email: string): Promise<number> {
  return withBotSession(context, async (deps) => {
    const buzzin = findBuzzinToOffboard(deps, email);
    if (buzzin.length > 0) return offboardInBuzzin(context, deps, buzzin);
    const people = await deps.doorflow.findPeopleByEmail(email);
    if (people.length === 0) {
      context.io.err(`Nobody in DoorFlow has the email ${email}.`);
      return 1;
    }
    if (people.length > 1) {
      context.io.err(
        `${people.length} DoorFlow people have the email ${email}: ${people.map((p) => `${p.first_name} ${p.last_name} (person ${p.id})`).join(", ")}. Merge them in DoorFlow first.`,
      );
      return 1;
    }
    const person = people[0] as Person;
    const name = `${person.first_name} ${person.last_name}`;
    // The same use case as Slack's "Offboard now": it also closes their scheduled offboarding.
    const outcome = await offboardPersonNow(deps, {
      actor: "cli",
      personId: person.id,
      name,
      email: person.email ?? email,
    });
    if (outcome.status === "failed") {
      context.io.err(`✗ ${name} <${email}>: ${outcome.error ?? "unknown error"}`);
      return 1;
    }
    const removed = outcome.removed.groupReservations + outcome.removed.reservations;
    context.io.out(
      `✓ ${name} <${email}>: ${outcome.status === "already_disabled" ? "already disabled" : "disabled"}, verified; ${removed} reservation(s) ended.`,
    );
    return 0;
  });
}

/** A Buzz-in contractor (not in DoorFlow): revoked in Buzz-in and verified, as the job would. */
async function offboardInBuzzin(context: CliContext, deps: Deps, people: ManagedPerson[]): Promise<number> {
  let failed = 0;
  for (const person of people) {
    const name = `${personName(person)} <${person.email ?? ""}>`;
    const result = await offboardManagedPerson(deps, person, "cli");
    if (result.status === "offboarded") context.io.out(`✓ ${name}: revoked in Buzz-in, verified.`);
    else {
      failed++;
      context.io.err(`✗ ${name}: ${result.status === "failed" ? result.error : "no longer active"}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

export async function cardCollected(context: CliContext, email: string): Promise<number> {
  return withBotSession(context, async (deps) => {
    const found = await findCardHolderByEmail(deps, email);
    if (found.status !== "found") {
      context.io.err(
        found.status === "none"
          ? `Nobody offboarded with the email ${email} has a card waiting to be collected.`
          : `${found.count} offboarded people have the email ${email}; confirm it with the "Card collected" button in Slack instead.`,
      );
      return 1;
    }
    const result = await confirmCardCollected(deps, {
      actor: "cli",
      holder: found.holder,
      actorIsOperator: true,
    });
    switch (result.status) {
      case "collected": {
        if (result.message)
          await deps.messenger
            .cardCollected(result.message, result.notice, "cli", deps.now())
            .catch(() => context.io.err("(the facilities message could not be updated)"));
        const cards = result.removedCards.length > 0 ? result.removedCards.join(", ") : "no card";
        context.io.out(
          `✓ ${result.notice.personName} <${email}>: card collected; removed from DoorFlow: ${cards}.`,
        );
        return 0;
      }
      case "already_collected":
        context.io.out(`Already confirmed${result.by ? ` by ${result.by}` : ""}.`);
        return 0;
      case "still_enabled":
        context.io.err(
          `${result.personName} is enabled in DoorFlow: the card stays with them. Offboard them first.`,
        );
        return 1;
      default:
        context.io.err(`Nobody offboarded with the email ${email} was found.`);
        return 1;
    }
  });
}

export async function listContractors(context: CliContext): Promise<number> {
  return withBotSession(context, async (deps) => {
    const list = listContractorsFor(deps, { userId: "cli", seesAll: true });
    if (list.total === 0) {
      context.io.out("No active contractors.");
      return 0;
    }
    context.io.out(
      `${list.total} active contractor(s), ending soonest first (today is ${list.today}, ${deps.settings.timeZone}):`,
    );
    for (const r of list.rows) {
      context.io.out(
        `  ${r.endDate}  ${String(r.daysLeft).padStart(4)} day(s) left  ${r.personName} <${r.email}>  ${r.company}`,
      );
    }
    if (list.rows.length < list.total) context.io.out(`  … and ${list.total - list.rows.length} more.`);
    return 0;
  });
}

/** Needs only the database: auditors can run it with DATABASE_URL alone (and ACCOUNT_TIMEZONE for the day). */
export function auditExport(context: CliContext, options: { since: string; format: string }): number {
  const given: string = options.since;
  if (!isLocalDate(options.since)) {
    context.io.err(`--since ${given} is not a date: use YYYY-MM-DD.`);
    return 2;
  }
  if (options.format !== "csv" && options.format !== "jsonl") {
    context.io.err(`--format ${options.format} is not known: use csv or jsonl.`);
    return 2;
  }
  const env = context.env;
  const url = env.DATABASE_URL ?? "file:./data/gatehouse.db";
  const zone = env.ACCOUNT_TIMEZONE ?? "UTC";
  const db = openDatabase(url);
  try {
    const count = exportAudit(
      db,
      { since: startOfLocalDay(options.since, zone), format: options.format },
      (line) => context.io.out(line),
    );
    context.io.err(`${count} event(s) since ${options.since} (${zone}) from ${parseDatabaseUrl(url)}.`);
    return 0;
  } finally {
    closeDatabase(db);
  }
}
