/**
 * `npm start`: reads the configuration once, starts Gatehouse, and stops it gracefully on SIGTERM
 * or SIGINT (a second signal exits at once).
 */
import { startGatehouse } from "./app.js";
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

  const gatehouse = await startGatehouse(config, { logger }).catch((error: unknown) => {
    logger.error("start failed", { error: errorMessage(error) });
    if (error instanceof SelfCheckFailed) {
      process.stderr.write("Gatehouse cannot start:\n");
      for (const p of error.problems) process.stderr.write(`  ✗ ${p.message}\n`);
    } else {
      process.stderr.write(`Gatehouse cannot start: ${errorMessage(error)}\n`);
    }
    process.exit(1);
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn("second signal: exiting now", { signal });
      process.exit(130);
    }
    logger.info("stopping", { signal });
    gatehouse.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("stop failed", { error: errorMessage(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

await main();
