#!/usr/bin/env node
/**
 * `gatehouse` — the operator CLI (the package's bin; `npx gatehouse …`, or `npm run gatehouse -- …`
 * from a checkout). Commands call the same use cases as Slack.
 */
import { createInterface } from "node:readline/promises";
import type { CliIo } from "./cli/context.js";
import { runCli } from "./cli/run.js";
import { readEnvironment } from "./config.js";
import { errorMessage } from "./lib/errors.js";

function terminalIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readLine: async (prompt) => {
      const rl = createInterface({
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY,
      });
      try {
        return await rl.question(prompt);
      } catch {
        return null;
      } finally {
        rl.close();
      }
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
