/**
 * Routes every request for a DoorFlow origin into a DoorFlowSandbox through undici's MockAgent,
 * so a test can give the real DoorFlowClient (or the OAuth helpers) `dispatcher` and exercise the
 * sandbox without a socket. Latency becomes a delayed body; a dropped request becomes a socket
 * error, as the client would see when DoorFlow closes the connection without answering.
 */
import { MockAgent } from "undici";
import type { DoorFlowSandbox } from "../../tools/sandbox/doorflow/sandbox.js";

export const DOORFLOW_TEST_ORIGIN = "https://doorflow.test";

type Headers = Record<string, string | undefined>;

function headerText(value: unknown): string {
  if (Array.isArray(value)) return value.map(headerText).join(", ");
  return typeof value === "string" ? value : JSON.stringify(value);
}

function normaliseHeaders(raw: unknown): Headers {
  const out: Headers = {};
  const put = (name: unknown, value: unknown) => {
    if (typeof name !== "string" || value === undefined || value === null) return;
    const key = name.toLowerCase();
    const text = headerText(value);
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  };
  if (Array.isArray(raw)) {
    // undici's flat [name, value, name, value, ...] form.
    for (let i = 0; i + 1 < raw.length; i += 2) put(raw[i], raw[i + 1]);
  } else if (raw && typeof raw === "object") {
    for (const [name, value] of Object.entries(raw)) put(name, value);
  }
  return out;
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  if (body instanceof URLSearchParams) return body.toString();
  // A stream cannot be read synchronously; the sandbox's clients send strings.
  throw new TypeError("The DoorFlow mock only reads string or byte bodies");
}

/** What undici raises when the server closes the connection before answering. */
function droppedError(): Error {
  return Object.assign(new Error("other side closed"), { name: "SocketError", code: "UND_ERR_SOCKET" });
}

export function createDoorFlowMockAgent(sandbox: DoorFlowSandbox, origin = DOORFLOW_TEST_ORIGIN): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get(origin)
    .intercept({ path: () => true, method: () => true })
    .reply((opts) => {
      const answer = sandbox.handle({
        method: opts.method,
        path: opts.path,
        headers: normaliseHeaders(opts.headers),
        body: bodyText(opts.body),
      });
      // MockAgent turns an error thrown here into the request's error, as replyWithError does.
      if (answer.drop) throw droppedError();
      const latency = answer.latencyMs ?? 0;
      return {
        statusCode: answer.status,
        data:
          latency > 0
            ? () => new Promise<string>((resolve) => setTimeout(() => resolve(answer.body), latency))
            : answer.body,
        responseOptions: { headers: answer.headers },
      };
    })
    .persist();
  return agent;
}
