/**
 * The bodies Slack sends to an app's request URL: slash-command forms, block_actions and
 * view_submission interaction payloads, and Events API envelopes. Field sets follow Slack's
 * payload references and Bolt's types (SlashCommand, BlockAction, ViewSubmitAction, EnvelopedEvent).
 */
import type { Json } from "./shapes.js";

export interface PayloadContext {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  /** Slack's deprecated verification token; still present in every payload. */
  verificationToken: string;
  now: Date;
}

/** Slack's element state inside `view.state.values[blockId][actionId]`. */
export type ElementState =
  | { type: "plain_text_input"; value: string | null }
  | { type: "email_text_input"; value: string | null }
  | { type: "number_input"; value: string | null }
  | { type: "datepicker"; selected_date: string | null }
  | { type: "timepicker"; selected_time: string | null }
  | { type: "static_select"; selected_option: SelectedOption | null }
  | { type: "multi_static_select"; selected_options: SelectedOption[] }
  | { type: "radio_buttons"; selected_option: SelectedOption | null }
  | { type: "checkboxes"; selected_options: SelectedOption[] }
  | { type: "users_select"; selected_user: string | null }
  | { type: "multi_users_select"; selected_users: string[] }
  | { type: string; [field: string]: unknown };

export interface SelectedOption {
  value: string;
  text: { type: "plain_text"; text: string; emoji?: boolean } | string;
}

export type StateValues = Record<string, Record<string, ElementState>>;

/** "1712345678.123456": the fractional-seconds form Slack uses for action_ts and event_ts. */
export function slackTs(at: Date): string {
  const ms = at.getTime();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, "0")}`;
}

/** Slack sends option text as a plain_text object; a bare string is accepted for convenience. */
export function normaliseOption(o: SelectedOption): SelectedOption {
  return typeof o.text === "string"
    ? { value: o.value, text: { type: "plain_text", text: o.text, emoji: true } }
    : o;
}

export function normaliseStateValues(values: StateValues): StateValues {
  const fix = normaliseOption;
  const out: StateValues = {};
  for (const [blockId, actions] of Object.entries(values)) {
    out[blockId] = {};
    for (const [actionId, state] of Object.entries(actions)) {
      const s: Json = { ...state };
      if (s.selected_option && typeof s.selected_option === "object") {
        s.selected_option = fix(s.selected_option as SelectedOption);
      }
      if (Array.isArray(s.selected_options))
        s.selected_options = (s.selected_options as SelectedOption[]).map(fix);
      (out[blockId] as Json)[actionId] = s;
    }
  }
  return out;
}

export function commandForm(
  ctx: PayloadContext,
  input: {
    command: string;
    text: string;
    userId: string;
    userName: string;
    channelId: string;
    channelName: string;
    triggerId: string;
    responseUrl: string;
  },
): URLSearchParams {
  return new URLSearchParams({
    token: ctx.verificationToken,
    team_id: ctx.teamId,
    team_domain: ctx.teamDomain,
    channel_id: input.channelId,
    channel_name: input.channelName,
    user_id: input.userId,
    user_name: input.userName,
    command: input.command,
    text: input.text,
    api_app_id: ctx.appId,
    is_enterprise_install: "false",
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  });
}

export function blockActionsPayload(
  ctx: PayloadContext,
  input: {
    userId: string;
    userName: string;
    action: Json;
    triggerId: string;
    message?: {
      channel: { id: string; name: string };
      message: Json;
      isEphemeral: boolean;
      responseUrl: string;
    };
    view?: Json;
    state?: StateValues;
  },
): Json {
  const base = {
    type: "block_actions",
    user: { id: input.userId, username: input.userName, name: input.userName, team_id: ctx.teamId },
    api_app_id: ctx.appId,
    token: ctx.verificationToken,
    trigger_id: input.triggerId,
    team: { id: ctx.teamId, domain: ctx.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    actions: [input.action],
  };
  if (input.view) {
    return { ...base, container: { type: "view", view_id: input.view.id }, view: input.view };
  }
  const m = input.message;
  if (!m) return { ...base, container: { type: "message" }, state: { values: input.state ?? {} } };
  return {
    ...base,
    container: {
      type: "message",
      message_ts: m.message.ts,
      channel_id: m.channel.id,
      is_ephemeral: m.isEphemeral,
    },
    channel: m.channel,
    message: m.message,
    state: { values: input.state ?? {} },
    response_url: m.responseUrl,
  };
}

export function viewSubmissionPayload(
  ctx: PayloadContext,
  input: { userId: string; userName: string; view: Json; triggerId: string },
): Json {
  return {
    type: "view_submission",
    team: { id: ctx.teamId, domain: ctx.teamDomain },
    user: { id: input.userId, username: input.userName, name: input.userName, team_id: ctx.teamId },
    api_app_id: ctx.appId,
    token: ctx.verificationToken,
    trigger_id: input.triggerId,
    view: input.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function eventEnvelope(ctx: PayloadContext, event: Json, eventId: string): Json {
  return {
    token: ctx.verificationToken,
    team_id: ctx.teamId,
    context_team_id: ctx.teamId,
    context_enterprise_id: null,
    api_app_id: ctx.appId,
    event: { event_ts: slackTs(ctx.now), ...event },
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(ctx.now.getTime() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ctx.teamId,
        user_id: ctx.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${ctx.teamId}:${eventId}`).toString("base64url")}`,
  };
}
