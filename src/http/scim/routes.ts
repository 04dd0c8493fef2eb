/**
 * `/scim/v2/*` (mounted when SCIM_TOKEN is set): the bearer token is checked in constant time before
 * anything is read, then the path is dispatched. Every answer is `application/scim+json`; every
 * refusal is a SCIM error with what to fix. A malformed request is a 400, never a 500.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Deps } from "../../domain/deps.js";
import { errorMessage } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import { closeAfter, readBody } from "../read-body.js";
import type { Route } from "../server.js";
import {
  discovery,
  SCIM_BASE_PATH,
  SCIM_CONTENT_TYPE,
  type ScimAnswer,
  ScimFailure,
  type ScimRequest,
  toScimFailure,
} from "./protocol.js";
import { handleUsers } from "./users.js";

/** A User resource is a few kilobytes; Entra's largest PATCH stays far below this. */
const SCIM_MAX_BODY_BYTES = 64 * 1024;

export interface ScimRouteOptions {
  /** SCIM_TOKEN. */
  token: string;
  deps: Deps;
  /** A deprovisioned user was recorded as a leaver. */
  onLeaver: () => void;
  logger: Logger;
  maxBodyBytes?: number;
}

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  if (typeof header !== "string") return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return !!match && timingSafeEqual(digest(match[1] as string), expected);
}

function send(res: ServerResponse, answer: ScimAnswer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status);
    res.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    "content-type": SCIM_CONTENT_TYPE,
    "content-length": Buffer.byteLength(text),
    ...(answer.location ? { location: answer.location } : {}),
  });
  res.end(text);
}

const failure = (f: ScimFailure): ScimAnswer => ({ status: f.status, body: f.body() });

export function scimRoutes(options: ScimRouteOptions): Route[] {
  const expected = digest(options.token);
  const maxBytes = options.maxBodyBytes ?? SCIM_MAX_BODY_BYTES;
  const { logger } = options;

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!bearerMatches(req.headers.authorization, expected)) {
      logger.warn("scim request refused: missing or wrong bearer token", {
        remote: req.socket.remoteAddress,
      });
      closeAfter(req, res);
      res.setHeader("www-authenticate", 'Bearer realm="gatehouse-scim"');
      return send(res, failure(new ScimFailure(401, "Send Authorization: Bearer <SCIM_TOKEN>.")));
    }
    if (Number(req.headers["content-length"] ?? 0) > maxBytes) {
      closeAfter(req, res);
      return send(res, failure(new ScimFailure(413, `The body is larger than ${maxBytes} bytes.`)));
    }
    let answer: ScimAnswer;
    try {
      answer = await dispatch(options, parseRequest(req, maxBytes));
    } catch (error) {
      const known = toScimFailure(error);
      if (!known) throw error;
      if (known.status === 413) closeAfter(req, res);
      answer = failure(known);
    }
    send(res, answer);
  };

  return (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map((method) => ({
    method,
    path: `${SCIM_BASE_PATH}/*`,
    handler,
  }));
}

function parseRequest(req: IncomingMessage, maxBytes: number): ScimRequest {
  const url = new URL(req.url ?? "/", "http://gatehouse.invalid");
  const rest = url.pathname.slice(SCIM_BASE_PATH.length);
  let segments: string[];
  try {
    segments = rest.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new ScimFailure(404, "No such SCIM resource.");
  }
  const body = async (): Promise<unknown> => {
    const type = String(req.headers["content-type"] ?? "");
    if (!/^application\/(scim\+)?json\b/i.test(type)) {
      throw new ScimFailure(400, "Send the body as application/scim+json.", "invalidSyntax");
    }
    const read = await readBody(req, maxBytes);
    if (!read.ok) throw new ScimFailure(413, `The body is larger than ${maxBytes} bytes.`);
    try {
      return JSON.parse(read.raw.toString("utf8")) as unknown;
    } catch {
      throw new ScimFailure(400, "The body is not JSON.", "invalidSyntax");
    }
  };
  return { method: req.method ?? "GET", segments, query: url.searchParams, body };
}

async function dispatch(options: ScimRouteOptions, request: ScimRequest): Promise<ScimAnswer> {
  const [first, second, ...more] = request.segments;
  if (first === "Users") {
    if (more.length > 0) throw new ScimFailure(404, "No such SCIM resource.");
    return handleUsers(options.deps, request, second, () => {
      try {
        options.onLeaver();
      } catch (error) {
        options.logger.error("could not start acting on a SCIM leaver", { error: errorMessage(error) });
      }
    });
  }
  if (first === "ServiceProviderConfig" || first === "ResourceTypes" || first === "Schemas") {
    if (request.method !== "GET")
      throw new ScimFailure(400, `${first} is read-only: use GET.`, "invalidSyntax");
    if (more.length > 0 || (first === "ServiceProviderConfig" && second !== undefined)) {
      throw new ScimFailure(404, "No such SCIM resource.");
    }
    return { status: 200, body: await discovery(first, second) };
  }
  throw new ScimFailure(
    404,
    `No such SCIM resource: Gatehouse serves /Users, /ServiceProviderConfig, /ResourceTypes and /Schemas.`,
  );
}
