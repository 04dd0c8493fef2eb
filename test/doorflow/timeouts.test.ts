/**
 * Failures only a real socket shows: a server that never answers, a body that stalls, a connection
 * dropped after the request was sent, a port nobody listens on. Timeouts are kept small, but
 * undici's header and body timers tick about once a second, so each one still costs up to a second.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { staticTokenAuth } from "../../src/doorflow/auth.js";
import { DoorFlowClient, type DoorFlowClientOptions } from "../../src/doorflow/client.js";
import type { DoorFlowError } from "../../src/doorflow/errors.js";
import { person, rejection, TOKEN } from "./support.js";

interface Loopback {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function loopback(
  handle: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<Loopback> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    handle(req, res, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const lb: Loopback = {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  cleanups.push(lb.close);
  return lb;
}

function clientFor(baseUrl: string, options: Partial<DoorFlowClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = new DoorFlowClient({
    baseUrl,
    auth: staticTokenAuth(TOKEN),
    timeouts: { connectMs: 1_000, headersMs: 150, bodyMs: 150 },
    retry: { maxAttempts: 2 },
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
  cleanups.push(() => client.close());
  return { client, sleeps };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

describe("timeouts", () => {
  it("a server that never sends headers is doorflow_timeout, retried within maxAttempts", async () => {
    const server = await loopback(() => {
      // Hold the request: no status line, no headers.
    });
    const { client, sleeps } = clientFor(server.url);
    const error = await rejection<DoorFlowError>(client.getPerson(1));
    expect(error.code).toBe("doorflow_timeout");
    expect(error.retryable).toBe(true);
    // The request was sent: DoorFlow may have acted on it.
    expect(error.mayHaveApplied).toBe(true);
    expect(error.message).toMatch(/did not answer in time/);
    expect(server.seen).toEqual(["GET /api/3/people/1", "GET /api/3/people/1"]);
    expect(sleeps).toHaveLength(1);
  });

  it("a body that stops halfway is doorflow_timeout too", async () => {
    const server = await loopback((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":1,');
    });
    const { client } = clientFor(server.url, { retry: { maxAttempts: 1 } });
    const error = await rejection<DoorFlowError>(client.getPerson(1));
    expect(error.code).toBe("doorflow_timeout");
    expect(inspect(error, { depth: 5 })).not.toContain(TOKEN);
  });

  it("a slow answer within the timeout is simply an answer", async () => {
    const server = await loopback((_req, res) => {
      setTimeout(() => json(res, 200, person(1)), 20);
    });
    const { client } = clientFor(server.url, { timeouts: { headersMs: 2_000, bodyMs: 2_000 } });
    await expect(client.getPerson(1)).resolves.toMatchObject({ id: 1 });
  });
});

describe("dropped and refused connections", () => {
  it("a GET whose connection is dropped after sending is retried and succeeds", async () => {
    const server = await loopback((req, res, n) => {
      if (n === 1) req.socket.destroy();
      else json(res, 200, person(1));
    });
    const { client, sleeps } = clientFor(server.url);
    await expect(client.getPerson(1)).resolves.toMatchObject({ id: 1 });
    expect(server.seen).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it("a POST without system_id whose connection is dropped is not sent again", async () => {
    const server = await loopback((req) => req.socket.destroy());
    const { client, sleeps } = clientFor(server.url);
    const error = await rejection<DoorFlowError>(client.createPerson({ first_name: "Ada", last_name: "L" }));
    expect(error.code).toBe("doorflow_network");
    expect(error.mayHaveApplied).toBe(true);
    expect(server.seen).toEqual(["POST /api/3/people"]);
    expect(sleeps).toEqual([]);
  });

  it("a refused connection reached nobody: even a POST is tried again, and the message names the URL", async () => {
    const server = await loopback(() => {});
    const url = server.url;
    await server.close();
    const { client, sleeps } = clientFor(url);
    const error = await rejection<DoorFlowError>(client.createPerson({ first_name: "Ada", last_name: "L" }));
    expect(error.code).toBe("doorflow_network");
    expect(error.mayHaveApplied).toBe(false);
    expect(error.message).toContain(url);
    expect(error.message).toContain("ECONNREFUSED");
    expect(sleeps).toHaveLength(1);
    expect(inspect(error, { depth: 5 })).not.toContain(TOKEN);
  });
});
