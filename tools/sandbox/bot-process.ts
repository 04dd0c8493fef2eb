/**
 * The real bot as a child process, configured by its environment only, as in production:
 * `src/main.ts` through tsx, or a built `dist/main.js` when given as `entry`. The crash
 * suite SIGKILLs it and starts it again on the same database; the shutdown tests send it SIGTERM.
 * It runs in a directory of its own, so a developer's `.env` never leaks into it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Env } from "../../src/config.js";

type LogEntry = Record<string, unknown> & { msg?: string; level?: string };

export interface BotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  pid: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  eventsUrl: string;
  /** Every stderr line so far (JSON log lines, and plain text on a failed start). */
  lines: string[];
  exited: Promise<BotExit>;
  /** Whether the process has exited. */
  readonly gone: boolean;
  signal(signal: NodeJS.Signals): void;
  /** Resolves with the first log entry (past or future) that matches. */
  waitForLog(match: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
}

export interface StartBotProcessOptions {
  env: Env;
  /** Where the process runs (default: a new temporary directory). */
  cwd?: string;
  startTimeoutMs?: number;
  /** A built entry point (`dist/main.js`) to run with plain node, as `npm start` does. */
  entry?: string;
}

function entryArgs(): string[] {
  const tsx = createRequire(import.meta.url).resolve("tsx");
  return ["--import", pathToFileURL(tsx).href, fileURLToPath(new URL("../../src/main.ts", import.meta.url))];
}

function parse(line: string): LogEntry | null {
  if (!line.startsWith("{")) return null;
  try {
    return JSON.parse(line) as LogEntry;
  } catch {
    return null;
  }
}

export async function startBotProcess(options: StartBotProcessOptions): Promise<BotProcess> {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), "gatehouse-bot-"));
  const child: ChildProcess = spawn(process.execPath, options.entry ? [options.entry] : entryArgs(), {
    cwd,
    // Nothing else of this process's environment: the bot sees its configuration and no more.
    env: { PATH: process.env.PATH ?? "", ...(process.env.TZ ? { TZ: process.env.TZ } : {}), ...options.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const lines: string[] = [];
  const watchers = new Set<(entry: LogEntry) => void>();
  let gone = false;
  let partial = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      const entry = parse(line);
      if (entry) for (const watcher of watchers) watcher(entry);
    }
  });
  const exited = new Promise<BotExit>((resolve) => {
    child.once("exit", (code, signal) => {
      gone = true;
      resolve({ code, signal });
    });
  });

  const waitForLog = (match: (entry: LogEntry) => boolean, timeoutMs = 15_000) =>
    new Promise<LogEntry>((resolve, reject) => {
      const seen = lines.map(parse).find((e) => e !== null && match(e));
      if (seen) {
        resolve(seen);
        return;
      }
      const timer = setTimeout(() => {
        watchers.delete(watch);
        reject(
          new Error(
            `no matching log line within ${timeoutMs} ms; last lines:\n${lines.slice(-15).join("\n")}`,
          ),
        );
      }, timeoutMs);
      const watch = (entry: LogEntry) => {
        if (!match(entry)) return;
        clearTimeout(timer);
        watchers.delete(watch);
        resolve(entry);
      };
      watchers.add(watch);
      void exited.then(({ code, signal }) => {
        if (!watchers.has(watch)) return;
        clearTimeout(timer);
        watchers.delete(watch);
        reject(
          new Error(`the bot exited (${code ?? signal}) first; last lines:\n${lines.slice(-15).join("\n")}`),
        );
      });
    });

  const listening = await waitForLog((e) => e.msg === "listening", options.startTimeoutMs ?? 20_000).catch(
    (error: unknown) => {
      if (!gone) child.kill("SIGKILL");
      throw error;
    },
  );
  const url = `http://127.0.0.1:${String(listening.port)}`;
  return {
    pid: child.pid as number,
    url,
    eventsUrl: `${url}/slack/events`,
    lines,
    exited,
    get gone() {
      return gone;
    },
    signal: (signal) => {
      if (!gone) child.kill(signal);
    },
    waitForLog,
  };
}
