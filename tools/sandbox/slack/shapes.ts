/**
 * Slack's wire shapes for the objects the stand-in returns: users, conversations, messages and
 * views, with the fields real responses carry so that code reading them meets no surprises.
 */
import { getTimezoneOffset } from "date-fns-tz";
import type { Conversation, Workspace } from "./workspace.js";
import type { StandInUser, StoredMessage } from "./types.js";

export type Json = Record<string, unknown>;

export function userObject(ws: Workspace, user: StandInUser): Json {
  const tz = user.tz ?? "Europe/London";
  const realName = user.realName ?? user.name;
  const [firstName, ...rest] = realName.split(" ");
  return {
    id: user.id,
    team_id: ws.teamId,
    name: user.name,
    deleted: user.deleted ?? false,
    real_name: realName,
    tz,
    tz_label: tz,
    // Slack reports the offset in seconds; it is informational only (profiles, not day boundaries).
    tz_offset: Math.round(getTimezoneOffset(tz, ws.currentTime()) / 1000),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: user.name,
      display_name_normalized: user.name,
      first_name: firstName ?? "",
      last_name: rest.join(" "),
      team: ws.teamId,
      ...(user.email !== undefined && !user.isBot ? { email: user.email } : {}),
      ...(user.isBot ? { bot_id: ws.botId, api_app_id: ws.appId, always_active: true } : {}),
    },
    is_admin: user.isAdmin ?? false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    updated: ws.epochSeconds(),
  };
}

export function conversationObject(ws: Workspace, c: Conversation): Json {
  if (c.kind === "im") {
    return {
      id: c.id,
      created: c.created,
      is_im: true,
      is_org_shared: false,
      context_team_id: ws.teamId,
      user: c.user,
      is_user_deleted: ws.users.get(c.user ?? "")?.deleted ?? false,
      priority: 0,
      is_open: true,
      last_read: "0000000000.000000",
    };
  }
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    created: c.created,
    creator: ws.botUserId,
    is_channel: c.kind === "channel" && !c.isPrivate,
    is_group: c.kind === "channel" && c.isPrivate,
    is_im: false,
    is_mpim: c.kind === "mpim",
    is_private: c.isPrivate,
    is_archived: false,
    is_general: false,
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    is_member: c.botIsMember,
    context_team_id: ws.teamId,
    topic: { value: "", creator: "", last_set: 0 },
    purpose: { value: "", creator: "", last_set: 0 },
  };
}

export function messageObject(ws: Workspace, m: StoredMessage): Json {
  return {
    type: "message",
    text: m.text,
    user: m.user,
    ts: m.ts,
    team: ws.teamId,
    ...(m.user === ws.botUserId
      ? {
          bot_id: ws.botId,
          app_id: ws.appId,
          bot_profile: {
            id: ws.botId,
            app_id: ws.appId,
            name: "Gatehouse",
            team_id: ws.teamId,
            deleted: false,
          },
        }
      : {}),
    ...(m.blocks.length > 0 ? { blocks: m.blocks } : {}),
    ...(m.threadTs !== undefined ? { thread_ts: m.threadTs } : {}),
    ...(m.editedTs !== undefined ? { edited: { user: m.user, ts: m.editedTs } } : {}),
  };
}

/** The view object Slack answers views.open/update/push/publish with. */
export function viewObject(
  ws: Workspace,
  input: Json,
  ids: { id: string; hash: string; rootViewId: string; previousViewId: string | null; state?: unknown },
): Json {
  return {
    id: ids.id,
    team_id: ws.teamId,
    type: input.type,
    blocks: Array.isArray(input.blocks) ? input.blocks : [],
    private_metadata: typeof input.private_metadata === "string" ? input.private_metadata : "",
    callback_id: typeof input.callback_id === "string" ? input.callback_id : "",
    state: ids.state ?? { values: {} },
    hash: ids.hash,
    title: input.title ?? null,
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
    close: input.close ?? null,
    submit: input.submit ?? null,
    previous_view_id: ids.previousViewId,
    root_view_id: ids.rootViewId,
    app_id: ws.appId,
    external_id: typeof input.external_id === "string" ? input.external_id : "",
    app_installed_team_id: ws.teamId,
    bot_id: ws.botId,
  };
}
