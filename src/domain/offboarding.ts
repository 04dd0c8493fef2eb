/** Moved to providers/doorflow/offboard.ts and ports.ts; kept only for src/slack/listeners (stream C removes it). */
export type { OffboardOutcome } from "./ports.js";
