/**
 * The one security-channel message per leaver event: who, where the signal came from, and what was
 * done or scheduled. Operators get "Offboard now" when Gatehouse asks them rather than acting (a
 * deactivated Slack account in `alert` mode, several DoorFlow people with one email).
 */
import type { LeaverEvent } from "./model.js";
import type { Person } from "../doorflow/schemas.js";
import type { Deps } from "./deps.js";
import { describeFailure } from "./failures.js";
import type { AlertLine, SecurityAlert } from "./ports.js";

const SOURCE_NAME = { hr: "HR", scim: "Identity provider (SCIM)", slack: "Slack" } as const;

function signalLine(event: LeaverEvent): AlertLine {
  const id = { code: event.externalId };
  switch (event.signal) {
    case "terminated":
      return {
        label: "HR event",
        text: [
          "employee.terminated ",
          id,
          event.lastDay ? `, last day ${event.lastDay}` : ", no last day (leaves now)",
        ],
      };
    case "termination_cancelled":
      return { label: "HR event", text: ["employee.termination_cancelled ", id] };
    case "deprovisioned":
      return { label: "SCIM user", text: [id, " deprovisioned (active false or deleted)"] };
    case "deactivated":
      return {
        label: "Slack user",
        text: [
          { user: /^[UW][A-Z0-9]+$/.test(event.externalId) ? event.externalId : "unknown" },
          " deactivated",
        ],
      };
  }
}

function who(event: LeaverEvent): string {
  const email = event.email ?? "no email";
  return event.name ? `${event.name} (${email})` : email;
}

/** Null when there is nothing to say (a Slack account without door access). */
export async function buildLeaverNotice(deps: Deps, event: LeaverEvent): Promise<SecurityAlert | null> {
  const source = SOURCE_NAME[event.source];
  const detail = event.detail ?? "";
  const base: AlertLine[] = [{ label: "Person", text: who(event) }, signalLine(event)];
  const person = event.doorflowPersonId ? `, DoorFlow person ${event.doorflowPersonId}` : "";
  const label = event.name ?? event.email ?? event.externalId;
  switch (event.state) {
    case "received":
    case "ignored":
      if (event.source === "slack") return null;
      return { title: `${source}: nothing to do for ${label}`, lines: [...base, { text: detail }] };
    case "offboarded":
      return {
        title: `${source}: ${label} offboarded`,
        lines: [...base, { label: `Done${person}`, text: detail }],
      };
    case "scheduled":
      return {
        title: `${source}: ${label} scheduled for offboarding`,
        lines: [...base, { label: `Scheduled${person}`, text: detail }],
      };
    case "cancelled":
      return { title: `${source}: termination of ${label} cancelled`, lines: [...base, { text: detail }] };
    case "failed":
      return {
        title: `${source}: offboarding ${label} failed`,
        lines: [...base, { label: `Error${person}`, text: detail }],
      };
    case "not_found":
      return {
        title: `${source}: no DoorFlow person for ${label}`,
        lines: [
          ...base,
          { text: `${detail} Nothing was changed. If they hold a card under another email, use /offboard.` },
        ],
      };
    case "several":
    case "alerted":
      return askOperators(deps, event, base);
  }
}

/** The candidates, read again so the buttons name who they offboard; operators choose. */
async function askOperators(deps: Deps, event: LeaverEvent, base: AlertLine[]): Promise<SecurityAlert> {
  let candidates: Person[] = [];
  let readError: string | null = null;
  try {
    candidates = event.email ? await deps.doorflow.findPeopleByEmail(event.email) : [];
  } catch (error) {
    readError = describeFailure(error);
  }
  if (event.source === "slack") candidates = candidates.filter((p) => p.enabled);
  const label = event.name ?? event.email ?? event.externalId;
  const lines: AlertLine[] = [...base, { text: event.detail ?? "" }];
  if (readError) lines.push({ text: `Could not list the candidates again (${readError}): use /offboard.` });
  const title =
    event.source === "slack"
      ? `Slack account deactivated: ${label} still has door access`
      : `${SOURCE_NAME[event.source]}: ${candidates.length || "several"} DoorFlow people have ${event.email ?? label}`;
  if (event.source !== "slack" || candidates.length > 1) {
    lines.push({ text: "Nothing was changed: choose who leaves (operators only)." });
  } else {
    lines.push({ text: "Nothing was changed: offboard them now if they have left (operators only)." });
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
