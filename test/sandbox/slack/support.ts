import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel, type Logger } from "@slack/bolt";

/** Bolt and WebClient log through this; tests assert on behaviour, not on log lines. */
export const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

/** A real Bolt app in HTTP mode on an ephemeral port, its WebClient pointed at the stand-in. */
export async function startBoltApp(slackApiUrl: string, configure: (app: App) => void) {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, logger: quietLogger });
  const app = new App({
    token: "xoxb-sandbox",
    receiver,
    logger: quietLogger,
    clientOptions: { slackApiUrl, retryConfig: { retries: 0 } },
  });
  configure(app);
  const server = await app.start(0);
  const { port } = server.address() as AddressInfo;
  return { app, eventsUrl: `http://127.0.0.1:${port}/slack/events`, stop: () => app.stop() };
}
