/**
 * The Buzz-in sandbox as a real HTTP server on loopback (node:http), for the client's tests and the
 * demo. Injected latency delays the answer; a dropped request has its socket destroyed unanswered.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { BuzzinSandbox } from "./sandbox.js";
import type { BuzzinSandboxOptions } from "./types.js";

export interface StartBuzzinSandboxOptions extends BuzzinSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Serve this sandbox instead of making one from the other options. */
  sandbox?: BuzzinSandbox;
}

export interface RunningBuzzinSandbox {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  sandbox: BuzzinSandbox;
  /** Stops the server after the webhooks already fired have been attempted; a second call waits for the first. */
  close(): Promise<void>;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export async function startBuzzinSandbox(
  options: StartBuzzinSandboxOptions = {},
): Promise<RunningBuzzinSandbox> {
  const { port = 0, host = "127.0.0.1", sandbox: given, ...sandboxOptions } = options;
  const sandbox = given ?? new BuzzinSandbox(sandboxOptions);
  const pending = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = sandbox.handle({
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: flattenHeaders(req.headers),
        body: chunks.length === 0 ? undefined : Buffer.concat(chunks).toString("utf8"),
      });
      const send = () => {
        if (answer.drop) req.socket.destroy();
        else res.writeHead(answer.status, answer.headers).end(answer.body);
      };
      if (!answer.latencyMs) return send();
      const timer = setTimeout(() => {
        pending.delete(timer);
        send();
      }, answer.latencyMs);
      pending.add(timer);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  const stop = async () => {
    await sandbox.settled();
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  };

  return {
    url: `http://${shownHost}:${address.port}`,
    sandbox,
    close: () => (closing ??= stop()),
  };
}
