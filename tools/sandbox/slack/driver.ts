/**
 * Plays Slack's side of the conversation: sends slash commands, button clicks, modal submissions
 * and events to the bot's request URL, signed with the signing secret exactly as Slack signs them
 * (v0 HMAC-SHA256 over `v0:{timestamp}:{body}`). Given the stand-in, payloads carry the real
 * message or view the user clicked, response URLs lead back to the stand-in, and trigger ids are
 * tied to their user so the modals they open know who they belong to.
 */
import { createHmac, randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { request } from "undici";
import { type ActionSpec, buildAction } from "./actions.js";
import {
  type ElementState,
  type PayloadContext,
  type StateValues,
  blockActionsPayload,
  commandForm,
  eventEnvelope,
  normaliseStateValues,
  viewSubmissionPayload,
} from "./payloads.js";
import { type Json, messageObject } from "./shapes.js";
import type { SlackStandIn } from "./web-api.js";

export type { ElementState } from "./payloads.js";

export interface SlackDriverOptions {
  /** The bot's request URL, e.g. http://127.0.0.1:3000/slack/events. */
  eventsUrl: string;
  signingSecret: string;
  teamId?: string;
  appId?: string;
  now?: () => Date;
  standIn?: SlackStandIn;
}

interface DriverResponse {
  status: number;
  /** Parsed JSON when the bot answered JSON, otherwise the text ("" for an empty ack). */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  ms: number;
}

interface CommandInput {
  command: string;
  text?: string;
  userId: string;
  channelId?: string;
  triggerId?: string;
}

interface BlockActionInput extends ActionSpec {
  userId: string;
  message?: { ts: string; channel: string };
  view?: { id: string; callbackId?: string; privateMetadata?: string; state?: StateValues };
  state?: StateValues;
  triggerId?: string;
}

interface ViewSubmissionInput {
  userId: string;
  callbackId: string;
  privateMetadata?: string;
  values: Record<string, Record<string, ElementState>>;
  /** Defaults to the latest modal with this callback id that the stand-in opened for the user. */
  viewId?: string;
  triggerId?: string;
}

export interface SlackDriver {
  command(input: CommandInput): Promise<DriverResponse & { triggerId: string; responseUrl: string }>;
  blockAction(input: BlockActionInput): Promise<DriverResponse & { triggerId: string }>;
  viewSubmission(input: ViewSubmissionInput): Promise<DriverResponse & { view: Json }>;
  event(event: { type: string; [field: string]: unknown }): Promise<DriverResponse & { eventId: string }>;
  /** Posts `body` with exactly these headers: for forged, stale or unsigned requests. */
  raw(body: string, headers: Record<string, string>): Promise<DriverResponse>;
  /** The x-slack-* headers Slack would send for `body` at `timestampSec` (default: now). */
  signatureHeaders(body: string, timestampSec?: number): Record<string, string>;
  newTriggerId(userId?: string): string;
}

export function signSlackBody(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestampSec}:${body}`).digest("hex")}`;
}

export function createSlackDriver(options: SlackDriverOptions): SlackDriver {
  const standIn = options.standIn;
  const ws = standIn?.workspace;
  const now = options.now ?? (() => new Date());
  const teamId = options.teamId ?? standIn?.teamId ?? "T0GATEHSE1";
  let counter = 0;

  const context = (): PayloadContext => ({
    teamId,
    teamDomain: ws?.teamDomain ?? "gatehouse-sandbox",
    appId: options.appId ?? standIn?.appId ?? "A0GATEHSE1",
    botUserId: standIn?.botUserId ?? "U0GATEBOT1",
    verificationToken: "sandboxVerificationToken",
    now: now(),
  });
  const userName = (userId: string) => ws?.users.get(userId)?.name ?? userId.toLowerCase();
  const nextSerial = () => (counter += 1);

  const newTriggerId = (userId?: string) => {
    const id = `${Math.floor(now().getTime() / 1000)}${nextSerial()}.${teamId.replace(/\D/g, "") || "0"}.${randomBytes(16).toString("hex")}`;
    if (userId !== undefined) standIn?.registerTrigger(id, userId);
    return id;
  };

  const signatureHeaders = (body: string, timestampSec = Math.floor(now().getTime() / 1000)) => ({
    "x-slack-request-timestamp": String(timestampSec),
    "x-slack-signature": signSlackBody(options.signingSecret, timestampSec, body),
  });

  const post = async (body: string, headers: Record<string, string>): Promise<DriverResponse> => {
    const started = performance.now();
    const res = await request(options.eventsUrl, { method: "POST", headers, body });
    const text = await res.body.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    if (text.length > 0 && String(res.headers["content-type"] ?? "").includes("json")) {
      parsed = JSON.parse(text) as unknown;
    }
    return { status: res.statusCode, body: parsed, headers: res.headers, ms };
  };

  // Bolt's receiver compares the content type exactly: no "; charset=UTF-8".
  const postForm = (form: URLSearchParams) =>
    post(form.toString(), {
      "content-type": "application/x-www-form-urlencoded",
      ...signatureHeaders(form.toString()),
    });
  const postPayload = (payload: Json) => postForm(new URLSearchParams({ payload: JSON.stringify(payload) }));
  const dmWith = (userId: string) => ws?.openIm(userId).conversation.id ?? `D0SBDRV${userId.slice(-4)}`;

  return {
    newTriggerId,
    signatureHeaders,
    raw: (body, headers) => post(body, headers),

    async command(input) {
      const channelId = input.channelId ?? dmWith(input.userId);
      const conversation = ws?.conversations.get(channelId);
      const channelName =
        conversation === undefined || conversation.kind === "im" ? "directmessage" : conversation.name;
      const triggerId = input.triggerId ?? newTriggerId(input.userId);
      const responseUrl =
        standIn?.responseUrl({ channel: channelId, userId: input.userId }) ??
        `http://127.0.0.1:9/response/${teamId}${nextSerial()}`;
      const form = commandForm(context(), {
        command: input.command,
        text: input.text ?? "",
        userId: input.userId,
        userName: userName(input.userId),
        channelId,
        channelName,
        triggerId,
        responseUrl,
      });
      return { ...(await postForm(form)), triggerId, responseUrl };
    },

    async blockAction(input) {
      const ctx = context();
      const triggerId = input.triggerId ?? newTriggerId(input.userId);
      const stored = input.message && ws?.findMessage(input.message.channel, input.message.ts);
      const storedView = input.view && standIn?.views.get(input.view.id);
      const blocks = stored ? stored.blocks : storedView?.view.blocks;
      const action = buildAction(input, blocks, ctx.now, `blk${nextSerial()}`);
      const state = input.state ? normaliseStateValues(input.state) : undefined;
      let view: Json | undefined;
      if (input.view) {
        const base: Json = storedView?.view ?? { id: input.view.id, type: "modal", blocks: [], hash: "" };
        view = {
          ...base,
          ...(input.view.callbackId !== undefined ? { callback_id: input.view.callbackId } : {}),
          ...(input.view.privateMetadata !== undefined
            ? { private_metadata: input.view.privateMetadata }
            : {}),
          state: { values: input.view.state ? normaliseStateValues(input.view.state) : (state ?? {}) },
        };
      }
      let message: Parameters<typeof blockActionsPayload>[1]["message"];
      if (input.message && !view) {
        const conversation = ws?.conversations.get(input.message.channel);
        message = {
          channel: {
            id: input.message.channel,
            name:
              conversation === undefined || conversation.kind === "im" ? "directmessage" : conversation.name,
          },
          message:
            stored && ws
              ? messageObject(ws, stored)
              : { type: "message", ts: input.message.ts, text: "", user: ctx.botUserId },
          isEphemeral: stored?.ephemeralTo !== undefined,
          responseUrl:
            standIn?.responseUrl({
              channel: input.message.channel,
              userId: input.userId,
              messageTs: input.message.ts,
            }) ?? `http://127.0.0.1:9/response/${teamId}${nextSerial()}`,
        };
      }
      const payload = blockActionsPayload(ctx, {
        userId: input.userId,
        userName: userName(input.userId),
        action,
        triggerId,
        ...(message ? { message } : {}),
        ...(view ? { view } : {}),
        ...(state ? { state } : {}),
      });
      return { ...(await postPayload(payload)), triggerId };
    },

    async viewSubmission(input) {
      const storedView =
        input.viewId !== undefined
          ? standIn?.views.get(input.viewId)
          : [...(standIn?.views.values() ?? [])]
              .reverse()
              .find(
                (v) =>
                  v.view.callback_id === input.callbackId &&
                  (v.userId === undefined || v.userId === input.userId),
              );
      const base: Json = storedView?.view ?? {
        id: input.viewId ?? `V0SBDRV${nextSerial()}`,
        type: "modal",
        blocks: [],
        hash: "",
        private_metadata: "",
      };
      const view: Json = {
        ...base,
        callback_id: input.callbackId,
        ...(input.privateMetadata !== undefined ? { private_metadata: input.privateMetadata } : {}),
        state: { values: normaliseStateValues(input.values) },
      };
      const payload = viewSubmissionPayload(context(), {
        userId: input.userId,
        userName: userName(input.userId),
        view,
        triggerId: input.triggerId ?? newTriggerId(input.userId),
      });
      return { ...(await postPayload(payload)), view };
    },

    async event(event) {
      const eventId = `Ev0SB${String(nextSerial()).padStart(8, "0")}`;
      let full: Json = { ...event };
      if (event.type === "app_home_opened" && typeof event.user === "string") {
        const home = [...(standIn?.views.values() ?? [])].find(
          (v) => v.userId === event.user && v.view.type === "home",
        );
        full = { tab: "home", channel: dmWith(event.user), ...(home ? { view: home.view } : {}), ...event };
      }
      const body = JSON.stringify(eventEnvelope(context(), full, eventId));
      return {
        ...(await post(body, { "content-type": "application/json", ...signatureHeaders(body) })),
        eventId,
      };
    },
  };
}
