/**
 * chat.* and conversations.* as Slack answers them, including the logical errors it reports with
 * HTTP 200 (`channel_not_found`, `not_in_channel`, `message_not_found`…), and POSTs to response URLs.
 */
import { type Args, type MethodHandler, bool, fail, int, str } from "./args.js";
import { conversationObject, messageObject, type Json } from "./shapes.js";
import type { Conversation, Workspace } from "./workspace.js";

const MAX_BLOCKS = 50;
const MAX_TEXT = 40_000;
const MAX_MPIM_USERS = 8;

type Content = { text: string | undefined; blocks: unknown[] | undefined } | { error: string };

function readContent(args: Args, required: boolean): Content {
  const text = str(args.text);
  const rawBlocks = args.blocks;
  let blocks: unknown[] | undefined;
  if (rawBlocks !== undefined) {
    const valid =
      Array.isArray(rawBlocks) &&
      rawBlocks.length <= MAX_BLOCKS &&
      rawBlocks.every((b) => b !== null && typeof b === "object" && typeof (b as Json).type === "string");
    if (!valid) return { error: "invalid_blocks" };
    blocks = rawBlocks;
  }
  if (text !== undefined && text.length > MAX_TEXT) return { error: "msg_too_long" };
  if (required && text === undefined && (blocks === undefined || blocks.length === 0) && !args.attachments) {
    return { error: "no_text" };
  }
  return { text, blocks };
}

/**
 * The bot can only see private conversations it belongs to; to it, the others do not exist.
 * Posting methods also accept `#name` or a user id (their DM); the conversations.* methods take ids only.
 */
function visible(ws: Workspace, ref: string | undefined, idOnly = false): Conversation | undefined {
  if (ref === undefined) return undefined;
  const c = idOnly ? ws.conversations.get(ref) : ws.resolveConversation(ref);
  if (!c || (c.isPrivate && !c.botIsMember)) return undefined;
  return c;
}

export function messageMethods(ws: Workspace): Record<string, MethodHandler> {
  return {
    "chat.postMessage": (args) => {
      const c = visible(ws, str(args.channel));
      if (!c) return fail("channel_not_found");
      if (!c.botIsMember) return fail("not_in_channel");
      const content = readContent(args, true);
      if ("error" in content) return fail(content.error);
      const threadTs = str(args.thread_ts);
      const m = ws.addMessage({
        channel: c.id,
        text: content.text ?? "",
        blocks: content.blocks ?? [],
        user: ws.botUserId,
        via: "api",
        ...(threadTs !== undefined ? { threadTs } : {}),
      });
      return { ok: true, channel: c.id, ts: m.ts, message: messageObject(ws, m) };
    },

    "chat.postEphemeral": (args) => {
      const userId = str(args.user);
      const user = userId === undefined ? undefined : ws.users.get(userId);
      if (!user || user.deleted) return fail("user_not_found");
      const c = visible(ws, str(args.channel));
      if (!c) return fail("channel_not_found");
      if (!c.botIsMember) return fail("not_in_channel");
      if (!c.members.includes(user.id)) return fail("user_not_in_channel");
      const content = readContent(args, true);
      if ("error" in content) return fail(content.error);
      const m = ws.addMessage({
        channel: c.id,
        text: content.text ?? "",
        blocks: content.blocks ?? [],
        user: ws.botUserId,
        ephemeralTo: user.id,
        via: "api",
      });
      return { ok: true, message_ts: m.ts };
    },

    "chat.update": (args) => {
      const c = visible(ws, str(args.channel));
      if (!c) return fail("channel_not_found");
      const m = ws.findMessage(c.id, str(args.ts) ?? "");
      // Ephemeral messages live only in the viewer's client; chat.update cannot reach them.
      if (!m || m.ephemeralTo !== undefined) return fail("message_not_found");
      if (m.user !== ws.botUserId) return fail("cant_update_message");
      const content = readContent(args, true);
      if ("error" in content) return fail(content.error);
      if (content.text !== undefined) m.text = content.text;
      // Slack keeps the previous blocks when the update carries none.
      if (content.blocks !== undefined) m.blocks = content.blocks;
      m.editedTs = ws.nextTs();
      return { ok: true, channel: c.id, ts: m.ts, text: m.text, message: messageObject(ws, m) };
    },

    "chat.delete": (args) => {
      const c = visible(ws, str(args.channel));
      if (!c) return fail("channel_not_found");
      const m = ws.findMessage(c.id, str(args.ts) ?? "");
      if (!m || m.ephemeralTo !== undefined) return fail("message_not_found");
      if (m.user !== ws.botUserId) return fail("cant_delete_message");
      m.deleted = true;
      return { ok: true, channel: c.id, ts: m.ts };
    },

    "chat.getPermalink": (args) => {
      const c = visible(ws, str(args.channel));
      if (!c) return fail("channel_not_found");
      const m = ws.findMessage(c.id, str(args.message_ts) ?? "");
      if (!m) return fail("message_not_found");
      const permalink = `https://${ws.teamDomain}.slack.com/archives/${c.id}/p${m.ts.replace(".", "")}`;
      return { ok: true, channel: c.id, permalink };
    },

    "conversations.open": (args) => {
      const channelRef = str(args.channel);
      const usersArg = str(args.users);
      let opened: { conversation: Conversation; alreadyOpen: boolean };
      if (usersArg === undefined && channelRef !== undefined) {
        const c = ws.conversations.get(channelRef);
        if (!c) return fail("channel_not_found");
        if (c.kind === "channel") return fail("method_not_supported_for_channel_type");
        opened = { conversation: c, alreadyOpen: true };
      } else {
        const ids = (usersArg ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s.length > 0);
        if (ids.length === 0) return fail("users_list_not_supplied");
        if (ids.length > MAX_MPIM_USERS) return fail("too_many_users");
        for (const id of ids) {
          const user = ws.users.get(id);
          if (!user) return fail("user_not_found");
          if (user.deleted) return fail("user_disabled");
        }
        if (ids.length === 1 && ids[0] === ws.botUserId) return fail("cannot_dm_bot");
        opened = ids.length === 1 ? ws.openIm(ids[0] ?? "") : ws.openMpim(ids);
      }
      const channel = bool(args.return_im)
        ? conversationObject(ws, opened.conversation)
        : { id: opened.conversation.id };
      return { ok: true, ...(opened.alreadyOpen ? { no_op: true, already_open: true } : {}), channel };
    },

    "conversations.info": (args) => {
      const c = visible(ws, str(args.channel), true);
      if (!c) return fail("channel_not_found");
      return { ok: true, channel: conversationObject(ws, c) };
    },

    "conversations.members": (args) => {
      const c = visible(ws, str(args.channel), true);
      if (!c) return fail("channel_not_found");
      const limit = Math.max(1, Math.min(int(args.limit, 100), 1000));
      const cursor = str(args.cursor);
      let start = 0;
      if (cursor !== undefined) {
        const after = Buffer.from(cursor, "base64")
          .toString("utf8")
          .replace(/^user:/, "");
        start = c.members.indexOf(after);
        if (start < 0) return fail("invalid_cursor");
      }
      const page = c.members.slice(start, start + limit);
      const next = c.members[start + limit];
      const nextCursor = next === undefined ? "" : Buffer.from(`user:${next}`).toString("base64");
      return { ok: true, members: page, response_metadata: { next_cursor: nextCursor } };
    },

    "conversations.join": (args) => {
      const c = visible(ws, str(args.channel), true);
      if (!c) return fail("channel_not_found");
      if (c.kind !== "channel" || c.isPrivate) return fail("method_not_supported_for_channel_type");
      const already = c.botIsMember;
      c.botIsMember = true;
      if (!c.members.includes(ws.botUserId)) c.members.push(ws.botUserId);
      return {
        ok: true,
        channel: conversationObject(ws, c),
        ...(already
          ? { warning: "already_in_channel", response_metadata: { warnings: ["already_in_channel"] } }
          : {}),
      };
    },
  };
}

/**
 * A POST to a response URL: replace or delete the message the interaction came from, or add a
 * reply (ephemeral unless `response_type: "in_channel"`) to the conversation.
 */
export function handleResponseUrl(ws: Workspace, id: string, body: Args): { status: number; body: Json } {
  const target = ws.responseTargets.get(id);
  if (!target) return { status: 404, body: fail("expired_url") };
  const original =
    target.messageTs === undefined ? undefined : ws.findMessage(target.channel, target.messageTs);
  if (original && bool(body.delete_original)) {
    original.deleted = true;
    return { status: 200, body: { ok: true } };
  }
  const content = readContent(body, true);
  if ("error" in content) return { status: 200, body: fail(content.error) };
  if (original && bool(body.replace_original)) {
    original.text = content.text ?? "";
    original.blocks = content.blocks ?? [];
    original.editedTs = ws.nextTs();
    return { status: 200, body: { ok: true } };
  }
  const inChannel = body.response_type === "in_channel";
  const threadTs = str(body.thread_ts);
  ws.addMessage({
    channel: target.channel,
    text: content.text ?? "",
    blocks: content.blocks ?? [],
    user: ws.botUserId,
    via: "response_url",
    ...(inChannel ? {} : { ephemeralTo: target.userId }),
    ...(threadTs !== undefined ? { threadTs } : {}),
  });
  return { status: 200, body: { ok: true } };
}
