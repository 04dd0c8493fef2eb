/**
 * The start-up self-check: DoorFlow (reachable, token valid, time zone, card and PIN credential
 * types), Slack (the token, and the approval, security and facilities channels exist with the bot
 * in them) and the database (migrated). One line per problem with its fix. A problem that makes the
 * bot useless stops the start; the others are warnings, also posted once to the security channel.
 *
 * Configuration errors (a refused token, an unknown channel) are told from temporary ones (the
 * network, a 5xx, a 429): only a person can fix the first, so they stop the start; the second pass
 * by themselves, so the bot starts degraded and checks again until they do.
 */
import type { BuzzinClient } from "../buzzin/client.js";
import { BuzzinError } from "../buzzin/errors.js";
import { DoorFlowError } from "../doorflow/errors.js";
import type { DoorFlowClient } from "../doorflow/client.js";
import { GatehouseError } from "../lib/errors.js";
import { resolveTimeZone } from "../lib/time.js";
import {
  CREDENTIAL_ROLES,
  credentialTypeProblem,
  type CredentialTypeSettings,
  resolveCredentialTypes,
} from "./credential-types.js";
import { describeFailure } from "./failures.js";

export interface CheckProblem {
  code: string;
  severity: "fatal" | "warning";
  /** One line: what is wrong and how to fix it. */
  message: string;
  /** A service was down or limiting us (network, 5xx, 429): the check passes once it answers. */
  temporary?: true;
}

/**
 * A Slack call that failed, as the probe reports it: `temporary` when Slack could not be reached
 * or was down or limiting us, otherwise Slack refused it (`detail` is its error code).
 */
export class SlackCallFailed extends GatehouseError {
  constructor(
    readonly detail: string,
    readonly temporary: boolean,
    options?: { cause?: unknown },
  ) {
    super(temporary ? "slack_unavailable" : "slack_refused", detail, options);
  }
}

export interface SlackProbe {
  /** auth.test: resolves, or throws SlackCallFailed. */
  authTest(): Promise<{ botUserId: string; team: string }>;
  /** conversations.info: null when the channel does not exist (or the bot cannot see it); throws SlackCallFailed. */
  channel(id: string): Promise<{ name: string; isMember: boolean } | null>;
}

export interface SelfCheckInput {
  doorflow: Pick<DoorFlowClient, "getAccount" | "listCredentialTypes">;
  slack: SlackProbe;
  channels: { approval: string; security: string; facilities: string };
  configuredTimeZone?: string;
  /** DOORFLOW_*_CREDENTIAL_TYPE, where set. */
  credentialTypes?: CredentialTypeSettings;
  migrations: { applied: number; expected: number };
  /** When Buzz-in is configured: its client (probed with a read) and whether webhooks can arrive. */
  buzzin?: { client: Pick<BuzzinClient, "getPermit">; webhookToken: boolean };
}

export async function runSelfCheck(input: SelfCheckInput): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  const add = (severity: CheckProblem["severity"], code: string, message: string, temporary = false) =>
    problems.push({ code, severity, message, ...(temporary ? { temporary: true as const } : {}) });

  if (input.migrations.applied < input.migrations.expected) {
    add(
      "fatal",
      "db_not_migrated",
      `The database has ${input.migrations.applied} of ${input.migrations.expected} migrations: check DATABASE_URL points at a writable file and restart.`,
    );
  }

  const [account, types, auth] = await Promise.allSettled([
    input.doorflow.getAccount(),
    input.doorflow.listCredentialTypes(),
    input.slack.authTest(),
  ]);
  if (account.status === "rejected") {
    const e: unknown = account.reason;
    if (
      e instanceof DoorFlowError &&
      (e.code === "doorflow_unauthorized" || e.code === "doorflow_forbidden")
    ) {
      add(
        "fatal",
        "doorflow_token",
        `DoorFlow refused the token (${e.status ?? ""} ${e.error ?? ""}): set a valid DOORFLOW_ACCESS_TOKEN, or run \`gatehouse doorflow connect\` for OAuth.`,
      );
    } else if (e instanceof DoorFlowError && e.retryable) {
      add(
        "fatal",
        "doorflow_unreachable",
        `DoorFlow could not be reached: ${clause(describeFailure(e))}. Gatehouse starts without it and checks again until it answers.`,
        true,
      );
    } else {
      add(
        "fatal",
        "doorflow_unreachable",
        `DoorFlow could not be reached: ${clause(describeFailure(e))}. Check DOORFLOW_BASE_URL and the network.`,
      );
    }
  } else if (!input.configuredTimeZone && !resolveTimeZone(account.value.time_zone)) {
    add(
      "fatal",
      "doorflow_time_zone",
      `DoorFlow reports the time zone "${account.value.time_zone}", which Gatehouse does not know: set ACCOUNT_TIMEZONE to its IANA name.`,
    );
  }
  if (types.status === "fulfilled") {
    const resolved = resolveCredentialTypes(types.value, input.credentialTypes);
    // The card and the PIN are offered on every contractor form (the PIN on every request), so
    // without them the bot could only fail after approval; a missing mobile type only turns the
    // "Mobile credential" choice away on the form.
    for (const role of CREDENTIAL_ROLES) {
      const problem = credentialTypeProblem(resolved[role], types.value);
      if (problem) add(role === "mobile" ? "warning" : "fatal", `doorflow_${role}_credential_type`, problem);
    }
  } else if (account.status === "fulfilled") {
    const reason: unknown = types.reason;
    add(
      "warning",
      "doorflow_credential_types",
      `Could not read DoorFlow's credential types: ${clause(describeFailure(reason))}.`,
      reason instanceof DoorFlowError && reason.retryable,
    );
  }

  if (input.buzzin) await checkBuzzin(input.buzzin, add);
  if (auth.status === "rejected") {
    const e: unknown = auth.reason;
    if (e instanceof SlackCallFailed && e.temporary) {
      add(
        "fatal",
        "slack_unreachable",
        `Slack's Web API could not be reached (${e.detail}): Gatehouse starts without it, acknowledges Slack's requests, and checks again until Slack answers.`,
        true,
      );
    } else {
      add(
        "fatal",
        "slack_token",
        `Slack refused the bot token (${slackError(e)}): set SLACK_BOT_TOKEN to the app's xoxb- token and reinstall the app if it was revoked.`,
      );
    }
    return problems;
  }
  const named: Array<[keyof SelfCheckInput["channels"], string, CheckProblem["severity"]]> = [
    ["approval", "APPROVAL_CHANNEL_ID", "fatal"],
    ["security", "SECURITY_CHANNEL_ID", "warning"],
    ["facilities", "FACILITIES_CHANNEL_ID", "warning"],
  ];
  type Lookup = { name: string; isMember: boolean } | null | { failed: unknown };
  const seen = new Map<string, Promise<Lookup>>();
  for (const [which, variable, severity] of named) {
    const id = input.channels[which];
    if (!seen.has(id))
      seen.set(
        id,
        input.slack.channel(id).catch((failed: unknown) => ({ failed })),
      );
    const info = await seen.get(id);
    if (info && "failed" in info) {
      const e = info.failed;
      const temporary = e instanceof SlackCallFailed && e.temporary;
      add(
        severity,
        `slack_${which}_unchecked`,
        temporary
          ? `Could not check the ${which} channel ${id} (${variable}): Slack did not answer (${e.detail}); checking again until it does.`
          : `Could not check the ${which} channel ${id} (${variable}): Slack said ${slackError(e)}. Check the app's scopes (channels:read, groups:read) and reinstall it.`,
        temporary,
      );
    } else if (!info) {
      add(
        severity,
        `slack_${which}_missing`,
        `The ${which} channel ${id} does not exist or the bot cannot see it: check ${variable} (a channel id like C0123ABCD).`,
      );
    } else if (!info.isMember) {
      add(
        severity,
        `slack_${which}_not_member`,
        `The bot is not in #${info.name} (${variable}): invite it with /invite @Gatehouse in that channel.`,
      );
    }
  }
  return problems;
}

/**
 * Buzz-in has no "who am I": reading a permit that cannot exist (a well-formed ObjectId no record
 * has) answers 404 "Record Not Found" with a good key and 401/403 with a bad one. Problems are warnings: DoorFlow access works without Buzz-in.
 */
async function checkBuzzin(
  buzzin: NonNullable<SelfCheckInput["buzzin"]>,
  add: (severity: CheckProblem["severity"], code: string, message: string) => void,
): Promise<void> {
  if (!buzzin.webhookToken)
    add(
      "warning",
      "buzzin_no_webhooks",
      "BUZZIN_WEBHOOK_TOKEN is not set, so Buzz-in's webhooks are refused and a contractor the community approves stays pending here: set it to the secret configured for POST /webhooks/buzzin.",
    );
  try {
    await buzzin.client.getPermit("000000000000000000000000");
  } catch (error) {
    // A 400 ("not a valid id") also means the key was accepted.
    if (
      error instanceof BuzzinError &&
      (error.code === "buzzin_not_found" || error.code === "buzzin_validation")
    )
      return;
    const refused =
      error instanceof BuzzinError &&
      (error.code === "buzzin_unauthorized" || error.code === "buzzin_forbidden");
    add(
      "warning",
      refused ? "buzzin_key" : "buzzin_unreachable",
      refused
        ? "Buzz-in refused BUZZIN_API_KEY: set the community's API key (and BUZZIN_API_KEY_HEADER if Buzz-in names the header differently)."
        : `Buzz-in did not answer (${describeFailure(error)}): check BUZZIN_BASE_URL; Buzz-in requests wait until it answers.`,
    );
  }
}

/** DoorFlow's messages are sentences; quoted inside ours, their full stop goes. */
const clause = (text: string) => text.replace(/\.+\s*$/, "");

function slackError(error: unknown): string {
  if (error instanceof SlackCallFailed) return error.detail;
  const data = (error as { data?: { error?: string } } | undefined)?.data;
  return data?.error ?? describeFailure(error);
}
