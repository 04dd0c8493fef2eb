/**
 * `POST /webhooks/hr`: an HR system's leaver events (mounted when HR_WEBHOOK_SECRET is set). The
 * timestamp is checked before the body is read and the signature before it is parsed, so a forged,
 * stale or unsigned request costs a hash at most and records nothing. A good event is recorded (202),
 * a repeated id recognised (200), and only then acted on: the sender never waits for DoorFlow, and
 * what was answered 202 survives a crash because the processor picks recorded events up at start.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Database } from "../db/database.js";
import { HR_EVENT_TYPES, recordHrEvent } from "../domain/leaver-intake.js";
import type { Logger } from "../lib/logger.js";
import { isLocalDate } from "../lib/time.js";
import {
  checkHrTimestamp,
  HR_SIGNATURE_HEADER,
  HR_TIMESTAMP_HEADER,
  hrSignatureMatches,
} from "./hr-signature.js";
import { closeAfter, readBody } from "./read-body.js";
import { type Route, sendJson } from "./server.js";

const HR_WEBHOOK_PATH = "/webhooks/hr";
/** A leaver event is a few hundred bytes. */
const HR_MAX_BODY_BYTES = 64 * 1024;

const hrEventSchema = z.strictObject({
  id: z
    .string("id: a unique event id (text)")
    .trim()
    .min(1, "id: must not be empty")
    .max(200, "id: at most 200 characters"),
  type: z.enum(HR_EVENT_TYPES, {
    message: `type: one of ${HR_EVENT_TYPES.join(", ")}`,
  }),
  email: z.email("email: an email address").max(254, "email: at most 254 characters"),
  last_day: z
    .string("last_day: a date as YYYY-MM-DD")
    .refine(isLocalDate, "last_day: a date as YYYY-MM-DD")
    .optional(),
  name: z.string("name: text").trim().max(200, "name: at most 200 characters").optional(),
});

/** One sentence naming the first thing wrong, for the sender's log. */
function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "The body is not an HR event.";
  if (issue.code === "unrecognized_keys") return `Unexpected field(s): ${issue.keys.join(", ")}.`;
  const field = String(issue.path[0] ?? "body");
  return issue.message.startsWith(`${field}:`) ? issue.message : `${field}: ${issue.message}`;
}

export interface HrWebhookOptions {
  /** HR_WEBHOOK_SECRET. */
  secret: string;
  db: Database;
  /** Called after a new event was recorded and answered. */
  onRecorded: () => void;
  logger: Logger;
  now?: () => Date;
  maxBodyBytes?: number;
}

export function hrWebhookRoute(options: HrWebhookOptions): Route {
  const maxBytes = options.maxBodyBytes ?? HR_MAX_BODY_BYTES;
  const now = options.now ?? (() => new Date());
  const { logger } = options;

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, error: string) => {
    closeAfter(req, res);
    sendJson(res, status, { error });
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const timestamp = checkHrTimestamp(req.headers[HR_TIMESTAMP_HEADER], now());
    if (!timestamp.ok || typeof req.headers[HR_SIGNATURE_HEADER] !== "string") {
      logger.warn("hr webhook refused", {
        problem: timestamp.ok ? "missing X-Gatehouse-Signature" : timestamp.problem,
        remote: req.socket.remoteAddress,
      });
      return refuse(req, res, 401, "unauthorized");
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) return refuse(req, res, 413, `The body is larger than ${maxBytes} bytes.`);
    const body = await readBody(req, maxBytes);
    if (!body.ok) return refuse(req, res, 413, `The body is larger than ${maxBytes} bytes.`);
    if (
      !hrSignatureMatches(options.secret, timestamp.timestamp, body.raw, req.headers[HR_SIGNATURE_HEADER])
    ) {
      logger.warn("hr webhook refused", { problem: "wrong signature", remote: req.socket.remoteAddress });
      return sendJson(res, 401, { error: "unauthorized" });
    }

    let json: unknown;
    try {
      json = JSON.parse(body.raw.toString("utf8"));
    } catch {
      return sendJson(res, 400, { error: "The body is not JSON." });
    }
    const parsed = hrEventSchema.safeParse(json);
    if (!parsed.success) {
      const error = problemOf(parsed.error);
      logger.warn("hr webhook refused: unexpected body", { problem: error });
      return sendJson(res, 400, { error });
    }
    const e = parsed.data;
    const recorded = recordHrEvent(
      options.db,
      {
        id: e.id,
        type: e.type,
        email: e.email,
        ...(e.last_day ? { lastDay: e.last_day } : {}),
        ...(e.name ? { name: e.name } : {}),
      },
      now(),
    );
    if (!recorded.created) {
      logger.info("hr webhook repeated, ignored", { eventId: e.id });
      return sendJson(res, 200, { ok: true, duplicate: true, id: e.id });
    }
    logger.info("hr webhook recorded", { eventId: e.id, type: e.type });
    sendJson(res, 202, { ok: true, id: e.id });
    setImmediate(options.onRecorded);
  };

  return { method: "POST", path: HR_WEBHOOK_PATH, handler };
}
