/**
 * The Bolt app. In HTTP mode Bolt's HTTPReceiver does the Slack part (signature check, 3-second
 * acknowledgement) and its `requestListener` is mounted at POST /slack/events on our own server,
 * next to /healthz and the webhooks; Bolt's own server is never started. With SLACK_APP_TOKEN the
 * app runs in Socket Mode instead.
 *
 * Bolt is given the bot token through our own `authorize`, not its `token` option: with `token` it
 * calls auth.test once at construction and keeps the answer, so a Slack outage at start-up left
 * every later request unauthorised until a restart. Our `authorize` names the bot from the ids the
 * identity learner got from Slack (retried until Slack answers) and never calls Slack itself.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Config } from "../config.js";
import { errorMessage } from "../lib/errors.js";
import type { Logger as AppLogger } from "../lib/logger.js";
import { type RetryLoop, retryUntilDone } from "../lib/retry-loop.js";
import { boltLogger } from "./bolt-logger.js";
import { createSlackIdentityLearner, learnSlackIdentity, type SlackIdentityLearner } from "./identity.js";

/** The largest Slack request body read (HTTP mode); a larger one is answered 413 unread. */
export const SLACK_BODY_LIMIT_BYTES = 256 * 1024;

export interface SlackApp {
  app: App;
  /** HTTP mode: the handler for POST /slack/events. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => void;
  /** The bot's own workspace, app and bot, learned from Slack. */
  identity: SlackIdentityLearner;
  /** Starts learning the bot's ids (and, in Socket Mode, connecting); both retry until Slack answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The Web API client's retries (Bolt's client: listeners' replies, the two secret-carrying DMs). */
export interface SlackRetry {
  retries: number;
  factor: number;
  minTimeout: number;
  maxTimeout: number;
}

const DEFAULT_RETRY: SlackRetry = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5_000 };

export function createSlackApp(
  config: Config["slack"],
  logger: AppLogger,
  options: { retryDelaysMs?: number[]; retry?: SlackRetry } = {},
): SlackApp {
  // Bolt hands its logger to the Web API client, whose DEBUG lines print request bodies, and a
  // direct message's body holds a PIN: Bolt's debug output is dropped whatever LOG_LEVEL says.
  const log = boltLogger(logger.child({ component: "slack" }), { withoutDebug: true });
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: config.apiUrl,
    logLevel: LogLevel.INFO,
    retryConfig: options.retry ?? DEFAULT_RETRY,
  };
  const client = new webApi.WebClient(config.botToken, { ...clientOptions, logger: log });
  const identity = createSlackIdentityLearner({
    identify: () => learnSlackIdentity(client),
    logger: logger.child({ component: "slack-identity" }),
    delaysMs: options.retryDelaysMs,
  });
  const authorize = async () => {
    const own = identity.known();
    return {
      botToken: config.botToken,
      ...(own ? { botId: own.botId, botUserId: own.botUserId, teamId: own.teamId } : {}),
    };
  };
  const withClient = (app: App): App => {
    // Bolt leaves app.client without a token when `authorize` is given; the rest of Gatehouse
    // posts through it as the bot, so it gets the same client Bolt would have made from `token`.
    app.client = client;
    return app;
  };

  if (config.mode === "socket" && config.appToken) {
    const receiver = new SocketModeReceiver({ appToken: config.appToken, logger: log });
    const app = withClient(new App({ authorize, receiver, logger: log, clientOptions }));
    let connecting: RetryLoop | undefined;
    return {
      app,
      identity,
      start: async () => {
        identity.start();
        connecting = retryUntilDone(
          () =>
            app.start().then(
              () => true,
              (error: unknown) => {
                logger.warn("could not open Socket Mode yet; trying again", { error: errorMessage(error) });
                return false;
              },
            ),
          { delaysMs: options.retryDelaysMs },
        );
      },
      stop: async () => {
        identity.stop();
        connecting?.stop();
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
  const app = withClient(new App({ authorize, receiver, logger: log, clientOptions }));
  return {
    app,
    identity,
    requestListener: receiver.requestListener,
    start: async () => identity.start(),
    stop: async () => identity.stop(),
  };
}
