/**
 * Random secrets and their hashes. Tokens, session ids, API keys and image ids all come from
 * crypto.randomBytes; only their SHA-256 is ever stored, so a copy of the database opens nothing.
 * High-entropy secrets need no slow hash; people's passwords do (passwords.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}

/** `bytes` random bytes as base64url (16 → 22 characters, 32 → 43). */
export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}

/** A desk API key: a recognisable prefix and 256 random bits. */
export function newApiKey(): string {
  return `rdk_${randomId(32)}`;
}

/** What logs and the admin pages show of a token hash: enough to correlate, useless to open anything. */
export function hashPrefix(hash: string): string {
  return hash.slice(0, 8);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
