import { createHash, randomBytes } from "node:crypto";

/**
 * A small seeded generator (mulberry32). Fault probabilities and generated PINs draw from it, so
 * a test run repeats exactly; pass `random` in the options to script the draws instead.
 */
export function seededRandom(seed = 0x5eed_d00f): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const HASHID_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A DoorFlow-style hashid for a sequence number: stable, opaque, never a plain integer. */
export function hashid(n: number): string {
  const digest = createHash("sha256").update(`credential:${n}`).digest();
  let out = "";
  for (let i = 0; i < 10; i++) out += HASHID_ALPHABET[(digest[i] ?? 0) % HASHID_ALPHABET.length];
  return out;
}

/** An unguessable secret for OAuth codes and tokens (these must not repeat across runs). */
export function secretToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}
