import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { describe, expect, it, onTestFinished } from "vitest";
import { callApi } from "./helpers.js";

describe("npm run doorflow:sandbox", () => {
  it("prints its URL and token, serves the API, and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "tools/sandbox/doorflow/cli.ts",
        "--port",
        "0",
        "--token",
        "cli-token",
        "--time-zone",
        "America/New_York",
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    onTestFinished(() => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    const lines = createInterface({ input: child.stdout });
    const printed: string[] = [];
    let url = "";
    for await (const line of lines) {
      printed.push(line);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m?.[1]) url = m[1];
      if (line.includes("OAuth")) break;
    }
    expect(printed).toContain("  DOORFLOW_ACCESS_TOKEN=cli-token");

    const account = await callApi(url, "GET", "/api/3/account", { token: "cli-token" });
    expect(account.json.time_zone).toBe("Eastern Time (US & Canada)");

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
