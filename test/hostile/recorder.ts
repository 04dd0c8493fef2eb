/**
 * Catches what the driver would send to the bot (exact body bytes and headers) without delivering
 * it, so a test can replay it to the real bot as is, or forged: re-signed, stale, stripped, altered.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createSlackDriver, type SlackDriver } from "../../tools/sandbox/slack/driver.js";
import type { SlackStandIn } from "../../tools/sandbox/slack/web-api.js";
import { SIGNING_SECRET } from "../../tools/sandbox/story.js";

export interface Captured {
  body: string;
  headers: Record<string, string>;
}

export interface Recorder {
  /** A driver whose requests are caught here; the stand-in still issues their trigger ids and response URLs. */
  driver: SlackDriver;
  /** Runs `send` and returns the one request it made. */
  capture(send: (driver: SlackDriver) => Promise<unknown>): Promise<Captured>;
  close(): Promise<void>;
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startRecorder(standIn: SlackStandIn): Promise<Recorder> {
  const caught: Captured[] = [];
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (k.startsWith("x-slack-") || k === "content-type") headers[k] = String(v);
      caught.push({ body, headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const driver = createSlackDriver({
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SIGNING_SECRET,
    standIn,
  });
  return {
    driver,
    async capture(send) {
      const before = caught.length;
      await send(driver);
      const got = caught.slice(before);
      if (got.length !== 1) throw new Error(`expected one request, caught ${got.length}`);
      return got[0] as Captured;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
