/**
 * `POST /webhooks/buzzin`: Buzz-in's events in. The token is checked before the body is read, so a
 * forged request costs nothing and changes nothing. Each delivery is claimed once by its
 * `X-Buzzin-Delivery` id, answered at once, and only then handed to `onEvent`: a sender that waits
 * for slow work times out and re-sends, which is how duplicates are born.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DeliveryStore } from "../buzzin/deliveries.js";
import {
  BUZZIN_DELIVERY_HEADER,
  BUZZIN_TOKEN_HEADER,
  type BuzzinEvent,
  parseBuzzinEvent,
} from "../buzzin/events.js";
import type { Logger } from "../lib/logger.js";
import type { WorkTracker } from "../lib/work.js";
import { type Route, sendJson } from "./server.js";

export const BUZZIN_WEBHOOK_PATH = "/webhooks/buzzin";
/** Buzz-in's events are a few hundred bytes; anything near this is not one of them. */
export const DEFAULT_MAX_WEBHOOK_BYTES = 64 * 1024;

export interface BuzzinEventContext {
  deliveryId: string;
}

export interface BuzzinWebhookOptions {
  /** BUZZIN_WEBHOOK_TOKEN. */
  token: string;
  deliveries: DeliveryStore;
  /** Called after the answer has been sent; a throw marks the delivery failed (a re-send may retry it). */
  onEvent: (event: BuzzinEvent, context: BuzzinEventContext) => void | Promise<void>;
  logger: Logger;
  now?: () => Date;
  maxBodyBytes?: number;
  /** Tracks the work done after answering, so shutdown can drain it. */
  work?: WorkTracker;
}

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Hashing first gives equal-length inputs, so neither content nor length leaks through timing. */
function tokenMatches(given: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof given !== "string" || given === "") return false;
  return timingSafeEqual(digest(given), expected);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Body = { ok: true; text: string } | { ok: false };

function readBody(req: IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        resolve({ ok: false });
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") });
    });
    req.on("error", reject);
  });
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  // The rest of the body is not worth reading: close the connection instead of draining it.
  res.setHeader("connection", "close");
  sendJson(res, status, { error });
  req.resume();
}

export function buzzinWebhookRoute(options: BuzzinWebhookOptions): Route {
  const expected = digest(options.token);
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  const now = options.now ?? (() => new Date());
  const { logger, deliveries } = options;

  const handle = async (event: BuzzinEvent, deliveryId: string): Promise<void> => {
    let status: "processed" | "failed" = "processed";
    try {
      await options.onEvent(event, { deliveryId });
    } catch (error) {
      status = "failed";
      logger.error("buzzin webhook handling failed", {
        deliveryId,
        event: event.event,
        error: message(error),
      });
    }
    try {
      deliveries.finish(deliveryId, status, now());
    } catch (error) {
      // Nobody awaits this work: a database failure here must end in the log, not as an unhandled rejection.
      logger.error("buzzin webhook outcome not recorded", { deliveryId, status, error: message(error) });
    }
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!tokenMatches(req.headers[BUZZIN_TOKEN_HEADER], expected)) {
      logger.warn("buzzin webhook refused: missing or wrong token", { remote: req.socket.remoteAddress });
      refuse(req, res, 401, "unauthorized");
      return;
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) return refuse(req, res, 413, "payload_too_large");
    const body = await readBody(req, maxBytes);
    if (!body.ok) return refuse(req, res, 413, "payload_too_large");

    const deliveryId = req.headers[BUZZIN_DELIVERY_HEADER];
    if (typeof deliveryId !== "string" || deliveryId.trim() === "") {
      return sendJson(res, 400, { error: "missing_delivery_id" });
    }
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch {
      return sendJson(res, 400, { error: "invalid_json" });
    }
    const parsed = parseBuzzinEvent(json);
    if (parsed.kind === "invalid") {
      logger.warn("buzzin webhook refused: unexpected body", { deliveryId, problem: parsed.problem });
      return sendJson(res, 400, { error: "invalid_event", problem: parsed.problem });
    }
    const name = parsed.kind === "event" ? parsed.event.event : parsed.name;
    const claim = deliveries.claim(deliveryId, name, now());
    if (claim === "duplicate") {
      logger.info("buzzin webhook repeated, ignored", { deliveryId, event: name });
      return sendJson(res, 200, { ok: true, duplicate: true });
    }
    if (parsed.kind === "unknown") {
      deliveries.finish(deliveryId, "ignored", now());
      logger.info("buzzin webhook of an unknown event, ignored", { deliveryId, event: name });
      return sendJson(res, 200, { ok: true, ignored: true });
    }
    sendJson(res, 200, { ok: true });
    const { event } = parsed;
    setImmediate(() => {
      const work = () => handle(event, deliveryId);
      void (options.work ? options.work.run(work) : work());
    });
  };

  return { method: "POST", path: BUZZIN_WEBHOOK_PATH, handler };
}
