/** Moved to providers/buzzin/pass.ts; kept only for src/slack/listeners (stream C removes it). */
export { reissueBuzzinPass } from "./providers/buzzin/pass.js";
