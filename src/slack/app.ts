/**
 * The Bolt app. In HTTP mode Bolt's HTTPReceiver does the Slack part (signature check, 3-second
 * acknowledgement) and its `requestListener` is mounted at POST /slack/events on our own server,
 * next to /healthz and the webhooks; Bolt's own server is never started. With SLACK_APP_TOKEN the
 * app runs in Socket Mode instead.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from "@slack/bolt";
import type { Config } from "../config.js";
import type { Logger as AppLogger } from "../lib/logger.js";
import { boltLogger } from "./bolt-logger.js";

/** The largest Slack request body read (HTTP mode); a larger one is answered 413 unread. */
export const SLACK_BODY_LIMIT_BYTES = 256 * 1024;

export interface SlackApp {
  app: App;
  /** HTTP mode: the handler for POST /slack/events. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackApp(config: Config["slack"], logger: AppLogger): SlackApp {
  // Bolt hands its logger to the Web API client, whose DEBUG lines print request bodies, and a
  // direct message's body holds a PIN: Bolt's debug output is dropped whatever LOG_LEVEL says.
  const log = boltLogger(logger.child({ component: "slack" }), { withoutDebug: true });
  const clientOptions = {
    slackApiUrl: config.apiUrl,
    logLevel: LogLevel.INFO,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 },
  };
  if (config.mode === "socket" && config.appToken) {
    const receiver = new SocketModeReceiver({ appToken: config.appToken, logger: log });
    const app = new App({ token: config.botToken, receiver, logger: log, clientOptions });
    return {
      app,
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
    };
  }
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret ?? "",
    endpoints: "/slack/events",
    logger: log,
    processBeforeResponse: false,
    // Slack retries after 3 s; a listener that forgot to ack must not hang the connection.
    unhandledRequestTimeoutMillis: 2_900,
    // Bolt reads the whole body before it checks the signature; its default (4 MB) let 100
    // unsigned requests hold 400 MB. Slack's largest payloads (a modal's state) are a few tens of
    // KB. Bolt 5.1's bodyLimit counts the bytes received and answers 413:
    // https://newreleases.io/project/github/slackapi/bolt-js/release/v5.1.0
    bodyLimit: SLACK_BODY_LIMIT_BYTES,
  });
  const app = new App({ token: config.botToken, receiver: receiver, logger: log, clientOptions });
  return {
    app,
    requestListener: receiver.requestListener,
    start: async () => undefined,
    stop: async () => undefined,
  };
}
