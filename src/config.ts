/**
 * The only reader of process.env. One zod schema for the configuration contract in product.md,
 * parsed once at start; `.env` is read when present (real environment variables win). A missing or
 * malformed variable stops the start with one message naming every variable that is wrong and what
 * it should be.
 */
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { z } from "zod";
import { isValidCron } from "./jobs/schedule.js";
import { ConfigError } from "./lib/errors.js";
import type { LogLevel } from "./lib/logger.js";
import { resolveTimeZone } from "./lib/time.js";

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const channelId = z
  .string()
  .trim()
  .regex(
    /^[CGD][A-Z0-9]{6,}$/,
    "a Slack channel id such as C0123ABCD (channel details → About → Channel ID)",
  );
const userIdList = z
  .string()
  .transform((s) =>
    s
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string().regex(/^[UW][A-Z0-9]{6,}$/, "Slack user ids such as U0123ABCD, separated by commas")),
  );
const httpUrl = z
  .string()
  .trim()
  .url("an http(s) URL")
  .refine((u) => /^https?:\/\//.test(u), "an http(s) URL");
const intIn = (min: number, max: number) =>
  z.coerce
    .number({ message: `a whole number from ${min} to ${max}` })
    .int(`a whole number from ${min} to ${max}`)
    .min(min, `a whole number from ${min} to ${max}`)
    .max(max, `a whole number from ${min} to ${max}`);
const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no"], { message: "true or false" }))
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A credential type as the account names it: its id, its slug or its label. */
const credentialTypeRef = z
  .string()
  .trim()
  .min(1)
  .max(100, "a credential type's id, slug or label (at most 100 characters)");

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ message: "the bot token (xoxb-…) from the Slack app's OAuth page" })
    .regex(/^xoxb-/, "a bot token starting with xoxb-"),
  SLACK_SIGNING_SECRET: opt(
    z.string().min(8, "the signing secret from the Slack app's Basic Information page"),
  ),
  SLACK_APP_TOKEN: opt(z.string().regex(/^xapp-/, "an app-level token starting with xapp- (Socket Mode)")),
  SLACK_API_URL: z.preprocess(blankToUndefined, httpUrl.default("https://slack.com/api/")),
  PORT: z.preprocess(blankToUndefined, intIn(0, 65535).default(3000)),
  DOORFLOW_BASE_URL: z.preprocess(blankToUndefined, httpUrl.default("https://api.doorflow.com")),
  DOORFLOW_ACCESS_TOKEN: opt(z.string().min(1)),
  DOORFLOW_CLIENT_ID: opt(z.string().min(1)),
  DOORFLOW_CLIENT_SECRET: opt(z.string().min(1)),
  DOORFLOW_CARD_CREDENTIAL_TYPE: opt(credentialTypeRef),
  DOORFLOW_PIN_CREDENTIAL_TYPE: opt(credentialTypeRef),
  DOORFLOW_MOBILE_CREDENTIAL_TYPE: opt(credentialTypeRef),
  DATABASE_URL: z.preprocess(blankToUndefined, z.string().default("file:./data/gatehouse.db")),
  APPROVAL_CHANNEL_ID: z.preprocess(blankToUndefined, channelId),
  SECURITY_CHANNEL_ID: z.preprocess(blankToUndefined, channelId),
  FACILITIES_CHANNEL_ID: opt(channelId),
  APPROVER_USER_IDS: opt(userIdList),
  APPROVER_USERGROUP_ID: opt(
    z
      .string()
      .trim()
      .regex(/^S[A-Z0-9]{6,}$/, "a Slack user group id such as S0123ABCD"),
  ),
  OPERATOR_USER_IDS: opt(userIdList),
  REQUESTER_USER_IDS: opt(userIdList),
  OFFBOARD_CRON: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(isValidCron, "a cron expression such as `0 17 * * *` (minute hour day month weekday)")
      .default("0 17 * * *"),
  ),
  ACCOUNT_TIMEZONE: opt(
    z
      .string()
      .refine((v) => resolveTimeZone(v) !== undefined, "an IANA time zone such as Europe/London")
      .transform((v) => resolveTimeZone(v) as string),
  ),
  CONTRACTOR_MAX_DAYS: z.preprocess(blankToUndefined, intIn(1, 3650).default(183)),
  VISITOR_APPROVAL: z.preprocess(blankToUndefined, bool.default(true)),
  PENDING_APPROVAL_HOURS: z.preprocess(blankToUndefined, intIn(1, 24 * 90).default(72)),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === "string" ? blankToUndefined(v.toLowerCase()) : v),
    z
      .enum(["debug", "info", "warn", "error"], { message: "one of debug, info, warn, error" })
      .default("info"),
  ),
  BUZZIN_BASE_URL: z.preprocess(blankToUndefined, httpUrl.default("https://api.buzz-in.co")),
  BUZZIN_API_KEY: opt(z.string().min(1)),
  BUZZIN_API_KEY_HEADER: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "an HTTP header name such as x-api-key")
      .default("x-api-key"),
  ),
  BUZZIN_WEBHOOK_TOKEN: opt(z.string().min(16, "a secret of at least 16 characters")),
  HR_WEBHOOK_SECRET: opt(z.string().min(16, "a secret of at least 16 characters")),
  SCIM_TOKEN: opt(z.string().min(16, "a bearer token of at least 16 characters")),
  SLACK_DEACTIVATION_OFFBOARD: z.preprocess(
    (v) => (typeof v === "string" ? blankToUndefined(v.trim().toLowerCase()) : v),
    z.enum(["alert", "auto"], { message: "alert or auto" }).default("alert"),
  ),
  BUZZIN_TIME_ZONE: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((v) => resolveTimeZone(v) !== undefined, "an IANA time zone such as Asia/Dubai")
      .transform((v) => resolveTimeZone(v) as string)
      .default("Asia/Dubai"),
  ),
});

/** What a variable should hold, for the "is missing" message. */
const EXPECTED: Record<string, string> = {
  SLACK_BOT_TOKEN: "the bot token (xoxb-…) from the Slack app's OAuth & Permissions page",
  APPROVAL_CHANNEL_ID: "a Slack channel id such as C0123ABCD",
  SECURITY_CHANNEL_ID: "a Slack channel id such as C0123ABCD",
};

/** Rules across variables, checked on the raw values so they are reported with the others. */
function crossVariableIssues(env: Env): Array<{ variable: string; text: string }> {
  const has = (name: string) => (env[name] ?? "").trim() !== "";
  const issues: Array<{ variable: string; text: string }> = [];
  if (!has("SLACK_APP_TOKEN") && !has("SLACK_SIGNING_SECRET")) {
    issues.push({
      variable: "SLACK_SIGNING_SECRET",
      text: "SLACK_SIGNING_SECRET is missing: it is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode).",
    });
  }
  if (!has("DOORFLOW_ACCESS_TOKEN") && !(has("DOORFLOW_CLIENT_ID") && has("DOORFLOW_CLIENT_SECRET"))) {
    const variable = has("DOORFLOW_CLIENT_ID") ? "DOORFLOW_CLIENT_SECRET" : "DOORFLOW_ACCESS_TOKEN";
    issues.push({
      variable,
      text: `${variable} is missing: set DOORFLOW_ACCESS_TOKEN (a fixed bearer token), or DOORFLOW_CLIENT_ID and DOORFLOW_CLIENT_SECRET (OAuth).`,
    });
  }
  if (!has("APPROVER_USER_IDS") && !has("APPROVER_USERGROUP_ID")) {
    issues.push({
      variable: "APPROVER_USER_IDS",
      text: "APPROVER_USER_IDS is missing: set APPROVER_USER_IDS (Slack user ids) or APPROVER_USERGROUP_ID (a user group), so someone can approve.",
    });
  }
  return issues;
}

interface AudienceConfig {
  /** Slack user ids named directly. */
  userIds: readonly string[];
  /** A Slack user group whose members also count. */
  usergroupId?: string;
}

export interface Config {
  slack: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    mode: "http" | "socket";
    apiUrl: string;
    port: number;
  };
  doorflow: {
    baseUrl: string;
    auth: { kind: "token"; accessToken: string } | { kind: "oauth"; clientId: string; clientSecret: string };
    /** DOORFLOW_{CARD,PIN,MOBILE}_CREDENTIAL_TYPE: an id, slug or label; unset ones are detected. */
    credentialTypes: { card?: string; pin?: string; mobile?: string };
  };
  databaseUrl: string;
  channels: { approval: string; security: string; facilities: string };
  approvers: AudienceConfig;
  operators: AudienceConfig;
  /** `null` means everyone may request. */
  requesters: readonly string[] | null;
  offboardCron: string;
  /** IANA zone; when unset the account's zone is read from DoorFlow at start. */
  accountTimeZone?: string;
  contractorMaxDays: number;
  visitorApproval: boolean;
  pendingApprovalHours: number;
  logLevel: LogLevel;
  buzzin: {
    baseUrl: string;
    apiKey?: string;
    apiKeyHeader: string;
    webhookToken?: string;
    /** The community's IANA zone: a permit's calendar days, its validity instants and its end. */
    timeZone: string;
  };
  /** Where leavers are heard from besides /offboard: each source is on when its secret is set. */
  leavers: { hrWebhookSecret?: string; scimToken?: string; slackDeactivation: "alert" | "auto" };
}

export type Env = Record<string, string | undefined>;

/** Reads `.env` (when present) under the real environment, which wins. */
export function readEnvironment(envFile = ".env", environment: Env = process.env): Env {
  if (!existsSync(envFile)) return { ...environment };
  const fromFile = parseEnv(readFileSync(envFile, "utf8"));
  return { ...fromFile, ...environment };
}

/** Parses `env` with `schema`, or throws one ConfigError naming every variable that is wrong. */
function parseOrExplain<S extends z.ZodType>(
  schema: S,
  env: Env,
  cross: Array<{ variable: string; text: string }>,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success || cross.length > 0) {
    const lines = (result.error?.issues ?? []).map((issue) => {
      const variable = String(issue.path[0] ?? "configuration");
      const received = env[variable];
      if (received === undefined || received.trim() === "") {
        return { variable, text: `${variable} is missing: expected ${EXPECTED[variable] ?? "a value"}.` };
      }
      const message = /^invalid input/i.test(issue.message) ? "a different value" : issue.message;
      return { variable, text: `${variable} is malformed: expected ${message}.` };
    });
    const unique = [...new Map([...lines, ...cross].map((l) => [l.variable, l])).values()];
    const first = unique[0] as { variable: string };
    throw new ConfigError(
      first.variable,
      `Gatehouse cannot start: ${unique.length === 1 ? "one setting is" : `${unique.length} settings are`} wrong.\n${unique.map((l) => `  ${l.text}`).join("\n")}\nSet ${unique.length === 1 ? "it" : "them"} in the environment or in .env (see README.md, "Configuration").`,
    );
  }
  return result.data;
}

export function parseConfig(env: Env): Config {
  const e = parseOrExplain(envSchema, env, crossVariableIssues(env));
  const approvers: AudienceConfig = {
    userIds: e.APPROVER_USER_IDS ?? [],
    ...(e.APPROVER_USERGROUP_ID ? { usergroupId: e.APPROVER_USERGROUP_ID } : {}),
  };
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}),
      ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
      mode: e.SLACK_APP_TOKEN ? "socket" : "http",
      apiUrl: e.SLACK_API_URL.endsWith("/") ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      port: e.PORT,
    },
    doorflow: doorflowSection(e),
    databaseUrl: e.DATABASE_URL,
    channels: {
      approval: e.APPROVAL_CHANNEL_ID,
      security: e.SECURITY_CHANNEL_ID,
      facilities: e.FACILITIES_CHANNEL_ID ?? e.SECURITY_CHANNEL_ID,
    },
    approvers,
    operators: e.OPERATOR_USER_IDS ? { userIds: e.OPERATOR_USER_IDS } : approvers,
    requesters: e.REQUESTER_USER_IDS ?? null,
    offboardCron: e.OFFBOARD_CRON,
    ...(e.ACCOUNT_TIMEZONE ? { accountTimeZone: e.ACCOUNT_TIMEZONE } : {}),
    contractorMaxDays: e.CONTRACTOR_MAX_DAYS,
    visitorApproval: e.VISITOR_APPROVAL,
    pendingApprovalHours: e.PENDING_APPROVAL_HOURS,
    logLevel: e.LOG_LEVEL,
    buzzin: {
      baseUrl: e.BUZZIN_BASE_URL.replace(/\/+$/, ""),
      ...(e.BUZZIN_API_KEY ? { apiKey: e.BUZZIN_API_KEY } : {}),
      apiKeyHeader: e.BUZZIN_API_KEY_HEADER,
      ...(e.BUZZIN_WEBHOOK_TOKEN ? { webhookToken: e.BUZZIN_WEBHOOK_TOKEN } : {}),
      timeZone: e.BUZZIN_TIME_ZONE,
    },
    leavers: {
      ...(e.HR_WEBHOOK_SECRET ? { hrWebhookSecret: e.HR_WEBHOOK_SECRET } : {}),
      ...(e.SCIM_TOKEN ? { scimToken: e.SCIM_TOKEN } : {}),
      slackDeactivation: e.SLACK_DEACTIVATION_OFFBOARD,
    },
  };
}

/** What the operator CLI needs to reach DoorFlow and the database, without the Slack settings. */
export interface DoorFlowSettings {
  doorflow: Config["doorflow"];
  databaseUrl: string;
  accountTimeZone?: string;
  logLevel: LogLevel;
}

const doorflowSchema = envSchema.pick({
  DOORFLOW_BASE_URL: true,
  DOORFLOW_ACCESS_TOKEN: true,
  DOORFLOW_CLIENT_ID: true,
  DOORFLOW_CLIENT_SECRET: true,
  DOORFLOW_CARD_CREDENTIAL_TYPE: true,
  DOORFLOW_PIN_CREDENTIAL_TYPE: true,
  DOORFLOW_MOBILE_CREDENTIAL_TYPE: true,
  DATABASE_URL: true,
  ACCOUNT_TIMEZONE: true,
  LOG_LEVEL: true,
});

export function parseDoorFlowSettings(env: Env): DoorFlowSettings {
  const cross = crossVariableIssues(env).filter((i) => i.variable.startsWith("DOORFLOW_"));
  const e = parseOrExplain(doorflowSchema, env, cross);
  return {
    doorflow: doorflowSection(e),
    databaseUrl: e.DATABASE_URL,
    ...(e.ACCOUNT_TIMEZONE ? { accountTimeZone: e.ACCOUNT_TIMEZONE } : {}),
    logLevel: e.LOG_LEVEL,
  };
}

function doorflowSection(e: z.infer<typeof doorflowSchema>): Config["doorflow"] {
  return {
    baseUrl: e.DOORFLOW_BASE_URL.replace(/\/+$/, ""),
    auth: e.DOORFLOW_ACCESS_TOKEN
      ? { kind: "token", accessToken: e.DOORFLOW_ACCESS_TOKEN }
      : {
          kind: "oauth",
          clientId: e.DOORFLOW_CLIENT_ID as string,
          clientSecret: e.DOORFLOW_CLIENT_SECRET as string,
        },
    credentialTypes: {
      ...(e.DOORFLOW_CARD_CREDENTIAL_TYPE ? { card: e.DOORFLOW_CARD_CREDENTIAL_TYPE } : {}),
      ...(e.DOORFLOW_PIN_CREDENTIAL_TYPE ? { pin: e.DOORFLOW_PIN_CREDENTIAL_TYPE } : {}),
      ...(e.DOORFLOW_MOBILE_CREDENTIAL_TYPE ? { mobile: e.DOORFLOW_MOBILE_CREDENTIAL_TYPE } : {}),
    },
  };
}

/** Reads and parses the configuration once; throws ConfigError naming what is wrong. */
export function loadConfig(envFile = ".env"): Config {
  return parseConfig(readEnvironment(envFile));
}
