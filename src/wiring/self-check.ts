/**
 * Runs the start-up self-check and acts on it: every problem is one log line with its fix; fatal
 * ones stop the start (SelfCheckFailed carries them for main.ts to print); warnings are also posted
 * once to the security channel (an alert keyed by the problem, so a restart does not repeat it).
 */
import type { webApi } from "@slack/bolt";
import type { BuzzinClient } from "../buzzin/client.js";
import type { Config } from "../config.js";
import { appliedMigrationCount, type Database, expectedMigrationCount } from "../db/database.js";
import { claimAlert, setAlertMessage } from "../db/repositories/alerts.js";
import type { Messenger } from "../domain/ports.js";
import { type CheckProblem, runSelfCheck } from "../domain/self-check.js";
import type { DoorFlowClient } from "../doorflow/client.js";
import { GatehouseError, errorMessage } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { createSlackProbe } from "../slack/self-check-probe.js";

export class SelfCheckFailed extends GatehouseError {
  constructor(readonly problems: CheckProblem[]) {
    super("self_check_failed", problems.map((p) => p.message).join("\n"));
  }
}

export async function checkBeforeStart(input: {
  config: Config;
  db: Database;
  doorflow: DoorFlowClient;
  buzzin?: BuzzinClient;
  slackClient: webApi.WebClient;
  logger: Logger;
}): Promise<CheckProblem[]> {
  const problems = await runSelfCheck({
    doorflow: input.doorflow,
    slack: createSlackProbe(input.slackClient),
    channels: input.config.channels,
    configuredTimeZone: input.config.accountTimeZone,
    credentialTypes: input.config.doorflow.credentialTypes,
    migrations: { applied: appliedMigrationCount(input.db), expected: expectedMigrationCount() },
    ...(input.buzzin
      ? { buzzin: { client: input.buzzin, webhookToken: input.config.buzzin.webhookToken !== undefined } }
      : {}),
  });
  input.logger.info(`self-check: ${leaverSourcesLine(input.config.leavers)}`, { code: "leaver_sources" });
  for (const p of problems) {
    const fields = { code: p.code, severity: p.severity };
    if (p.severity === "fatal") input.logger.error(`self-check: ${p.message}`, fields);
    else input.logger.warn(`self-check: ${p.message}`, fields);
  }
  const fatal = problems.filter((p) => p.severity === "fatal");
  if (fatal.length > 0) throw new SelfCheckFailed(fatal);
  return problems;
}

export async function postSelfCheckWarnings(
  problems: CheckProblem[],
  deps: { db: Database; messenger: Messenger; logger: Logger; now: () => Date; securityChannelId: string },
): Promise<void> {
  for (const p of problems) {
    const claim = claimAlert(
      deps.db,
      {
        key: `selfcheck:${p.code}`,
        kind: "self_check",
        channelId: deps.securityChannelId,
        summary: p.message,
      },
      deps.now(),
    );
    if (!claim.created) continue;
    try {
      const posted = await deps.messenger.securityAlert({
        title: "Gatehouse start-up check",
        lines: [p.message],
      });
      setAlertMessage(deps.db, claim.alert.key, posted.channelId, posted.ts);
    } catch (error) {
      deps.logger.warn("could not post a self-check warning", { code: p.code, error: errorMessage(error) });
    }
  }
}

/** Which leaver sources are on, for the start-up log: each is on when its secret is set. */
export function leaverSourcesLine(leavers: Config["leavers"]): string {
  const on = (set: boolean, what: string, off: string) => (set ? `${what} on` : `${what} off (${off})`);
  return [
    "leaver sources:",
    `${on(leavers.hrWebhookSecret !== undefined, "HR webhook POST /webhooks/hr", "set HR_WEBHOOK_SECRET")};`,
    `${on(leavers.scimToken !== undefined, "SCIM /scim/v2", "set SCIM_TOKEN")};`,
    `Slack deactivation on (${leavers.slackDeactivation === "auto" ? "auto: offboards at once" : "alert: operators decide"});`,
    "/offboard, the schedule and the CLI always.",
  ].join(" ");
}
