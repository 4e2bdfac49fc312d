/**
 * Result-link tokens and lookup codes.
 *
 * The link is `${portal.baseUrl}/r/${token}` and the token is 16 bytes (128 bits) from the
 * operating system's CSPRNG, base64url without padding (22 characters): nothing about the
 * patient, the study or the date is in it, and it cannot be guessed. The desk and the server keep
 * only its SHA-256; the raw token lives in memory just long enough to draw the QR.
 *
 * The lookup code is a separate random draw, so knowing it reveals nothing about the token.
 */
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_BYTES = 16;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** SHA-256 of the token's text, lowercase hex: what the desk stores and the server looks up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 32 symbols without 0/O and 1/I, so a code read aloud or typed from paper survives. */
export const LOOKUP_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const LOOKUP_LENGTH = 8;

/** 8 symbols × 5 bits = 40 random bits; 256 is a multiple of 32, so `byte & 31` has no bias. */
export function newLookupCode(): string {
  const bytes = randomBytes(LOOKUP_LENGTH);
  let code = '';
  for (const b of bytes) code += LOOKUP_ALPHABET[b & 31];
  return code;
}

/** `ABCD2345` → `ABCD-2345`, as printed. */
export function formatLookupCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function resultUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/r/${token}`;
}
