/**
 * The client address used for rate limiting. Behind the clinic's HTTPS reverse proxy every request
 * comes from the proxy, so with TRUST_PROXY=1 the last X-Forwarded-For hop (the one the proxy
 * appended) is taken; without it the header is ignored, since any client can send one.
 */
import type { IncomingMessage } from 'node:http';

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const value = Array.isArray(xff) ? xff[xff.length - 1] : xff;
    const last = value?.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
