/** A scripted terminal, a sandbox DoorFlow on loopback and a temporary database for CLI tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Env } from "../../src/config.js";
import type { CliContext, CliIo } from "../../src/cli/context.js";
import { type RunningDoorFlowSandbox, startDoorFlowSandbox } from "../../tools/sandbox/doorflow/server.js";

export const CLIENT = { clientId: "gatehouse-cli-test", clientSecret: "cli-test-secret-9f3a" };
export const FIXED_TOKEN = "fixed-sandbox-token";

export interface FakeTerminal extends CliIo {
  outLines: string[];
  errLines: string[];
  /** Everything printed, stdout then stderr, for "does it say …" assertions. */
  text(): string;
  /** Resolves with the first printed line (stdout or stderr) matching `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Answers the current (or next) prompt; `null` is end of input. */
  answer(line: string | null): void;
  prompts: string[];
  /** How many prompts were abandoned through their AbortSignal. */
  abandoned: number;
}

/**
 * A terminal whose prompts wait until the test answers them; `endOfInput` makes every prompt
 * answer `null` at once, as stdin redirected from /dev/null does.
 */
export function fakeTerminal(options: { endOfInput?: boolean } = {}): FakeTerminal {
  const outLines: string[] = [];
  const errLines: string[] = [];
  const watchers: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const queued: Array<string | null> = [];
  const waiting: Array<(line: string | null) => void> = [];
  const printed = (line: string) => {
    for (const w of [...watchers]) {
      if (w.pattern.test(line)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  const terminal: FakeTerminal = {
    outLines,
    errLines,
    prompts: [],
    abandoned: 0,
    out: (line) => {
      outLines.push(line);
      printed(line);
    },
    err: (line) => {
      errLines.push(line);
      printed(line);
    },
    text: () => [...outLines, ...errLines].join("\n"),
    waitFor: (pattern) => {
      const seen = [...outLines, ...errLines].find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => watchers.push({ pattern, resolve }));
    },
    answer: (line) => {
      const next = waiting.shift();
      if (next) next(line);
      else queued.push(line);
    },
    readLine: (prompt, signal) => {
      terminal.prompts.push(prompt);
      if (options.endOfInput) return Promise.resolve(null);
      if (queued.length > 0) return Promise.resolve(queued.shift() ?? null);
      return new Promise((resolve) => {
        waiting.push(resolve);
        signal?.addEventListener("abort", () => {
          terminal.abandoned += 1;
          waiting.splice(waiting.indexOf(resolve), 1);
          resolve(null);
        });
      });
    },
  };
  return terminal;
}

export interface CliWorld {
  doorflow: RunningDoorFlowSandbox;
  dir: string;
  databaseFile: string;
  env(extra?: Env): Env;
  context(io: CliIo, extra?: Env): CliContext;
  close(): Promise<void>;
}

/** A sandbox DoorFlow account that accepts OAuth (and the fixed token unless `fixedToken: null`). */
export async function startCliWorld(options: { fixedToken?: string | null } = {}): Promise<CliWorld> {
  const doorflow = await startDoorFlowSandbox({
    port: 0,
    token: options.fixedToken === undefined ? FIXED_TOKEN : options.fixedToken,
    oauthClient: CLIENT,
  });
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-cli-"));
  const databaseFile = join(dir, "gatehouse.db");
  const env = (extra: Env = {}): Env => ({
    DOORFLOW_BASE_URL: doorflow.url,
    DATABASE_URL: `file:${databaseFile}`,
    ...extra,
  });
  return {
    doorflow,
    dir,
    databaseFile,
    env,
    context: (io, extra) => ({ io, env: env(extra) }),
    close: async () => {
      await doorflow.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const oauthEnv = (): Env => ({
  DOORFLOW_CLIENT_ID: CLIENT.clientId,
  DOORFLOW_CLIENT_SECRET: CLIENT.clientSecret,
});

/** A loopback port nobody listens on right now, for the callback's redirect URI. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
