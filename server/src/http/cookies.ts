/** Reading the Cookie header and writing Set-Cookie (RFC 6265 §4.1, §5.2). */
import type { IncomingMessage } from 'node:http';

export function readCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  const header = req.headers.cookie;
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    // First one wins: a cookie injected for a wider path or domain comes later (RFC 6265 §5.4).
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  readonly httpOnly?: boolean;
  readonly secure: boolean;
  readonly sameSite: 'Strict' | 'Lax';
  readonly path?: string;
  /** Seconds; omitted → a browser-session cookie. 0 → delete. */
  readonly maxAge?: number;
}

export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [`${name}=${value}`, `Path=${o.path ?? '/'}`, `SameSite=${o.sameSite}`];
  if (o.httpOnly !== false) parts.push('HttpOnly');
  if (o.secure) parts.push('Secure');
  if (o.maxAge !== undefined) parts.push(`Max-Age=${o.maxAge}`);
  return parts.join('; ');
}

/**
 * `__Host-` cookies (RFC 6265bis §4.1.3.2) cannot be set by a sibling subdomain or over http; the
 * prefix requires Secure, so plain-http loopback (tests) uses the bare name.
 */
export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}
