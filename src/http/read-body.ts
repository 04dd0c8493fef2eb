/**
 * Reading a request body with a ceiling: past `maxBytes` the rest is not read (the caller answers
 * 413 and closes the connection), so a sender cannot make Gatehouse buffer an unbounded body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type BodyRead = { ok: true; raw: Buffer } | { ok: false };

export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
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
      if (!done) resolve({ ok: true, raw: Buffer.concat(chunks) });
    });
    req.on("error", reject);
  });
}

/** A refusal before the body was read: close the connection instead of draining what is left. */
export function closeAfter(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("connection", "close");
  req.resume();
}
