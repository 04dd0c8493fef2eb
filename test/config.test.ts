import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Env, parseConfig, parseDoorFlowSettings, readEnvironment } from "../src/config.js";
import { ConfigError } from "../src/lib/errors.js";

const valid: Env = {
  SLACK_BOT_TOKEN: "xoxb-1-2-abc",
  SLACK_SIGNING_SECRET: "0123456789abcdef",
  DOORFLOW_ACCESS_TOKEN: "sandbox",
  APPROVAL_CHANNEL_ID: "C0APPROVAL",
  SECURITY_CHANNEL_ID: "C0SECURITY",
  APPROVER_USER_IDS: "U0APPROVER1, U0APPROVER2",
};

function configError(env: Env): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("applies the contract's defaults", () => {
    const config = parseConfig(valid);
    expect(config.slack).toMatchObject({ mode: "http", apiUrl: "https://slack.com/api/", port: 3000 });
    expect(config.doorflow).toEqual({
      baseUrl: "https://api.doorflow.com",
      auth: { kind: "token", accessToken: "sandbox" },
      // Detected from the account's own types unless set (src/domain/credential-types.ts).
      credentialTypes: {},
    });
    expect(config.databaseUrl).toBe("file:./data/gatehouse.db");
    expect(config.channels).toEqual({
      approval: "C0APPROVAL",
      security: "C0SECURITY",
      facilities: "C0SECURITY",
    });
    expect(config.approvers.userIds).toEqual(["U0APPROVER1", "U0APPROVER2"]);
    expect(config.operators).toEqual(config.approvers);
    expect(config.requesters).toBeNull();
    expect(config.offboardCron).toBe("0 17 * * *");
    expect(config.accountTimeZone).toBeUndefined();
    expect(config.contractorMaxDays).toBe(183);
    expect(config.visitorApproval).toBe(true);
    expect(config.pendingApprovalHours).toBe(72);
    expect(config.logLevel).toBe("info");
    expect(config.buzzin).toEqual({
      baseUrl: "https://api.buzz-in.co",
      apiKeyHeader: "x-api-key",
      timeZone: "Asia/Dubai",
    });
  });

  it("reads every variable of the contract", () => {
    const config = parseConfig({
      ...valid,
      SLACK_APP_TOKEN: "xapp-1-abc",
      SLACK_API_URL: "http://127.0.0.1:9000/api",
      PORT: "8080",
      DOORFLOW_BASE_URL: "http://127.0.0.1:4010/",
      DATABASE_URL: "file:/tmp/g.db",
      FACILITIES_CHANNEL_ID: "C0FACILITY",
      APPROVER_USERGROUP_ID: "S0APPROVERS",
      OPERATOR_USER_IDS: "U0OPERATOR",
      REQUESTER_USER_IDS: "U0REQUEST1 U0REQUEST2",
      OFFBOARD_CRON: "30 18 * * 1-5",
      ACCOUNT_TIMEZONE: "London",
      CONTRACTOR_MAX_DAYS: "90",
      VISITOR_APPROVAL: "false",
      PENDING_APPROVAL_HOURS: "24",
      LOG_LEVEL: "DEBUG",
      BUZZIN_API_KEY: "key",
      BUZZIN_API_KEY_HEADER: "x-buzzin-key",
      BUZZIN_WEBHOOK_TOKEN: "a-long-webhook-secret",
      BUZZIN_TIME_ZONE: "Europe/Istanbul",
    });
    expect(config.slack).toMatchObject({
      mode: "socket",
      appToken: "xapp-1-abc",
      apiUrl: "http://127.0.0.1:9000/api/",
      port: 8080,
    });
    expect(config.doorflow.baseUrl).toBe("http://127.0.0.1:4010");
    expect(config.channels.facilities).toBe("C0FACILITY");
    expect(config.approvers).toEqual({ userIds: ["U0APPROVER1", "U0APPROVER2"], usergroupId: "S0APPROVERS" });
    expect(config.operators).toEqual({ userIds: ["U0OPERATOR"] });
    expect(config.requesters).toEqual(["U0REQUEST1", "U0REQUEST2"]);
    expect(config.accountTimeZone).toBe("Europe/London");
    expect(config).toMatchObject({
      offboardCron: "30 18 * * 1-5",
      contractorMaxDays: 90,
      visitorApproval: false,
      pendingApprovalHours: 24,
      logLevel: "debug",
    });
    expect(config.buzzin).toEqual({
      baseUrl: "https://api.buzz-in.co",
      apiKey: "key",
      apiKeyHeader: "x-buzzin-key",
      webhookToken: "a-long-webhook-secret",
      timeZone: "Europe/Istanbul",
    });
  });

  it("accepts OAuth credentials instead of a fixed token", () => {
    const { DOORFLOW_ACCESS_TOKEN: _, ...rest } = valid;
    const config = parseConfig({ ...rest, DOORFLOW_CLIENT_ID: "id", DOORFLOW_CLIENT_SECRET: "secret" });
    expect(config.doorflow.auth).toEqual({ kind: "oauth", clientId: "id", clientSecret: "secret" });
  });

  it.each([
    ["SLACK_BOT_TOKEN", { SLACK_BOT_TOKEN: undefined }, /SLACK_BOT_TOKEN is missing/],
    [
      "SLACK_BOT_TOKEN",
      { SLACK_BOT_TOKEN: "xoxp-user" },
      /SLACK_BOT_TOKEN is malformed: expected a bot token starting with xoxb-/,
    ],
    [
      "SLACK_SIGNING_SECRET",
      { SLACK_SIGNING_SECRET: "" },
      /SLACK_SIGNING_SECRET is missing: it is required in HTTP mode/,
    ],
    [
      "APPROVAL_CHANNEL_ID",
      { APPROVAL_CHANNEL_ID: "#approvals" },
      /APPROVAL_CHANNEL_ID is malformed: expected a Slack channel id/,
    ],
    ["SECURITY_CHANNEL_ID", { SECURITY_CHANNEL_ID: undefined }, /SECURITY_CHANNEL_ID is missing/],
    [
      "APPROVER_USER_IDS",
      { APPROVER_USER_IDS: undefined },
      /APPROVER_USER_IDS is missing: set APPROVER_USER_IDS/,
    ],
    [
      "APPROVER_USER_IDS",
      { APPROVER_USER_IDS: "alice" },
      /APPROVER_USER_IDS is malformed: expected Slack user ids/,
    ],
    ["DOORFLOW_ACCESS_TOKEN", { DOORFLOW_ACCESS_TOKEN: undefined }, /DOORFLOW_ACCESS_TOKEN is missing/],
    ["PORT", { PORT: "eighty" }, /PORT is malformed: expected a whole number from 0 to 65535/],
    ["PORT", { PORT: "70000" }, /PORT is malformed/],
    [
      "OFFBOARD_CRON",
      { OFFBOARD_CRON: "every day" },
      /OFFBOARD_CRON is malformed: expected a cron expression/,
    ],
    [
      "ACCOUNT_TIMEZONE",
      { ACCOUNT_TIMEZONE: "Mars/Olympus" },
      /ACCOUNT_TIMEZONE is malformed: expected an IANA time zone/,
    ],
    [
      "BUZZIN_TIME_ZONE",
      { BUZZIN_TIME_ZONE: "Dubai/Marina" },
      /BUZZIN_TIME_ZONE is malformed: expected an IANA time zone such as Asia\/Dubai/,
    ],
    [
      "CONTRACTOR_MAX_DAYS",
      { CONTRACTOR_MAX_DAYS: "0" },
      /CONTRACTOR_MAX_DAYS is malformed: expected a whole number from 1/,
    ],
    [
      "VISITOR_APPROVAL",
      { VISITOR_APPROVAL: "maybe" },
      /VISITOR_APPROVAL is malformed: expected true or false/,
    ],
    ["LOG_LEVEL", { LOG_LEVEL: "loud" }, /LOG_LEVEL is malformed: expected one of debug, info, warn, error/],
    [
      "DOORFLOW_BASE_URL",
      { DOORFLOW_BASE_URL: "api.doorflow.com" },
      /DOORFLOW_BASE_URL is malformed: expected an http\(s\) URL/,
    ],
  ])("names %s when it is wrong", (variable, change, message) => {
    const error = configError({ ...valid, ...change });
    expect(error.variable).toBe(variable);
    expect(error.code).toBe("config_invalid");
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^Gatehouse cannot start: one setting is wrong\./);
  });

  it("lists every wrong variable in one message", () => {
    const error = configError({ SLACK_BOT_TOKEN: "xoxb-ok", PORT: "x" });
    for (const name of [
      "SLACK_SIGNING_SECRET",
      "APPROVAL_CHANNEL_ID",
      "SECURITY_CHANNEL_ID",
      "PORT",
      "DOORFLOW_ACCESS_TOKEN",
      "APPROVER_USER_IDS",
    ]) {
      expect(error.message).toContain(name);
    }
    expect(error.message).toMatch(/6 settings are wrong/);
  });

  it("turns leaver sources on with their secrets, and reads SLACK_DEACTIVATION_OFFBOARD", () => {
    expect(parseConfig(valid).leavers).toEqual({ slackDeactivation: "alert" });
    const on = parseConfig({
      ...valid,
      HR_WEBHOOK_SECRET: "hr-secret-0123456789",
      SCIM_TOKEN: "scim-token-0123456789",
      SLACK_DEACTIVATION_OFFBOARD: " Auto ",
    });
    expect(on.leavers).toEqual({
      hrWebhookSecret: "hr-secret-0123456789",
      scimToken: "scim-token-0123456789",
      slackDeactivation: "auto",
    });
    const error = configError({
      ...valid,
      HR_WEBHOOK_SECRET: "short",
      SCIM_TOKEN: "short",
      SLACK_DEACTIVATION_OFFBOARD: "sometimes",
    });
    expect(error.message).toContain(
      "HR_WEBHOOK_SECRET is malformed: expected a secret of at least 16 characters",
    );
    expect(error.message).toContain(
      "SCIM_TOKEN is malformed: expected a bearer token of at least 16 characters",
    );
    expect(error.message).toContain("SLACK_DEACTIVATION_OFFBOARD is malformed: expected alert or auto");
    expect(error.message).not.toContain("short");
  });

  it("never echoes a secret value in its message", () => {
    const error = configError({ ...valid, SLACK_BOT_TOKEN: "xoxp-very-secret-user-token" });
    expect(error.message).not.toContain("very-secret");
  });

  it("reads .env under the real environment", () => {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-env-"));
    const file = join(dir, ".env");
    writeFileSync(file, 'PORT=4000\nLOG_LEVEL=warn\n# comment\nSLACK_API_URL="http://localhost:1/api/"\n');
    const env = readEnvironment(file, { ...valid, LOG_LEVEL: "error" });
    expect(env.PORT).toBe("4000");
    expect(env.LOG_LEVEL).toBe("error");
    expect(parseConfig(env).slack.apiUrl).toBe("http://localhost:1/api/");
    expect(readEnvironment(join(dir, "absent.env"), valid)).toEqual(valid);
  });
});

describe("DoorFlow settings for the operator CLI", () => {
  it("needs only the DoorFlow and database variables", () => {
    const settings = parseDoorFlowSettings({
      DOORFLOW_CLIENT_ID: "id",
      DOORFLOW_CLIENT_SECRET: "s",
      DATABASE_URL: "/tmp/x.db",
    });
    expect(settings).toEqual({
      doorflow: {
        baseUrl: "https://api.doorflow.com",
        auth: { kind: "oauth", clientId: "id", clientSecret: "s" },
        credentialTypes: {},
      },
      databaseUrl: "/tmp/x.db",
      logLevel: "info",
    });
  });

  it("names the missing client secret", () => {
    expect(() => parseDoorFlowSettings({ DOORFLOW_CLIENT_ID: "id" })).toThrow(
      /DOORFLOW_CLIENT_SECRET is missing/,
    );
  });

  it("takes the credential types by id, slug or label, and names a malformed one", () => {
    const config = parseConfig({
      ...valid,
      DOORFLOW_CARD_CREDENTIAL_TYPE: " Staff Badge ",
      DOORFLOW_PIN_CREDENTIAL_TYPE: "8318",
      DOORFLOW_MOBILE_CREDENTIAL_TYPE: "hid_mobile_access",
    });
    expect(config.doorflow.credentialTypes).toEqual({
      card: "Staff Badge",
      pin: "8318",
      mobile: "hid_mobile_access",
    });
    expect(() => parseConfig({ ...valid, DOORFLOW_CARD_CREDENTIAL_TYPE: "x".repeat(101) })).toThrow(
      /DOORFLOW_CARD_CREDENTIAL_TYPE is malformed/,
    );
  });
});
