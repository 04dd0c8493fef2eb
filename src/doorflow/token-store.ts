/**
 * Where DoorFlow OAuth tokens live between runs. The database implementation
 * (src/db/repositories/doorflow-tokens.ts) encrypts both tokens at rest. Both calls are
 * synchronous because better-sqlite3 is, which keeps "save the rotated pair" one atomic write.
 */
export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token stops working (UTC instant). */
  expiresAt: Date;
  scope?: string | null;
}

export interface TokenStore {
  load(): StoredTokens | null;
  /** Replaces the stored pair in one transaction: a crash leaves either the old or the new pair. */
  save(tokens: StoredTokens): void;
}
