/**
 * The unauthenticated-memory probe: `sockets` connections each start a Slack request with a big
 * body (4 MB by default, half declared with Content-Length, half chunked), send all of it but the
 * end, and hold the connection, while the bot process's resident memory is sampled and /healthz
 * is asked. Nothing it sends is signed: all of it must be refused before it costs memory.
 * Shared by test/http/intake-probe.test.ts and bench/intake.ts.
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";

export interface ProbeOptions {
  /** The bot's base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** The bot's process id (its memory is read from /proc). */
  pid: number;
  sockets?: number;
  bodyBytes?: number;
  /** How long the connections are held once everything that could be sent is sent. */
  holdMs?: number;
  /** Longest time spent sending before the hold starts. */
  sendMs?: number;
  /** How bodies are framed: half each (default), or all one way. */
  framing?: "both" | "length" | "chunked";
}

export interface ProbeResult {
  rssBeforeMb: number;
  rssPeakMb: number;
  /**
   * Of the connections: the status each was answered with ("none" when the server closed it before
   * the probe read an answer: a refused body's connection is closed with unread data still coming,
   * which resets it).
   */
  answered: Record<string, number>;
  /** Closed by the server while the probe held them. */
  closedByServer: number;
  /** /healthz while the connections were held: status (0 = no answer) and time taken. */
  healthz: Array<{ status: number; ms: number }>;
}

/** Resident memory of a process, in MB (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const CHUNK = 64 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Held {
  socket: Socket;
  status?: string;
  closed: boolean;
  done: Promise<void>;
}

function hold(url: URL, chunked: boolean, bodyBytes: number): Held {
  const socket = connect(Number(url.port), url.hostname);
  const held: Held = { socket, closed: false, done: Promise.resolve() };
  socket.on("error", () => undefined);
  socket.on("close", () => (held.closed = true));
  socket.setEncoding("latin1");
  socket.on("data", (text: string) => {
    held.status ??= /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
  });
  const head = [
    "POST /slack/events HTTP/1.1",
    `Host: ${url.host}`,
    "Content-Type: application/x-www-form-urlencoded",
    `X-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}`,
    `X-Slack-Signature: v0=${"0".repeat(64)}`,
    chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${bodyBytes}`,
    "",
    "",
  ].join("\r\n");
  const piece = Buffer.alloc(CHUNK, "a");
  held.done = (async () => {
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(head);
    // All but the last byte (or the closing chunk): the request is never complete.
    let left = bodyBytes - 1;
    while (left > 0 && !held.closed) {
      const n = Math.min(CHUNK, left);
      const data = n === CHUNK ? piece : piece.subarray(0, n);
      const framed = chunked
        ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), data, Buffer.from("\r\n")])
        : data;
      left -= n;
      if (!socket.write(framed)) {
        // The server stopped reading (or is slow): wait for it, or for the socket to close.
        const drained = await Promise.race([
          new Promise<boolean>((resolve) => socket.once("drain", () => resolve(true))),
          new Promise<boolean>((resolve) => socket.once("close", () => resolve(false))),
        ]);
        if (!drained) break;
      }
    }
  })();
  return held;
}

async function askHealthz(url: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

export async function runIntakeProbe(options: ProbeOptions): Promise<ProbeResult> {
  const url = new URL(options.url);
  const sockets = options.sockets ?? 100;
  const bodyBytes = options.bodyBytes ?? 4 * 1024 * 1024;
  const rssBeforeMb = rssMb(options.pid);
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    try {
      rssPeakMb = Math.max(rssPeakMb, rssMb(options.pid));
    } catch {
      // The process is gone: the probe's caller sees it.
    }
  }, 50);
  const framing = options.framing ?? "both";
  const chunked = (i: number) => (framing === "both" ? i % 2 === 1 : framing === "chunked");
  const held = Array.from({ length: sockets }, (_, i) => hold(url, chunked(i), bodyBytes));
  try {
    // Everything that can be sent is sent (or the server stopped reading), then the hold.
    await Promise.race([Promise.all(held.map((h) => h.done)), sleep(options.sendMs ?? 20_000)]);
    const healthz: ProbeResult["healthz"] = [];
    const until = Date.now() + (options.holdMs ?? 2_000);
    while (Date.now() < until) {
      healthz.push(await askHealthz(options.url));
      await sleep(200);
    }
    rssPeakMb = Math.max(rssPeakMb, rssMb(options.pid));
    const answered: Record<string, number> = {};
    for (const h of held) answered[h.status ?? "none"] = (answered[h.status ?? "none"] ?? 0) + 1;
    return {
      rssBeforeMb,
      rssPeakMb,
      answered,
      closedByServer: held.filter((h) => h.closed).length,
      healthz,
    };
  } finally {
    clearInterval(sampler);
    for (const h of held) h.socket.destroy();
  }
}
