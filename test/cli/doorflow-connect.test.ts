import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { closeDatabase, openDatabase } from "../../src/db/database.js";
import { createDbTokenStore } from "../../src/db/repositories/doorflow-tokens.js";
import type { StoredTokens } from "../../src/doorflow/token-store.js";
import {
  CLIENT,
  type CliWorld,
  type FakeTerminal,
  FIXED_TOKEN,
  fakeTerminal,
  freePort,
  oauthEnv,
  startCliWorld,
} from "./support.js";

let world: CliWorld | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await world?.close();
  world = undefined;
});

/** An account that accepts only OAuth tokens, so a passing check proves the stored tokens work. */
async function oauthOnlyWorld(): Promise<CliWorld> {
  world = await startCliWorld({ fixedToken: null });
  return world;
}

function connect(w: CliWorld, io: FakeTerminal, args: string[] = []): Promise<number> {
  return runCli(["doorflow", "connect", ...args], w.context(io, oauthEnv()));
}

async function printedAuthorizeUrl(io: FakeTerminal): Promise<URL> {
  return new URL((await io.waitFor(/\/oauth\/authorize\?/)).trim());
}

/** What the browser does: open the authorize URL; DoorFlow approves and redirects. */
async function approve(authorizeUrl: URL): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: "manual" });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location") ?? "");
}

function storedTokens(w: CliWorld): { tokens: StoredTokens | null; rawRows: unknown[] } {
  const db = openDatabase(`file:${w.databaseFile}`);
  try {
    const store = createDbTokenStore(db, { baseUrl: w.doorflow.url, secret: CLIENT.clientSecret });
    return { tokens: store.load(), rawRows: db.$client.prepare("SELECT * FROM doorflow_tokens").all() };
  } finally {
    closeDatabase(db);
  }
}

function expectConnected(w: CliWorld): StoredTokens {
  const { tokens, rawRows } = storedTokens(w);
  if (!tokens) throw new Error("no tokens were stored");
  const issued = w.doorflow.sandbox.state.tokens;
  expect(issued.accessTokens.get(tokens.accessToken)?.revoked).toBe(false);
  expect(issued.refreshTokens.get(tokens.refreshToken)?.revokedAt).toBeNull();
  expect(rawRows).toHaveLength(1);
  const raw = JSON.stringify(rawRows);
  expect(raw).not.toContain(tokens.accessToken);
  expect(raw).not.toContain(tokens.refreshToken);
  return tokens;
}

async function checkWithOAuth(w: CliWorld): Promise<FakeTerminal> {
  const io = fakeTerminal();
  expect(await runCli(["doorflow", "check"], w.context(io, oauthEnv()))).toBe(0);
  expect(io.outLines[0]).toBe(`DoorFlow at ${w.doorflow.url} (OAuth)`);
  expect(io.outLines.at(-1)).toBe("DoorFlow is ready for Gatehouse.");
  return io;
}

describe("gatehouse doorflow connect through the localhost callback", () => {
  it("prints a PKCE authorize URL, takes the code from the redirect and stores the tokens encrypted", async () => {
    const w = await oauthOnlyWorld();
    const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    const io = fakeTerminal();
    const run = connect(w, io, ["--redirect-uri", redirectUri]);

    const url = await printedAuthorizeUrl(io);
    expect(url.origin + url.pathname).toBe(`${w.doorflow.url}/oauth/authorize`);
    const q = url.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe(CLIENT.clientId);
    expect(q.get("redirect_uri")).toBe(redirectUri);
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("state")?.length).toBeGreaterThanOrEqual(16);

    const location = await approve(url);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get("state")).toBe(q.get("state"));
    const page = await fetch(location);
    // The browser is answered only after the exchange, so "connected" is true when it is shown.
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Gatehouse is connected to DoorFlow");

    expect(await run).toBe(0);
    const account = w.doorflow.sandbox.state.account;
    expect(io.outLines.at(-1)).toMatch(new RegExp(`^Connected to DoorFlow account "${account.name}"`));
    // The terminal prompt offered as an alternative was abandoned once the browser answered.
    expect(io.abandoned).toBe(1);
    expectConnected(w);
    await checkWithOAuth(w);
  });

  it("keeps waiting for the browser when the terminal has no input", async () => {
    const w = await oauthOnlyWorld();
    const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    const io = fakeTerminal({ endOfInput: true });
    const run = connect(w, io, ["--redirect-uri", redirectUri]);

    const location = await approve(await printedAuthorizeUrl(io));
    expect((await fetch(location)).status).toBe(200);

    expect(await run).toBe(0);
    expect(io.prompts).toHaveLength(1);
    expectConnected(w);
  });

  it("refuses a redirect whose state is not this attempt's and tells the browser too", async () => {
    const w = await oauthOnlyWorld();
    const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    const io = fakeTerminal();
    const run = connect(w, io, ["--redirect-uri", redirectUri]);

    const location = await approve(await printedAuthorizeUrl(io));
    location.searchParams.set("state", "forged-state");
    const page = await fetch(location);

    expect(page.status).toBe(400);
    expect(await page.text()).toContain("state mismatch");
    expect(await run).toBe(1);
    expect(io.errLines.join("\n")).toContain("state mismatch");
    expect(storedTokens(w).tokens).toBeNull();
    // The forged redirect's code was never exchanged.
    const code = location.searchParams.get("code") ?? "";
    expect(w.doorflow.sandbox.state.tokens.codes.get(code)?.used).toBe(false);
  });

  it("falls back to pasting when the callback port is taken", async () => {
    const w = await oauthOnlyWorld();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as { port: number }).port;
    const io = fakeTerminal();
    const run = connect(w, io, ["--redirect-uri", `http://127.0.0.1:${port}/callback`]);

    const location = await approve(await printedAuthorizeUrl(io));
    io.answer(location.toString());

    expect(await run).toBe(0);
    expect(io.errLines[0]).toMatch(
      new RegExp(`^Cannot listen on 127\\.0\\.0\\.1:${port} .*Paste the redirect URL instead\\.$`),
    );
    expect(io.outLines).toContain("Then paste the URL DoorFlow redirected to (or just the code):");
    expectConnected(w);
  });
});

describe("gatehouse doorflow connect --paste", () => {
  it("exchanges the code from the pasted redirect URL; check then works with the stored tokens", async () => {
    const w = await oauthOnlyWorld();
    const io = fakeTerminal();
    const run = connect(w, io, ["--paste"]);

    const location = await approve(await printedAuthorizeUrl(io));
    io.answer(location.toString());

    expect(await run).toBe(0);
    expect(io.prompts).toEqual(["code> "]);
    expectConnected(w);
    await checkWithOAuth(w);
  });

  it("accepts the bare code, and re-prompts after a line that is neither", async () => {
    const w = await oauthOnlyWorld();
    const io = fakeTerminal();
    const run = connect(w, io, ["--paste"]);

    const location = await approve(await printedAuthorizeUrl(io));
    io.answer("I am not sure what to paste");
    io.answer(location.searchParams.get("code"));

    expect(await run).toBe(0);
    expect(io.prompts).toHaveLength(2);
    expect(io.errLines).toEqual(["That is neither the redirect URL nor a code; paste it again."]);
    expectConnected(w);
  });

  it("refuses a pasted URL whose state is wrong, without exchanging its code", async () => {
    const w = await oauthOnlyWorld();
    const io = fakeTerminal();
    const run = connect(w, io, ["--paste"]);

    const location = await approve(await printedAuthorizeUrl(io));
    const code = location.searchParams.get("code") ?? "";
    location.searchParams.set("state", "someone-elses-state");
    io.answer(location.toString());

    expect(await run).toBe(1);
    expect(io.errLines).toEqual([
      "The redirect does not belong to this attempt (state mismatch): run `gatehouse doorflow connect` again and use the URL it prints.",
    ]);
    expect(storedTokens(w).tokens).toBeNull();
    expect(w.doorflow.sandbox.state.tokens.codes.get(code)?.used).toBe(false);
  });

  it("refuses a pasted redirect URL that carries no state at all", async () => {
    const w = await oauthOnlyWorld();
    const io = fakeTerminal();
    const run = connect(w, io, ["--paste"]);

    const location = await approve(await printedAuthorizeUrl(io));
    location.searchParams.delete("state");
    io.answer(location.toString());

    expect(await run).toBe(1);
    expect(io.errLines.join("\n")).toContain("state mismatch");
    expect(storedTokens(w).tokens).toBeNull();
  });

  it("reports DoorFlow's refusal when the pasted redirect says access was denied", async () => {
    const w = await oauthOnlyWorld();
    const io = fakeTerminal();
    const run = connect(w, io, ["--paste"]);

    const url = await printedAuthorizeUrl(io);
    const denied = new URL(url.searchParams.get("redirect_uri") ?? "");
    denied.search = new URLSearchParams({
      error: "access_denied",
      error_description: "The resource owner denied the request.",
      state: url.searchParams.get("state") ?? "",
    }).toString();
    io.answer(denied.toString());

    expect(await run).toBe(1);
    expect(io.errLines.join("\n")).toMatch(
      /^DoorFlow did not grant access \(access_denied: The resource owner denied the request\.\)/,
    );
    expect(storedTokens(w).tokens).toBeNull();
  });

  it("stops with a clear line at end of input", async () => {
    const w = await oauthOnlyWorld();
    const io = fakeTerminal({ endOfInput: true });

    expect(await connect(w, io, ["--paste"])).toBe(1);
    expect(io.errLines).toEqual(["No code was given: run `gatehouse doorflow connect` again."]);
  });
});

describe("after connecting", () => {
  it("check refreshes an expired access token and stores the rotated pair", async () => {
    const w = await oauthOnlyWorld();
    const io = fakeTerminal();
    const run = connect(w, io, ["--paste"]);
    io.answer((await approve(await printedAuthorizeUrl(io))).toString());
    expect(await run).toBe(0);
    const first = expectConnected(w);

    // DoorFlow's clock moves past the token's lifetime: it now answers 401 to the stored token.
    w.doorflow.sandbox.clock.advance(3 * 60 * 60_000);
    await checkWithOAuth(w);

    const second = expectConnected(w);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(w.doorflow.sandbox.state.tokens.refreshTokens.get(first.refreshToken)?.revokedAt).not.toBeNull();
  });
});

describe("gatehouse doorflow connect with a fixed token", () => {
  it("explains that no consent is needed and exits 1 without printing a URL", async () => {
    const w = await startCliWorld();
    world = w;
    const io = fakeTerminal();

    const code = await runCli(
      ["doorflow", "connect", "--paste"],
      w.context(io, { ...oauthEnv(), DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN }),
    );

    expect(code).toBe(1);
    expect(io.errLines[0]).toBe(
      "DOORFLOW_ACCESS_TOKEN is set, so Gatehouse uses that fixed token and needs no consent.",
    );
    expect(io.text()).not.toContain("/oauth/authorize");
    expect(io.prompts).toEqual([]);
  });
});
