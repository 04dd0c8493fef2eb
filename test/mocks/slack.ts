/**
 * Slack's Web API (`https://slack.com/api/<method>`) and response URLs (`https://hooks.slack.com/…`)
 * for msw. The WebClient posts through axios (Node's http), which msw's Node interceptors see, so a
 * real WebClient and a real Bolt `respond()` reach these handlers without a server. Every call is
 * recorded with its arguments decoded; answers are Slack's documented shapes, overridable per test
 * with `server.use(slackMethod("views.open", …))`.
 */
import { http, HttpResponse } from "msw";

const SLACK_API = "https://slack.com/api";
export const RESPONSE_URL = "https://hooks.slack.com/actions/T0TEST/1/respond";

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

const calls: SlackCall[] = [];

/** What Slack was asked, in order; `respond` calls are recorded as method "response_url". */
export const slackCalls = {
  all: (): SlackCall[] => [...calls],
  of: (method: string): Array<Record<string, unknown>> =>
    calls.filter((c) => c.method === method).map((c) => c.args),
  reset: (): void => {
    calls.length = 0;
  },
};

/** The WebClient sends form fields, objects among them JSON-encoded; `respond()` sends JSON. */
async function argsOf(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if ((request.headers.get("content-type") ?? "").includes("application/json"))
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    try {
      args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      args[key] = value;
    }
  }
  return args;
}

type Answer = (args: Record<string, unknown>) => Record<string, unknown>;

const DEFAULT_ANSWERS: Record<string, Answer> = {
  "auth.test": () => ({
    user_id: "U0BOT",
    bot_id: "B0BOT",
    team_id: "T0TEST",
    url: "https://test.slack.com/",
  }),
  "chat.postMessage": (a) => ({ channel: a.channel, ts: `${Date.now() / 1000}` }),
  "chat.update": (a) => ({ channel: a.channel, ts: a.ts }),
  "views.open": () => ({ view: { id: "V0OPENED", hash: "hash-1" } }),
  "views.update": (a) => ({ view: { id: a.view_id, hash: "hash-2" } }),
  "views.publish": () => ({ view: { id: "V0HOME", hash: "hash-home" } }),
  "usergroups.users.list": () => ({ users: [] }),
  "users.info": (a) => ({ user: { id: a.user, profile: {} } }),
};

/** A handler for one Web API method; `answer` gives the fields beside `ok: true`. */
export function slackMethod(method: string, answer: Answer) {
  return http.post(`${SLACK_API}/${method}`, async ({ request }) => {
    const args = await argsOf(request);
    calls.push({ method, args });
    return HttpResponse.json({ ok: true, ...answer(args) });
  });
}

export const slackHandlers = [
  http.post(`${SLACK_API}/:method`, async ({ request, params }) => {
    const method = String(params.method);
    const args = await argsOf(request);
    calls.push({ method, args });
    const answer = DEFAULT_ANSWERS[method];
    return answer
      ? HttpResponse.json({ ok: true, ...answer(args) })
      : HttpResponse.json({ ok: false, error: "unknown_method" });
  }),
  http.post("https://hooks.slack.com/*", async ({ request }) => {
    calls.push({ method: "response_url", args: await argsOf(request) });
    return HttpResponse.text("ok");
  }),
];
