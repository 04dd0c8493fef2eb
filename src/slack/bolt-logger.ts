/** Bolt logs through our structured, redacting logger; Bolt's DEBUG chatter stays at debug. */
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../lib/logger.js";

/**
 * `withoutDebug`: for Slack's Web API client, whose DEBUG lines print request bodies, and a direct
 * message's body holds a PIN. Its debug output is dropped whatever LOG_LEVEL says.
 */
export function boltLogger(logger: Logger, options: { withoutDebug?: boolean } = {}): BoltLogger {
  let level = LogLevel.INFO;
  const join = (msgs: unknown[]) =>
    msgs
      .map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m)))
      .join(" ");
  return {
    debug: (...msgs) => {
      if (!options.withoutDebug) logger.debug(join(msgs));
    },
    info: (...msgs) => logger.info(join(msgs)),
    warn: (...msgs) => logger.warn(join(msgs)),
    error: (...msgs) => logger.error(join(msgs)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
