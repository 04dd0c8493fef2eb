/** One msw server for a test file, with every upstream's handlers; a test overrides with `server.use`. */
import { setupServer } from "msw/node";
import { slackHandlers } from "./slack.js";

export const server = setupServer(...slackHandlers);
