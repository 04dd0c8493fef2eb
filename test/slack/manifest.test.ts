import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// A copy of ../shared/slack/manifest.schema.json: CI runs on a clean clone without the shared folder.
const schemaPath = new URL("../fixtures/slack-manifest.schema.json", import.meta.url);
const manifestPath = new URL("../../manifest.yml", import.meta.url);

describe("manifest.yml", () => {
  const manifest = parse(readFileSync(manifestPath, "utf8"));

  it("validates against Slack's app-manifest schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("declares the two commands with escaping, the home tab and interactivity", () => {
    const commands = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    expect(commands).toEqual(["/contractor", "/offboard"]);
    for (const c of manifest.features.slash_commands) expect(c.should_escape).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain("app_home_opened");
  });
});
