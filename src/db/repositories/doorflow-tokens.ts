/**
 * DoorFlow OAuth tokens at rest, encrypted with AES-256-GCM under a key derived from the OAuth
 * client secret: a copy of the database file alone does not open the account. Saving the rotated
 * pair is one statement, so a crash leaves either the old pair or the new one.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { StoredTokens, TokenStore } from "../../doorflow/token-store.js";
import { GatehouseError } from "../../lib/errors.js";
import type { Executor } from "../database.js";
import { doorflowTokens } from "../schema.js";

const VERSION = "v1";

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "gatehouse", "doorflow-token-encryption", 32));
}

function encryptSecret(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

function decryptSecret(sealed: string, key: Buffer): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) {
    throw new GatehouseError(
      "token_store_corrupt",
      "The stored DoorFlow token is unreadable: run `gatehouse doorflow connect` again.",
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch (error) {
    throw new GatehouseError(
      "token_store_key_mismatch",
      "The stored DoorFlow token cannot be decrypted with this DOORFLOW_CLIENT_SECRET: run `gatehouse doorflow connect` again.",
      { cause: error },
    );
  }
}

export function createDbTokenStore(
  db: Executor,
  options: { baseUrl: string; secret: string; now?: () => Date },
): TokenStore {
  const key = deriveKey(options.secret);
  const now = options.now ?? (() => new Date());
  return {
    load(): StoredTokens | null {
      const row = db.select().from(doorflowTokens).where(eq(doorflowTokens.baseUrl, options.baseUrl)).get();
      if (!row) return null;
      return {
        accessToken: decryptSecret(row.accessTokenEnc, key),
        refreshToken: decryptSecret(row.refreshTokenEnc, key),
        expiresAt: row.expiresAt,
        scope: row.scope,
      };
    },
    save(tokens: StoredTokens): void {
      const values = {
        accessTokenEnc: encryptSecret(tokens.accessToken, key),
        refreshTokenEnc: encryptSecret(tokens.refreshToken, key),
        expiresAt: tokens.expiresAt,
        scope: tokens.scope ?? null,
        updatedAt: now(),
      };
      db.insert(doorflowTokens)
        .values({ baseUrl: options.baseUrl, ...values })
        .onConflictDoUpdate({ target: doorflowTokens.baseUrl, set: values })
        .run();
    },
  };
}
