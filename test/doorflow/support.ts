/**
 * A DoorFlow stand-in on undici's MockAgent: every request reaches one handler the test writes, and
 * is recorded. The client never waits in these tests: its `sleep` records the delay and returns.
 */
import { MockAgent, type MockPool } from "undici";
import { staticTokenAuth } from "../../src/doorflow/auth.js";
import { DoorFlowClient, type DoorFlowClientOptions } from "../../src/doorflow/client.js";
import type { Person } from "../../src/doorflow/schemas.js";

export const ORIGIN = "https://doorflow.test";
export const TOKEN = "tok_live_3f9a1c77e2";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string | undefined;
}

interface Reply {
  status?: number;
  /** An object is sent as JSON, a string as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The answer is held until this settles: the request stays "on the wire" meanwhile. */
  hold?: Promise<void>;
}

type Handler = (req: RecordedRequest, seen: RecordedRequest[]) => Reply;

export interface DoorFlowMock {
  agent: MockAgent;
  /** For interceptors that must match before the handler (e.g. `replyWithError`): register them first. */
  pool: MockPool;
  requests: RecordedRequest[];
  /** Requests answered or still held, per "METHOD /path" (query left out). */
  count(method: string, path: string): number;
  /** Most requests whose answer was pending at the same moment. */
  maxInFlight(): number;
  route(handler: Handler): void;
  close(): Promise<void>;
}

function headerRecord(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

export function createDoorFlowMock(origin = ORIGIN): DoorFlowMock {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get<MockPool>(origin);
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let max = 0;

  return {
    agent,
    pool,
    requests,
    count: (method, path) => requests.filter((r) => r.method === method && r.path === path).length,
    maxInFlight: () => max,
    route(handler) {
      pool
        .intercept({ path: () => true, method: () => true })
        .reply((opts) => {
          const url = new URL(opts.path, origin);
          const req: RecordedRequest = {
            method: opts.method,
            path: url.pathname,
            query: url.searchParams,
            headers: headerRecord(opts.headers),
            body: typeof opts.body === "string" ? opts.body : undefined,
          };
          requests.push(req);
          const reply = handler(req, requests);
          const text =
            reply.body === undefined
              ? ""
              : typeof reply.body === "string"
                ? reply.body
                : JSON.stringify(reply.body);
          const headers = { "content-type": "application/json", ...reply.headers };
          inFlight++;
          max = Math.max(max, inFlight);
          const hold = reply.hold;
          if (!hold) inFlight--;
          return {
            statusCode: reply.status ?? 200,
            data: hold
              ? async () => {
                  await hold;
                  inFlight--;
                  return text;
                }
              : text,
            responseOptions: { headers },
          };
        })
        .persist();
    },
    close: () => agent.close(),
  };
}

export interface Harness {
  mock: DoorFlowMock;
  client: DoorFlowClient;
  /** Every delay the client asked to sleep, in order. */
  sleeps: number[];
}

const live: Harness[] = [];

/** For `afterEach`: closes every client and mock agent the test made. */
export async function closeHarnesses(): Promise<void> {
  for (const h of live.splice(0)) {
    await h.client.close();
    await h.mock.close();
  }
}

export function createHarness(
  options: Partial<DoorFlowClientOptions> & { mock?: DoorFlowMock } = {},
): Harness {
  const { mock = createDoorFlowMock(), retry, ...rest } = options;
  const sleeps: number[] = [];
  const client = new DoorFlowClient({
    baseUrl: ORIGIN,
    auth: staticTokenAuth(TOKEN),
    dispatcher: mock.agent,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...rest,
    retry: { baseDelayMs: 100, ...retry },
  });
  const harness = { mock, client, sleeps };
  live.push(harness);
  return harness;
}

export function person(id: number, extra: Partial<Person> = {}): Person {
  return {
    id,
    first_name: "Ada",
    last_name: `Lovelace ${id}`,
    email: `ada${id}@example.com`,
    system_id: null,
    enabled: true,
    valid_from: null,
    valid_to: null,
    notes: null,
    groups: [],
    roles: [],
    created_at: "2027-03-01T09:00:00Z",
    updated_at: "2027-03-01T09:00:00Z",
    ...extra,
  };
}

/** A promise and the function that settles it: the test decides when a held answer goes out. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Lets queued callbacks and microtasks run until `done()` holds (no timers, no waiting on a clock). */
export async function until(done: () => boolean, rounds = 500): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (done()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error("condition not reached");
}

/** Rejection of `promise`, typed, or a failure if it resolved. */
export async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
