/**
 * What the one HTTP server accepts before anyone is authenticated: Slack bodies up to 256 KB,
 * headers within 10 s, a whole request within 15 s, at most 256 connections. Checked on the server
 * Gatehouse starts, and, with the same code and shorter times, on a server of our own.
 */
import { connect, type Socket } from "node:net";
import { Readable } from "node:stream";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import {
  createHttpServer,
  INTAKE_LIMITS,
  listen,
  type RunningServer,
  sendJson,
} from "../../src/http/server.js";
import { silentLogger } from "../../src/lib/logger.js";
import { startTestStory, type TestStory } from "../helpers/story.js";

const stories: TestStory[] = [];
const servers: RunningServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.close();
  for (const s of stories.splice(0)) await s.close();
});

function openSocket(
  port: number,
): Promise<{ socket: Socket; closed: Promise<number>; received: () => string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    const t0 = Date.now();
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("error", () => undefined);
    const closed = new Promise<number>((done) => socket.once("close", () => done(Date.now() - t0)));
    socket.once("connect", () => resolve({ socket, closed, received: () => text }));
    socket.once("error", reject);
  });
}

describe("the server Gatehouse starts", () => {
  it("sets a header timeout, a request timeout and a connection cap", async () => {
    const s = await startTestStory();
    stories.push(s);
    const { server } = s.gatehouse.http;
    expect(INTAKE_LIMITS).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      maxConnections: 256,
    });
    expect(server.headersTimeout).toBe(10_000);
    expect(server.requestTimeout).toBe(15_000);
    expect(server.maxConnections).toBe(256);
  });

  it("refuses a Slack body over 256 KB with 413, declared or streamed, before checking anything else", async () => {
    const s = await startTestStory();
    stories.push(s);
    const url = `${s.gatehouse.http.url}/slack/events`;
    const body = "a".repeat(300 * 1024);
    const headers = {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
      "x-slack-signature": `v0=${"0".repeat(64)}`,
    };
    const declared = await request(url, { method: "POST", headers, body });
    await declared.body.dump();
    expect(declared.statusCode).toBe(413);
    // Chunked: no length to look at; the count of bytes received stops it.
    const streamed = await request(url, {
      method: "POST",
      headers,
      body: Readable.from(
        (async function* () {
          for (let i = 0; i < 10; i++) yield Buffer.alloc(32 * 1024, "a");
        })(),
      ),
    });
    await streamed.body.dump();
    expect(streamed.statusCode).toBe(413);
    // Just under the limit is read, and then refused for its signature like any forged request.
    const under = await request(url, { method: "POST", headers, body: "a".repeat(200 * 1024) });
    await under.body.dump();
    expect(under.statusCode).toBe(401);
  });
});

describe("the intake limits, shortened", () => {
  async function serve(limits: Partial<typeof INTAKE_LIMITS>) {
    const server = createHttpServer(
      [
        { method: "GET", path: "/healthz", handler: (_req, res) => sendJson(res, 200, { status: "ok" }) },
        // A handler that reads the body to its end, as Bolt and the webhooks do.
        {
          method: "POST",
          path: "/upload",
          handler: (req, res) => {
            req.resume();
            req.on("end", () => sendJson(res, 200, { ok: true }));
          },
        },
      ],
      silentLogger,
      { ...INTAKE_LIMITS, checkEveryMs: 50, ...limits },
    );
    const running = await listen(server, 0, "127.0.0.1");
    servers.push(running);
    return running;
  }

  it("closes a connection whose headers do not arrive in time, and one whose body never ends", async () => {
    const http = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const slowHeaders = await openSocket(http.port);
    slowHeaders.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const slowBody = await openSocket(http.port);
    slowBody.socket.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc");
    // Meanwhile the server answers others.
    expect((await request(`${http.url}/healthz`)).statusCode).toBe(200);
    expect(await slowHeaders.closed).toBeLessThan(2_000);
    expect(await slowBody.closed).toBeLessThan(2_000);
    expect(slowBody.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("refuses connections beyond the cap", async () => {
    const http = await serve({ maxConnections: 2 });
    const held = [await openSocket(http.port), await openSocket(http.port)];
    for (const h of held) h.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const third = await openSocket(http.port);
    expect(await third.closed).toBeLessThan(1_000);
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    expect((await request(`${http.url}/healthz`)).statusCode).toBe(200);
  });
});
