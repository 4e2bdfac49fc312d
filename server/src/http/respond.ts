/**
 * Every response leaves through here with the same protective headers: nothing is cached or sent
 * on as a Referer (the result URL must not leak), no framing, no sniffing, and a CSP that allows
 * only this origin's own files — no inline script, no third-party anything.
 */
import type { ServerResponse } from 'node:http';
import type { SafeHtml } from './html';

export const CSP = [
  "default-src 'none'",
  "img-src 'self'",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface SecurityOptions {
  /** HSTS only makes sense (and is only honoured) over https. */
  readonly hsts: boolean;
  /** Extra CSP sources, e.g. hashes of a printable report's inline styles. */
  readonly csp?: string;
}

export function securityHeaders(res: ServerResponse, o: SecurityOptions): void {
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
  res.setHeader('Content-Security-Policy', o.csp ?? CSP);
  res.setHeader('Cache-Control', 'no-store');
  if (o.hsts) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
}

export function sendHtml(res: ServerResponse, status: number, page: SafeHtml, headers: Record<string, string | string[]> = {}): void {
  const body = Buffer.from(page.value, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

/** 303 See Other: after a POST or a token exchange, the browser GETs the new, token-free URL. */
export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(303, { ...headers, Location: location, 'Content-Length': 0 });
  res.end();
}
