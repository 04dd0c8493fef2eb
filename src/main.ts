/**
 * `npm start`: reads the configuration once, starts Gatehouse, and stops it gracefully on SIGTERM
 * or SIGINT: no new work, in-flight work finished (bounded), the job stopped, the database closed,
 * exit 0 (1 when work had to be abandoned; a restart resumes it). A second signal exits at once.
 */
import { constants } from "node:os";
import { type Gatehouse, startGatehouse } from "./app.js";
import { loadConfig } from "./config.js";
import { ConfigError, errorMessage } from "./lib/errors.js";
import { createLogger } from "./lib/logger.js";
import { SelfCheckFailed } from "./wiring/self-check.js";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, base: { app: "gatehouse" } });
  process.on("unhandledRejection", (reason) =>
    logger.error("unhandled rejection", { error: errorMessage(reason) }),
  );

  // Handlers go in before the start, so a signal while starting is not Node's default (dying mid-write).
  let gatehouse: Gatehouse | undefined = undefined;
  let stopRequested: NodeJS.Signals | undefined;
  let signals = 0;
  const stop = (signal: NodeJS.Signals, running: Gatehouse) => {
    logger.info("stopping", { signal });
    running.stop().then(
      ({ abandoned }) => process.exit(abandoned > 0 ? 1 : 0),
      (error: unknown) => {
        logger.error("stop failed", { error: errorMessage(error) });
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn("second signal: exiting now", { signal });
      process.exit(128 + (constants.signals[signal] ?? 15));
    }
    if (gatehouse) stop(signal, gatehouse);
    else stopRequested = signal;
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  gatehouse = await startGatehouse(config, { logger }).catch((error: unknown) => {
    logger.error("start failed", { error: errorMessage(error) });
    if (error instanceof SelfCheckFailed) {
      process.stderr.write("Gatehouse cannot start:\n");
      for (const p of error.problems) process.stderr.write(`  ✗ ${p.message}\n`);
    } else {
      process.stderr.write(`Gatehouse cannot start: ${errorMessage(error)}\n`);
    }
    process.exit(1);
  });
  if (stopRequested) stop(stopRequested, gatehouse);
}

await main();
