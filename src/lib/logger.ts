/**
 * Structured JSON-lines logger with redaction. Secrets (tokens, PINs, signing secrets, OAuth codes)
 * never reach a log line: keys that name a secret are replaced, and values that look like a
 * bearer token or Slack token are masked wherever they appear.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Keys are compared without case or separators, so `accessToken`, `access_token` and
 * `Access-Token` are one key. A key is secret when it is one of these names…
 */
const SECRET_KEYS: ReadonlySet<string> = new Set([
  "pin",
  "pins",
  "pincode",
  "password",
  "passphrase",
  "secret",
  "authorization",
  "cookie",
  "setcookie",
  "oauthcode",
  "authorizationcode",
  "codeverifier",
  "qrcode",
  "qrcodeurl",
]);
/**
 * …or ends like one of these (`botToken`, `clientSecret`, `x-api-key`, Buzz-in's `accessCode`, and
 * a DoorFlow account's own PIN credential slug such as `door_pin` or `backupPin`: slugs are
 * parameterised from each account's labels, so no fixed list can name them).
 */
const SECRET_KEY_ENDINGS = ["token", "tokens", "secret", "password", "apikey", "accesscode", "pin"];

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_KEYS.has(k) || SECRET_KEY_ENDINGS.some((end) => k.endsWith(end));
}
const SECRET_VALUE = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|Bearer\s+[A-Za-z0-9._~+/=-]+)/g;

export const REDACTED = "[redacted]";

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return "[depth]";
  if (typeof value === "string") return value.replace(SECRET_VALUE, REDACTED);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redact(value.message, depth + 1) };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = redact(value.cause, depth + 1);
    return out;
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; defaults to stderr so stdout stays free for CLI output. */
  write?: (line: string) => void;
  now?: () => Date;
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const base = options.base ?? {};

  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < threshold) return;
    const entry = {
      time: now().toISOString(),
      level,
      msg: redact(msg),
      ...(redact({ ...base, ...fields }) as object),
    };
    write(JSON.stringify(entry));
  };

  return {
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger({ write: () => {} });
