/** The Slack outbox over its table: src/slack/outbox.ts delivers, src/db/repositories/slack-outbox.ts stores. */
import type { webApi } from "@slack/bolt";
import type { Database } from "../db/database.js";
import { createOutboxStore } from "../db/repositories/slack-outbox.js";
import type { Logger } from "../lib/logger.js";
import { createSlackOutboxOn, type SlackOutbox } from "../slack/outbox.js";

export type { SlackOutbox };

export function createSlackOutbox(options: {
  db: Database;
  client: webApi.WebClient;
  logger: Logger;
  now: () => Date;
  owner: string;
}): SlackOutbox {
  const { db, ...rest } = options;
  return createSlackOutboxOn({ ...rest, store: createOutboxStore(db) });
}
