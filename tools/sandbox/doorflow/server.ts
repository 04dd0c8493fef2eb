/**
 * The sandbox as a real HTTP server on loopback (node:http). Injected latency delays the answer;
 * a dropped request has its socket destroyed without a byte of answer, which a client sees as
 * "other side closed" after it has sent the request.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { DoorFlowSandbox } from "./sandbox.js";
import type { DoorFlowSandboxOptions, SandboxCall } from "./types.js";

export interface StartDoorFlowSandboxOptions extends DoorFlowSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Added to every answer, as for a DoorFlow far away (the demo, benchmarks). Faults add theirs on top. */
  latencyMs?: number;
  /** Serve this sandbox instead of making one from the other options. */
  sandbox?: DoorFlowSandbox;
}

export interface RunningDoorFlowSandbox {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  sandbox: DoorFlowSandbox;
  /**
   * Calls `listener` with each call once the model has handled it and before the answer is sent
   * (and any latency waited out): a test that kills the bot here leaves DoorFlow's work done and
   * unheard of. Returns a function that removes the listener.
   */
  onCall(listener: (call: SandboxCall) => void): () => void;
  close(): Promise<void>;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

export async function startDoorFlowSandbox(
  options: StartDoorFlowSandboxOptions = {},
): Promise<RunningDoorFlowSandbox> {
  const { port = 0, host = "127.0.0.1", latencyMs = 0, sandbox: given, ...sandboxOptions } = options;
  const sandbox = given ?? new DoorFlowSandbox(sandboxOptions);
  const pending = new Set<NodeJS.Timeout>();
  const listeners = new Set<(call: SandboxCall) => void>();

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
      const call = sandbox.calls.at(-1);
      if (call) for (const listener of listeners) listener(call);
      const send = () => {
        if (answer.drop) {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, answer.headers).end(answer.body);
      };
      const delay = latencyMs + (answer.latencyMs ?? 0);
      if (delay <= 0) {
        send();
        return;
      }
      const timer = setTimeout(() => {
        pending.delete(timer);
        send();
      }, delay);
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

  return {
    url: `http://${shownHost}:${address.port}`,
    sandbox,
    onCall: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
