#!/usr/bin/env node
/**
 * `gatehouse` — the operator CLI (the package's bin; `npx gatehouse …`, or `npm run gatehouse -- …`
 * from a checkout). Commands call the same use cases as Slack.
 */
import { createInterface, type Interface } from "node:readline";
import type { CliIo } from "./cli/context.js";
import { runCli } from "./cli/run.js";
import { readEnvironment } from "./config.js";
import { errorMessage } from "./lib/errors.js";

/**
 * One readline interface for the whole run, with its lines queued: a fresh interface per prompt
 * would drop lines already buffered from piped input, and `question()` never settles when stdin
 * ends without a line (`< /dev/null`), which would let the process exit 0 having done nothing.
 */
function terminalIo(): CliIo {
  let rl: Interface | undefined;
  let ended = false;
  const lines: string[] = [];
  const waiting = new Set<(line: string | null) => void>();
  const open = (): Interface => {
    if (rl) return rl;
    rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
    rl.on("line", (line) => {
      const [first] = waiting;
      if (first) {
        waiting.delete(first);
        first(line);
      } else lines.push(line);
    });
    rl.on("close", () => {
      ended = true;
      for (const resolve of waiting) resolve(null);
      waiting.clear();
    });
    return rl;
  };
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readLine: (prompt, signal) => {
      const queued = lines.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      if (ended || signal?.aborted) return Promise.resolve(null);
      const input = open();
      input.setPrompt(prompt);
      input.prompt();
      return new Promise((resolve) => {
        waiting.add(resolve);
        signal?.addEventListener("abort", () => {
          waiting.delete(resolve);
          resolve(null);
        });
      });
    },
  };
}

runCli(process.argv.slice(2), { io: terminalIo(), env: readEnvironment() }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${errorMessage(error)}\n`);
    process.exit(1);
  },
);
