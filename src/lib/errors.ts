/**
 * One base error for everything Gatehouse throws on purpose. `code` is stable and machine-readable;
 * `message` is a sentence for a person; `cause` keeps the underlying failure for the log.
 * Expected outcomes (not found, already disabled, denied) are values, not throws.
 */
export class GatehouseError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration variable is missing or malformed; the message names it. */
export class ConfigError extends GatehouseError {
  readonly variable: string;

  constructor(variable: string, message: string) {
    super("config_invalid", message);
    this.variable = variable;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
