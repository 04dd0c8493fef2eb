import { spawn } from "node:child_process";
import type { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { HELP, runCli } from "../../src/cli/run.js";
import type { Env } from "../../src/config.js";
import { type CliWorld, FIXED_TOKEN, fakeTerminal, oauthEnv, startCliWorld } from "./support.js";

let world: CliWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("gatehouse command line", () => {
  it.each([[[]], [["help"]], [["--help"]], [["doorflow", "check", "-h"]]])(
    "%j prints the help on stdout and exits 0",
    async (argv) => {
      const io = fakeTerminal();
      expect(await runCli(argv, { io, env: {} })).toBe(0);
      expect(io.outLines).toEqual([HELP]);
      expect(io.errLines).toEqual([]);
    },
  );

  it.each([
    [["doorflow"], 'Unknown command "doorflow".'],
    [["doorflow", "conect"], 'Unknown command "doorflow conect".'],
    [["doorflow", "check", "--paste"], '"doorflow check" does not take --paste.'],
    [["doorflow", "connect", "--redirect-url", "http://x"], "Unknown option '--redirect-url'"],
    [["doorflow", "connect", "--redirect-uri"], "Option '--redirect-uri <value>' argument missing"],
    [
      ["doorflow", "connect", "--redirect-uri", "127.0.0.1:9/cb"],
      "--redirect-uri 127.0.0.1:9/cb is not an http(s) URL.",
    ],
  ])("%j is a usage error: says why and shows the help on stderr, exits 2", async (argv, why) => {
    const io = fakeTerminal();
    // No environment at all: a usage error is found before anything is configured or opened.
    expect(await runCli(argv, { io, env: {} })).toBe(2);
    expect(io.errLines[0]).toContain(why);
    expect(io.errLines[1]).toBe(HELP);
    expect(io.outLines).toEqual([]);
  });
});

const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");

/**
 * The real entry point (`npx tsx src/cli.ts …`). stdin is closed, as from a script or CI, unless
 * `onStdout` is given: it sees the output so far and may write to stdin.
 */
function runGatehouse(
  args: string[],
  env: Env,
  cwd: string,
  onStdout?: (stdout: string, stdin: Writable) => void,
) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, ...env },
      stdio: [onStdout ? "pipe" : "ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const { stdin } = child;
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdin) onStdout?.(stdout, stdin);
    });
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the gatehouse executable", () => {
  it("runs doorflow check and exits with its code", async () => {
    const w = await startCliWorld();
    world = w;
    const ok = await runGatehouse(
      ["doorflow", "check"],
      w.env({ DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN }),
      w.dir,
    );
    expect(ok.stdout).toContain("DoorFlow is ready for Gatehouse.");
    expect(ok.code).toBe(0);

    const refused = await runGatehouse(
      ["doorflow", "check"],
      w.env({ DOORFLOW_ACCESS_TOKEN: "wrong" }),
      w.dir,
    );
    expect(refused.stdout).toContain("refused DOORFLOW_ACCESS_TOKEN");
    expect(refused.code).toBe(1);
  });

  it("fails connect --paste with a message when stdin is closed, instead of exiting 0 silently", async () => {
    const w = await startCliWorld({ fixedToken: null });
    world = w;
    const result = await runGatehouse(["doorflow", "connect", "--paste"], w.env(oauthEnv()), w.dir);
    expect(result.stdout).toContain("/oauth/authorize?");
    expect(result.stderr).toContain("No code was given");
    expect(result.code).toBe(1);
  });

  it("connects --paste from piped input, skipping a line that is not a code", async () => {
    const w = await startCliWorld({ fixedToken: null });
    world = w;
    let pasted = false;
    const result = await runGatehouse(
      ["doorflow", "connect", "--paste"],
      w.env(oauthEnv()),
      w.dir,
      (stdout, stdin) => {
        const printed = /(http\S+\/oauth\/authorize\?\S+)/.exec(stdout)?.[1];
        if (!printed || pasted) return;
        pasted = true;
        void fetch(printed, { redirect: "manual" }).then((res) => {
          // Both lines in one chunk: the second must not be lost with the first prompt.
          stdin.end(`not a code?\n${res.headers.get("location") ?? ""}\n`);
        });
      },
    );
    expect(result.stderr).toContain("That is neither the redirect URL nor a code");
    expect(result.stdout).toContain(
      `Connected to DoorFlow account "${w.doorflow.sandbox.state.account.name}"`,
    );
    expect(result.code).toBe(0);
  });
});
