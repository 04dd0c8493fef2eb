/**
 * The one security-channel message per leaver event: who, where the signal came from, and what was
 * done or scheduled. Operators get "Offboard now" when Gatehouse asks them rather than acting (a
 * deactivated Slack account in `alert` mode, several DoorFlow people with one email).
 */
import type { LeaverEvent } from "./model.js";
import type { Person } from "../doorflow/schemas.js";
import { escapeSlackText } from "../lib/text.js";
import type { Deps } from "./deps.js";
import { describeFailure } from "./failures.js";
import type { SecurityAlert } from "./ports.js";

const SOURCE_NAME = { hr: "HR", scim: "Identity provider (SCIM)", slack: "Slack" } as const;

function signalLine(event: LeaverEvent): string {
  const id = escapeSlackText(event.externalId);
  switch (event.signal) {
    case "terminated":
      return `*HR event:* employee.terminated \`${id}\`${event.lastDay ? `, last day ${event.lastDay}` : ", no last day (leaves now)"}`;
    case "termination_cancelled":
      return `*HR event:* employee.termination_cancelled \`${id}\``;
    case "deprovisioned":
      return `*SCIM user:* \`${id}\` deprovisioned (active false or deleted)`;
    case "deactivated":
      return `*Slack user:* <@${/^[UW][A-Z0-9]+$/.test(event.externalId) ? event.externalId : "unknown"}> deactivated`;
  }
}

function who(event: LeaverEvent): string {
  const name = event.name ? escapeSlackText(event.name) : null;
  const email = event.email ? escapeSlackText(event.email) : "no email";
  return name ? `${name} (${email})` : email;
}

/** Null when there is nothing to say (a Slack account without door access). */
export async function buildLeaverNotice(deps: Deps, event: LeaverEvent): Promise<SecurityAlert | null> {
  const source = SOURCE_NAME[event.source];
  const detail = escapeSlackText(event.detail ?? "");
  const base = [`*Person:* ${who(event)}`, signalLine(event)];
  const person = event.doorflowPersonId ? `, DoorFlow person ${event.doorflowPersonId}` : "";
  const label = event.name ?? event.email ?? event.externalId;
  switch (event.state) {
    case "received":
    case "ignored":
      if (event.source === "slack") return null;
      return { title: `${source}: nothing to do for ${label}`, lines: [...base, detail] };
    case "offboarded":
      return { title: `${source}: ${label} offboarded`, lines: [...base, `*Done${person}:* ${detail}`] };
    case "scheduled":
      return {
        title: `${source}: ${label} scheduled for offboarding`,
        lines: [...base, `*Scheduled${person}:* ${detail}`],
      };
    case "cancelled":
      return { title: `${source}: termination of ${label} cancelled`, lines: [...base, detail] };
    case "failed":
      return {
        title: `${source}: offboarding ${label} failed`,
        lines: [...base, `*Error${person}:* ${detail}`],
      };
    case "not_found":
      return {
        title: `${source}: no DoorFlow person for ${label}`,
        lines: [
          ...base,
          `${detail} Nothing was changed. If they hold a card under another email, use /offboard.`,
        ],
      };
    case "several":
    case "alerted":
      return askOperators(deps, event, base);
  }
}

/** The candidates, read again so the buttons name who they offboard; operators choose. */
async function askOperators(deps: Deps, event: LeaverEvent, base: string[]): Promise<SecurityAlert> {
  let candidates: Person[] = [];
  let readError: string | null = null;
  try {
    candidates = event.email ? await deps.doorflow.findPeopleByEmail(event.email) : [];
  } catch (error) {
    readError = describeFailure(error);
  }
  if (event.source === "slack") candidates = candidates.filter((p) => p.enabled);
  const label = event.name ?? event.email ?? event.externalId;
  const lines = [...base, escapeSlackText(event.detail ?? "")];
  if (readError)
    lines.push(`Could not list the candidates again (${escapeSlackText(readError)}): use /offboard.`);
  const title =
    event.source === "slack"
      ? `Slack account deactivated: ${label} still has door access`
      : `${SOURCE_NAME[event.source]}: ${candidates.length || "several"} DoorFlow people have ${event.email ?? label}`;
  if (event.source !== "slack" || candidates.length > 1) {
    lines.push("Nothing was changed: choose who leaves (operators only).");
  } else {
    lines.push("Nothing was changed: offboard them now if they have left (operators only).");
  }
  return {
    title,
    lines,
    offboard: candidates.map((p) => ({
      personId: p.id,
      label: candidates.length === 1 ? "Offboard now" : `Offboard ${p.first_name} ${p.last_name} (${p.id})`,
    })),
  };
}
