/**
 * Loopback helpers for the sandbox tests: a sandbox on a real HTTP port for the length of one
 * test, and a small fetch wrapper that returns status, headers and the parsed JSON body.
 */
import { onTestFinished } from "vitest";
import {
  type StartDoorFlowSandboxOptions,
  startDoorFlowSandbox,
} from "../../tools/sandbox/doorflow/server.js";

/** A Monday in March 2027, before the European and after the American DST change. */
export const MONDAY_1_MARCH_2027 = new Date("2027-03-01T09:00:00.000Z");

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  // Tests read whatever DoorFlow answered; where the shape matters they parse it with the client's schemas.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface ApiInit {
  /** Bearer token; `null` sends no Authorization header. Default "sandbox". */
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Fault rules may send a deliberately broken body: leave `json` undefined then. */
function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  init: ApiInit = {},
): Promise<ApiAnswer> {
  const token = init.token === undefined ? "sandbox" : init.token;
  const headers: Record<string, string> = { accept: "application/json", ...init.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: parseJson(text) };
}

export async function startTestSandbox(options: StartDoorFlowSandboxOptions = {}) {
  const running = await startDoorFlowSandbox({ now: MONDAY_1_MARCH_2027, ...options });
  onTestFinished(() => running.close());
  const api = (method: string, path: string, init?: ApiInit) => callApi(running.url, method, path, init);
  return { ...running, api };
}
