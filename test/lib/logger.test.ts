import { describe, expect, it } from "vitest";
import { createLogger, REDACTED, redact } from "../../src/lib/logger.js";

describe("logger", () => {
  it("writes one JSON line per entry at or above its level", () => {
    const lines: string[] = [];
    const log = createLogger({
      level: "info",
      write: (l) => lines.push(l),
      now: () => new Date("2027-01-01T00:00:00Z"),
    });
    log.debug("hidden");
    log.info("provisioned", { requestId: "r1" });
    log.child({ job: "offboard" }).error("failed", { attempts: 2 });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: "2027-01-01T00:00:00.000Z", level: "info", msg: "provisioned", requestId: "r1" },
      { time: "2027-01-01T00:00:00.000Z", level: "error", msg: "failed", job: "offboard", attempts: 2 },
    ]);
  });

  it("redacts secrets by key and by shape, at any depth", () => {
    const out = redact({
      pin: "123456",
      nested: { access_token: "abc", refresh_token: "def", list: [{ PIN: "9999" }] },
      header: "Authorization: Bearer eyJhbGciOi.secret",
      slack: "token xoxb-123-456-abcdef and xapp-1-ABC",
      card_number: "12345678",
    });
    expect(out).toEqual({
      pin: REDACTED,
      nested: { access_token: REDACTED, refresh_token: REDACTED, list: [{ PIN: REDACTED }] },
      header: `Authorization: ${REDACTED}`,
      slack: `token ${REDACTED} and ${REDACTED}`,
      card_number: "12345678",
    });
  });

  it("matches secret keys whatever their case and separators", () => {
    const secrets = [
      "accessToken",
      "AccessToken",
      "access-token",
      "refresh_token",
      "refreshToken",
      "REFRESH-TOKEN",
      "clientSecret",
      "client.secret",
      "signingSecret",
      "apiKey",
      "API_KEY",
      "x-api-key",
      "accessCode",
      "access_code",
      "pinCode",
      "Pin",
      "door_pin",
      "backupPin",
      "Keypad-PIN",
      "password",
      "botToken",
      "webhookToken",
      "X-Buzzin-Token",
      "qrCodeUrl",
      "Set-Cookie",
      "codeVerifier",
      "oauthCode",
    ];
    const out = redact(Object.fromEntries(secrets.map((k) => [k, "s3cr3t"]))) as Record<string, unknown>;
    for (const k of secrets) expect([k, out[k]]).toEqual([k, REDACTED]);
    const plain = {
      code: "doorflow_unreachable",
      tokenType: "bearer",
      expiresIn: 3600,
      pinned: true,
      keyId: "k1",
      cardNumber: "12345678",
    };
    expect(redact(plain)).toEqual(plain);
  });

  it("keeps errors readable without leaking tokens", () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    const cause = new Error("upstream said Bearer abc.def");
    log.error("call failed", {
      error: Object.assign(new Error("boom", { cause }), { code: "doorflow_timeout" }),
    });
    const entry = JSON.parse(lines[0] as string);
    expect(entry.error).toEqual({
      name: "Error",
      message: "boom",
      code: "doorflow_timeout",
      cause: { name: "Error", message: `upstream said ${REDACTED}` },
    });
  });
  it("keeps error codes readable while redacting OAuth codes", () => {
    expect(redact({ code: "doorflow_unreachable", oauth_code: "abc123", code_verifier: "v" })).toEqual({
      code: "doorflow_unreachable",
      oauth_code: REDACTED,
      code_verifier: REDACTED,
    });
  });
});
