/**
 * `POST /webhooks/buzzin`: Buzz-in's work-permit events in (passes-permits-issued page: headers
 * `X-Buzzin-Event`, `X-Buzzin-Delivery`, and `X-Buzzin-Token` when the endpoint has a secret;
 * "Respond 2xx to acknowledge"). The token is a shared secret, checked in constant time before the
 * body is read, so a forged request costs nothing and changes nothing. With the right token every
 * delivery is recorded and answered 2xx, whatever its payload: one Gatehouse cannot use is marked
 * `unusable` with what was wrong and reported once (`onUnusable`), never refused with a 400 that
 * would only make Buzz-in send it again. Each delivery is claimed once by its key, answered at
 * once, and only then handed on: a sender that waits for slow work times out and re-sends, which
 * is how duplicates are born.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DeliveryStore } from "../domain/ports.js";
import {
  BUZZIN_DELIVERY_HEADER,
  BUZZIN_EVENT_HEADER,
  BUZZIN_TOKEN_HEADER,
  type BuzzinEvent,
  parseBuzzinEvent,
} from "../buzzin/events.js";
import type { Logger } from "../lib/logger.js";
import type { WorkTracker } from "../lib/work.js";
import { type Route, sendJson } from "./server.js";

export const BUZZIN_WEBHOOK_PATH = "/webhooks/buzzin";
/** An issued pass carries its QR as a base64 PNG (`qrImageBase64`): room for that, and no more. */
const DEFAULT_MAX_WEBHOOK_BYTES = 256 * 1024;
const DELIVERY_ID_MAX = 200;

interface BuzzinEventContext {
  /** The delivery's key: `X-Buzzin-Delivery`, else the envelope `id`, else `sha256:<body hash>`. */
  deliveryId: string;
}

export interface UnusableDelivery {
  deliveryId: string;
  event: string;
  problem: string;
}

export interface BuzzinWebhookOptions {
  /** BUZZIN_WEBHOOK_TOKEN. */
  token: string;
  deliveries: DeliveryStore;
  /** Called after the answer has been sent; a throw marks the delivery failed (a re-send may retry it). */
  onEvent: (event: BuzzinEvent, context: BuzzinEventContext) => void | Promise<void>;
  /** A delivery with the right token that could not be used; called once per delivery, after the answer. */
  onUnusable?: (delivery: UnusableDelivery) => void | Promise<void>;
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Deduplicate on X-Buzzin-Delivery, else on the envelope `id`, else on the exact bytes. */
function deliveryKey(headerId: string | undefined, envelopeId: string | undefined, body: string): string {
  if (headerId) return headerId.slice(0, DELIVERY_ID_MAX);
  if (envelopeId) return `envelope:${envelopeId.slice(0, DELIVERY_ID_MAX)}`;
  return `sha256:${digest(body).toString("hex")}`;
}

export function buzzinWebhookRoute(options: BuzzinWebhookOptions): Route {
  const expected = digest(options.token);
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  const now = options.now ?? (() => new Date());
  const { logger, deliveries } = options;

  const later = (work: () => Promise<void>) =>
    setImmediate(() => void (options.work ? options.work.run(work) : work()));

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

    const receivedAt = now();
    const parsed = parseBuzzinEvent(parseJson(body.text), header(req, BUZZIN_EVENT_HEADER), receivedAt);
    const envelopeId = parsed.kind === "event" ? parsed.event.envelopeId : parsed.envelopeId;
    const deliveryId = deliveryKey(header(req, BUZZIN_DELIVERY_HEADER), envelopeId, body.text);
    const name = parsed.kind === "event" ? parsed.event.event : parsed.name.slice(0, 100);
    const claim = deliveries.claim(deliveryId, name, receivedAt);
    if (claim === "duplicate") {
      logger.info("buzzin webhook repeated, ignored", { deliveryId, event: name });
      return sendJson(res, 200, { ok: true, duplicate: true });
    }
    if (parsed.kind === "unusable") {
      deliveries.finish(deliveryId, "unusable", receivedAt, parsed.problem);
      logger.warn("buzzin webhook recorded but not usable", {
        deliveryId,
        event: name,
        problem: parsed.problem,
      });
      sendJson(res, 200, { ok: true, unusable: true });
      const notify = options.onUnusable;
      if (notify)
        later(async () => {
          try {
            await notify({ deliveryId, event: name, problem: parsed.problem });
          } catch (error) {
            logger.error("could not report an unusable buzzin webhook", {
              deliveryId,
              error: message(error),
            });
          }
        });
      return;
    }
    sendJson(res, 200, { ok: true });
    const { event } = parsed;
    later(() => handle(event, deliveryId));
  };

  return { method: "POST", path: BUZZIN_WEBHOOK_PATH, handler };
}
