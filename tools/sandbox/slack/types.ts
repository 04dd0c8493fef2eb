/**
 * Shapes shared by the Slack stand-in (Web API server), its workspace model and the driver that
 * plays Slack's side of interactions. Field names follow Slack's where they reach the wire.
 */

export interface StandInUser {
  id: string;
  /** The handle (`name` in Slack's user object). */
  name: string;
  realName?: string;
  email?: string;
  isBot?: boolean;
  isAdmin?: boolean;
  /** A deactivated account: Slack still returns it from users.info, with `deleted: true`. */
  deleted?: boolean;
  /** IANA zone; Slack reports it as `tz` with an offset in seconds. */
  tz?: string;
}

export interface StandInChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Human members; the bot is added unless `botIsMember` is false. */
  members?: string[];
  /** When false, posting there answers `not_in_channel`, as Slack does for a bot that was not invited. */
  botIsMember?: boolean;
}

export interface SlackCall {
  /** Web API method name, or "response_url" for a POST to a response URL. */
  method: string;
  /** Parsed arguments: form fields or JSON, with JSON-encoded nested fields (blocks, view) decoded. */
  args: Record<string, unknown>;
  at: Date;
  token: string | undefined;
  path: string;
  status: number;
  response: unknown;
}

export interface FaultRule {
  /** A Web API method name, "response_url", or "*" for any call. */
  method: string;
  /** An HTTP status: 429 carries Retry-After; 5xx carries a plain body. */
  status?: number;
  /** Answer HTTP 200 with `{ok: false, error}`, Slack's way of reporting logical errors. */
  error?: string;
  retryAfterSeconds?: number;
  /** How many calls the rule affects before it lapses; unlimited when absent. */
  times?: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** The author: the bot for API posts. */
  user: string;
  threadTs?: string;
  /** Set for chat.postEphemeral and ephemeral response_url replies: only this user sees it. */
  ephemeralTo?: string;
  editedTs?: string;
  deleted: boolean;
  via: "api" | "response_url";
}

export interface StandInView {
  id: string;
  /** The user the view was opened for, when known (home tabs, or a trigger issued by the driver). */
  userId?: string;
  externalId?: string;
  hash: string;
  /** The view as Slack returns it (type, callback_id, blocks, private_metadata, state, hash…). */
  view: Record<string, unknown>;
}

/** Where a response URL leads: the message or conversation a command or action came from. */
export interface ResponseTarget {
  channel: string;
  userId: string;
  messageTs?: string;
}
