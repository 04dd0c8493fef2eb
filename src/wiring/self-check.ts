/**
 * Runs the start-up self-check and acts on it: every problem is one log line with its fix; fatal
 * configuration problems stop the start (SelfCheckFailed carries them for main.ts to print);
 * temporary ones (a service down or limiting us) let the bot start degraded while the check is run
 * again in the background (startRechecks) until it passes; warnings are also posted once to the
 * security channel (an alert keyed by the problem, so a restart does not repeat it).
 */
import type { webApi } from "@slack/bolt";
import type { BuzzinClient } from "../buzzin/client.js";
import type { Config } from "../config.js";
import { appliedMigrationCount, type Database, expectedMigrationCount } from "../db/database.js";
import { claimAlert } from "../db/repositories/alerts.js";
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

export interface CheckInput {
  config: Config;
  db: Database;
  doorflow: DoorFlowClient;
  buzzin?: BuzzinClient;
  slackClient: webApi.WebClient;
  logger: Logger;
}

/** Problems only a person can fix, which stop the start. */
const configurationProblems = (problems: CheckProblem[]) =>
  problems.filter((p) => p.severity === "fatal" && !p.temporary);
/** Problems that pass by themselves: the bot runs degraded until they do. */

/** Runs the check and logs each problem; throws SelfCheckFailed on a configuration problem. */
export async function checkBeforeStart(input: CheckInput): Promise<CheckProblem[]> {
  input.logger.info(`self-check: ${leaverSourcesLine(input.config.leavers)}`, { code: "leaver_sources" });
  const problems = await runStartupCheck(input);
  const fatal = configurationProblems(problems);
  if (fatal.length > 0) throw new SelfCheckFailed(fatal);
  return problems;
}

/** Runs the check and logs each problem (a temporary one as a warning); throws only on a bug. */
export async function runStartupCheck(input: CheckInput): Promise<CheckProblem[]> {
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
  for (const p of problems) {
    const fields = { code: p.code, severity: p.severity, temporary: p.temporary ?? false };
    if (p.severity === "fatal" && !p.temporary) input.logger.error(`self-check: ${p.message}`, fields);
    else input.logger.warn(`self-check: ${p.message}`, fields);
  }
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
      await deps.messenger.securityAlert(
        { title: "Gatehouse start-up check", lines: [p.message] },
        { alertKey: claim.alert.key },
      );
    } catch (error) {
      deps.logger.warn("could not post a self-check warning", { code: p.code, error: errorMessage(error) });
    }
  }
}

/** Which leaver sources are on, for the start-up log: each is on when its secret is set. */
function leaverSourcesLine(leavers: Config["leavers"]): string {
  const on = (set: boolean, what: string, off: string) => (set ? `${what} on` : `${what} off (${off})`);
  return [
    "leaver sources:",
    `${on(leavers.hrWebhookSecret !== undefined, "HR webhook POST /webhooks/hr", "set HR_WEBHOOK_SECRET")};`,
    `${on(leavers.scimToken !== undefined, "SCIM /scim/v2", "set SCIM_TOKEN")};`,
    `Slack deactivation on (${leavers.slackDeactivation === "auto" ? "auto: offboards at once" : "alert: operators decide"});`,
    "/offboard, the schedule and the CLI always.",
  ].join(" ");
}
