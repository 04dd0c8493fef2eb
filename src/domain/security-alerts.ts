/**
 * A security-channel alert raised once per key: the claim and the message owed for it are written
 * in one transaction, and the durable outbox (src/slack/outbox.ts) delivers it, so a later trigger
 * with the same key says nothing new and a Slack outage loses nothing.
 */
import { inTransaction } from "../db/database.js";
import { claimAlert } from "../db/repositories/alerts.js";
import type { Deps } from "./deps.js";
import type { AlertLine } from "./ports.js";

export interface AlertOnce {
  key: string;
  kind: string;
  /** Recorded with the alert; a later "resolved" edit quotes it. */
  summary: string;
  title: string;
  lines: AlertLine[];
}

/** Raises the alert unless one with its key is already open; true when this call raised it. */
export function alertOnce(
  deps: Pick<Deps, "db" | "messenger" | "settings" | "now">,
  alert: AlertOnce,
): boolean {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => {
    const claim = claimAlert(
      tx,
      {
        key: alert.key,
        kind: alert.kind,
        channelId: deps.settings.securityChannelId,
        summary: alert.summary,
      },
      now,
    );
    if (claim.created)
      void deps.messenger.securityAlert(
        { title: alert.title, lines: alert.lines },
        { alertKey: alert.key, tx },
      );
    return claim.created;
  });
}
