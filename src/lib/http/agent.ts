/** The keep-alive undici Agent each upstream client owns, and the timeouts it enforces. */
import { Agent } from "undici";

export interface Timeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, headersMs: 15_000, bodyMs: 15_000 };

/** DEFAULT_TIMEOUTS with what the caller set (an `undefined` field keeps the default). */
export function resolveTimeouts(overrides: Partial<Timeouts> | undefined): Timeouts {
  const set = Object.entries(overrides ?? {}).filter(([, v]) => v !== undefined);
  return { ...DEFAULT_TIMEOUTS, ...(Object.fromEntries(set) as Partial<Timeouts>) };
}

export function createKeepAliveAgent(timeouts: Partial<Timeouts> = {}): Agent {
  const t = resolveTimeouts(timeouts);
  return new Agent({
    connect: { timeout: t.connectMs },
    headersTimeout: t.headersMs,
    bodyTimeout: t.bodyMs,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
}
