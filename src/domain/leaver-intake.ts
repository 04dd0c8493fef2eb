/**
 * How each leaver source's signal becomes one recorded leaver event, before its sender is answered
 * (the processor in leavers.ts acts on it afterwards). Recording is one insert keyed by the signal,
 * so a re-sent signal is recognised and nothing is done twice.
 */
import type { Executor } from "../db/database.js";
import {
  closeSlackDeactivation,
  recordLeaverEvent,
  slackDeactivationKey,
} from "../db/repositories/leaver-events.js";
import { type LeaverEvent } from "./model.js";

export const HR_EVENT_TYPES = ["employee.terminated", "employee.termination_cancelled"] as const;
type HrEventType = (typeof HR_EVENT_TYPES)[number];

export interface HrEvent {
  id: string;
  type: HrEventType;
  email: string;
  lastDay?: string;
  name?: string;
}

export function recordHrEvent(
  db: Executor,
  event: HrEvent,
  now: Date,
): { created: boolean; event: LeaverEvent } {
  return recordLeaverEvent(
    db,
    {
      key: `hr:${event.id}`,
      source: "hr",
      signal: event.type === "employee.terminated" ? "terminated" : "termination_cancelled",
      externalId: event.id,
      email: event.email.trim().toLowerCase(),
      name: event.name ?? null,
      lastDay: event.type === "employee.terminated" ? (event.lastDay ?? null) : null,
    },
    now,
  );
}

/** The `deactivation`-th time this SCIM user stopped being active (or was deleted). */
export function recordScimDeprovision(
  db: Executor,
  user: { id: string; email: string | null; name: string | null; deactivation: number },
  now: Date,
): { created: boolean; event: LeaverEvent } {
  return recordLeaverEvent(
    db,
    {
      key: `scim:${user.id}:${user.deactivation}`,
      source: "scim",
      signal: "deprovisioned",
      externalId: user.id,
      email: user.email,
      name: user.name,
    },
    now,
  );
}

export interface SlackUserChange {
  slackUserId: string;
  deleted: boolean;
  email: string | null;
  name: string | null;
}

/**
 * A deactivated account is one event for as long as it stays deactivated (Slack sends user_change
 * again for retries and for later edits); reactivation closes it, so a second deactivation counts.
 */
export function recordSlackUserChange(
  db: Executor,
  change: SlackUserChange,
  now: Date,
): { created: boolean; event?: LeaverEvent } {
  if (!change.deleted) {
    closeSlackDeactivation(db, change.slackUserId, now);
    return { created: false };
  }
  return recordLeaverEvent(
    db,
    {
      key: slackDeactivationKey(change.slackUserId),
      source: "slack",
      signal: "deactivated",
      externalId: change.slackUserId,
      email: change.email?.trim().toLowerCase() ?? null,
      name: change.name,
    },
    now,
  );
}
