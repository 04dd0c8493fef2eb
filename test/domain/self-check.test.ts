/** The start-up self-check's messages, against the DoorFlow sandbox and the Slack stand-in. */
import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { runSelfCheck } from "../../src/domain/self-check.js";
import { staticTokenAuth } from "../../src/doorflow/auth.js";
import { DoorFlowClient } from "../../src/doorflow/client.js";
import { type RunningDoorFlowSandbox, startDoorFlowSandbox } from "../../tools/sandbox/doorflow/server.js";
import { BuzzinClient } from "../../src/buzzin/client.js";
import { DEFAULT_BUZZIN_API_KEY } from "../../tools/sandbox/buzzin/sandbox.js";
import { startBuzzinSandbox } from "../../tools/sandbox/buzzin/server.js";
import { type SlackStandIn, startSlackStandIn } from "../../tools/sandbox/slack/web-api.js";
import { createSlackProbe } from "../../src/slack/self-check-probe.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup(
  options: {
    doorflowToken?: string;
    slackTokens?: string[];
    botInSecurity?: boolean;
    credentialTypes?: Array<{ id: number; label: string; slug: string }>;
  } = {},
): Promise<{
  client: DoorFlowClient;
  web: webApi.WebClient;
  doorflow: RunningDoorFlowSandbox;
  slack: SlackStandIn;
}> {
  const doorflow = await startDoorFlowSandbox({ token: "sandbox" });
  if (options.credentialTypes)
    doorflow.sandbox.state.credentialTypes = options.credentialTypes.map((t) => ({
      ...t,
      code: null,
      kind: "value" as const,
    }));
  const slack = await startSlackStandIn({
    tokens: options.slackTokens ?? ["xoxb-good"],
    channels: [
      { id: "C0APPROVAL", name: "access-approvals" },
      { id: "C0SECURITY", name: "security-alerts", botIsMember: options.botInSecurity ?? true },
    ],
  });
  const client = new DoorFlowClient({
    baseUrl: doorflow.url,
    auth: staticTokenAuth(options.doorflowToken ?? "sandbox"),
    retry: { maxAttempts: 1 },
  });
  closers.push(
    () => doorflow.close(),
    () => slack.close(),
    () => client.close(),
  );
  const web = new webApi.WebClient("xoxb-good", { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  return { client, web, doorflow, slack };
}

const channels = { approval: "C0APPROVAL", security: "C0SECURITY", facilities: "C0FACILITY" };
const migrations = { applied: 4, expected: 4 };

describe("start-up self-check", () => {
  it("finds nothing wrong when everything is in place (facilities missing aside)", async () => {
    const { client, web } = await setup();
    const problems = await runSelfCheck({
      doorflow: client,
      slack: createSlackProbe(web),
      channels: { ...channels, facilities: "C0SECURITY" },
      migrations,
    });
    expect(problems).toEqual([]);
  });

  it("stops the start when the card or PIN type is not clear, naming the types and the variable", async () => {
    const { client, web } = await setup({
      credentialTypes: [
        { id: 51, label: "Visitor Card", slug: "visitor_card" },
        { id: 52, label: "Contractor Card", slug: "contractor_card" },
        { id: 53, label: "Door PIN", slug: "door_pin" },
      ],
    });
    const check = (credentialTypes?: { card: string }) =>
      runSelfCheck({
        doorflow: client,
        slack: createSlackProbe(web),
        channels: { ...channels, facilities: "C0SECURITY" },
        migrations,
        ...(credentialTypes ? { credentialTypes } : {}),
      });
    const problems = await check();
    expect(problems.map((p) => [p.code, p.severity])).toEqual([
      ["doorflow_card_credential_type", "fatal"],
      ["doorflow_mobile_credential_type", "warning"],
    ]);
    expect(problems[0]?.message).toContain("DOORFLOW_CARD_CREDENTIAL_TYPE");
    expect(problems[0]?.message).toContain('"Contractor Card" (slug contractor_card, id 52)');
    expect((await check({ card: "Contractor Card" })).map((p) => p.code)).toEqual([
      "doorflow_mobile_credential_type",
    ]);
  });

  it("stops the start on a wrong DoorFlow token, saying how to fix it", async () => {
    const { client, web } = await setup({ doorflowToken: "wrong" });
    const problems = await runSelfCheck({
      doorflow: client,
      slack: createSlackProbe(web),
      channels: { ...channels, facilities: "C0SECURITY" },
      migrations,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        code: "doorflow_token",
        severity: "fatal",
        message: expect.stringContaining("DOORFLOW_ACCESS_TOKEN"),
      }),
    ]);
  });

  it("reports a missing channel and a bot that is not in a channel, with the fix", async () => {
    const { client, web } = await setup({ botInSecurity: false });
    const problems = await runSelfCheck({
      doorflow: client,
      slack: createSlackProbe(web),
      channels,
      migrations,
    });
    expect(problems.map((p) => [p.code, p.severity])).toEqual([
      ["slack_security_not_member", "warning"],
      ["slack_facilities_missing", "warning"],
    ]);
    expect(problems[0]?.message).toContain("/invite @Gatehouse");
    expect(problems[1]?.message).toContain("FACILITIES_CHANNEL_ID");
  });

  it("stops the start on a wrong Slack token and an unmigrated database", async () => {
    const { client } = await setup();
    const slack = await startSlackStandIn({ tokens: ["xoxb-good"] });
    closers.push(() => slack.close());
    const web = new webApi.WebClient("xoxb-revoked", { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    const problems = await runSelfCheck({
      doorflow: client,
      slack: createSlackProbe(web),
      channels,
      migrations: { applied: 2, expected: 4 },
    });
    expect(problems.map((p) => p.code)).toEqual(["db_not_migrated", "slack_token"]);
    expect(problems.every((p) => p.severity === "fatal")).toBe(true);
    expect(problems[1]?.message).toContain("invalid_auth");
  });

  it("checks Buzz-in's key with a read, and warns when its webhooks cannot arrive", async () => {
    const { client, web } = await setup();
    const buzzin = await startBuzzinSandbox();
    closers.push(() => buzzin.close());
    const probe = (apiKey: string) => {
      const c = new BuzzinClient({ baseUrl: buzzin.url, apiKey, retry: { maxAttempts: 1 } });
      closers.push(() => c.close());
      return c;
    };
    const check = (buzzinClient: BuzzinClient, webhookToken: boolean) =>
      runSelfCheck({
        doorflow: client,
        slack: createSlackProbe(web),
        channels: { ...channels, facilities: "C0SECURITY" },
        migrations,
        buzzin: { client: buzzinClient, webhookToken },
      });

    expect(await check(probe(DEFAULT_BUZZIN_API_KEY), true)).toEqual([]);
    expect(await check(probe("wrong-key"), false)).toEqual([
      expect.objectContaining({
        code: "buzzin_no_webhooks",
        severity: "warning",
        message: expect.stringContaining("BUZZIN_WEBHOOK_TOKEN"),
      }),
      expect.objectContaining({
        code: "buzzin_key",
        severity: "warning",
        message: expect.stringContaining("BUZZIN_API_KEY"),
      }),
    ]);
  });

  it("tells DoorFlow being down (503) from a wrong token: the first is temporary, the second a configuration error", async () => {
    const { client, web, doorflow } = await setup();
    doorflow.sandbox.faults.add({ method: "GET", path: "/api/3/account", status: 503 });
    doorflow.sandbox.faults.add({ method: "GET", path: "/api/3/credential_types", status: 503 });
    const down = await runSelfCheck({
      doorflow: client,
      slack: createSlackProbe(web),
      channels: { ...channels, facilities: "C0SECURITY" },
      migrations,
    });
    expect(down).toEqual([
      expect.objectContaining({
        code: "doorflow_unreachable",
        severity: "fatal",
        temporary: true,
        message: expect.stringContaining("503"),
      }),
    ]);
    const wrong = await runSelfCheck({
      doorflow: (await setup({ doorflowToken: "wrong" })).client,
      slack: createSlackProbe(web),
      channels: { ...channels, facilities: "C0SECURITY" },
      migrations,
    });
    expect(wrong.map((p) => [p.code, p.temporary ?? false])).toEqual([["doorflow_token", false]]);
  });

  it("does not call a network error on auth.test a refused token: Slack could not be reached, for now", async () => {
    const { client } = await setup();
    // Nothing listens there: the connection is refused.
    const unreachable = new webApi.WebClient("xoxb-good", {
      slackApiUrl: "http://127.0.0.1:9/api/",
      retryConfig: { retries: 0 },
    });
    const problems = await runSelfCheck({
      doorflow: client,
      slack: createSlackProbe(unreachable),
      channels,
      migrations,
    });
    expect(problems).toEqual([
      expect.objectContaining({ code: "slack_unreachable", severity: "fatal", temporary: true }),
    ]);
    expect(problems[0]?.message).not.toMatch(/refused the bot token/);
    expect(problems[0]?.message).toMatch(/could not be reached/);
  });

  it("calls Slack answering 503 or rate limiting temporary too, and a 503 on a channel is not a missing channel", async () => {
    const { client, web, slack } = await setup();
    const stop = slack.faults.add({ method: "auth.test", status: 503 });
    const down = await runSelfCheck({ doorflow: client, slack: createSlackProbe(web), channels, migrations });
    expect(down.map((p) => [p.code, p.temporary])).toEqual([["slack_unreachable", true]]);
    stop();
    slack.faults.add({ method: "conversations.info", status: 429, retryAfterSeconds: 0 });
    const limited = await runSelfCheck({
      doorflow: client,
      slack: createSlackProbe(web),
      channels: { ...channels, facilities: "C0SECURITY" },
      migrations,
    });
    expect(limited.map((p) => [p.code, p.severity, p.temporary])).toEqual([
      ["slack_approval_unchecked", "fatal", true],
      ["slack_security_unchecked", "warning", true],
      // The facilities channel is the security channel here: one lookup, two settings named.
      ["slack_facilities_unchecked", "warning", true],
    ]);
    expect(limited[0]?.message).not.toMatch(/does not exist/);
  });
});
