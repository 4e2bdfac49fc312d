/**
 * The loopback HTTP bridge: the same dispatch() as Electron IPC, for browser mode and tests.
 *
 *   POST /api/{method}   JSON in, {ok,value} | {ok:false,error} out; Bearer token or cookie
 *   GET  /api/events     Server-Sent Events of the desk's event hub
 *   GET  /?token=…       signs the browser in (HttpOnly cookie) and redirects to /
 *   GET  /*              the built renderer
 *
 * Bound to 127.0.0.1 only, with a fresh random token per run. The Host header must name the
 * loopback address, so a web page that rebinds a DNS name to 127.0.0.1 cannot use the desk.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Desk } from '../compose';
import type { Caller } from '../core/dispatch';
import type { ErrorCode } from '../../shared/errors';
import { DeskError } from '../../shared/errors';
import { BodyError, parseCookies, readJsonBody, sameSecret, sendJson } from './http-helpers';
import { serveStatic } from './static-files';
import { labelStyleHashes } from './annotation-label-styles';

export const COOKIE_NAME = 'desk_token';

/** An extra authenticated GET route, e.g. image bytes for the viewer. */
export interface BridgeRoute {
  match: RegExp;
  handle(req: IncomingMessage, res: ServerResponse, params: RegExpMatchArray, caller: Caller): Promise<void>;
}

export interface BridgeOptions {
  desk: Pick<Desk, 'dispatch' | 'events'>;
  port?: number;
  /** The built renderer (renderer/dist). Without it only the API is served. */
  staticDir?: string;
  routes?: readonly BridgeRoute[];
}

export interface Bridge {
  readonly url: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Content-Security-Policy of the renderer: nothing from outside, no eval (WASM decoders allowed);
 * `desk-image:` is the Electron app's own image protocol (electron/main/image-protocol.ts).
 * Style sheets only from the app; style attributes only the measurement labels' two exact values,
 * by hash (annotation-label-styles.ts says why). React's `style` props are CSSOM writes, which
 * CSP does not govern.
 */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; img-src 'self' data: blob: desk-image:; " +
  `style-src 'self'; style-src-attr 'unsafe-hashes' ${labelStyleHashes().join(' ')}; ` +
  "connect-src 'self' desk-image:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const PAGE_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  OPERATOR_REQUIRED: 401,
  PIN_REQUIRED: 401,
  PIN_WRONG: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  CONFLICT: 409,
  INTERNAL: 500,
};

/** Domain failures (PACS down, printer offline…) are answered 422: the request was understood. */
export function httpStatusFor(code: ErrorCode): number {
  return STATUS[code] ?? 422;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(32).toString('base64url');
  const sse = new Set<ServerResponse>();
  let port = 0;

  const authed = (req: IncomingMessage): boolean => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7), token)) return true;
    return sameSecret(parseCookies(req.headers.cookie).get(COOKIE_NAME), token);
  };
  const hostAllowed = (req: IncomingMessage) =>
    req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const callerOf = (req: IncomingMessage): Caller => ({
    operatorId: header(req, 'x-desk-operator'),
    session: header(req, 'x-desk-session'),
  });
  const unauthorized = (res: ServerResponse) =>
    sendJson(res, 401, { ok: false, error: new DeskError('UNAUTHORIZED').toShape() });

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: new DeskError('INTERNAL', { ref: 'bridge' }).toShape() });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req)) return sendJson(res, 421, { ok: false, error: new DeskError('FORBIDDEN').toShape() });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);

    if (url.pathname.startsWith('/api/')) {
      if (!authed(req)) return unauthorized(res);
      if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: new DeskError('UNKNOWN_METHOD', { method }).toShape() });
      let body: unknown;
      try {
        body = await readJsonBody(req);
      } catch (e) {
        if (!(e instanceof BodyError)) throw e;
        const err = new DeskError('VALIDATION', { field: '(body)', detail: e.message }, { field: '(body)' });
        return sendJson(res, 400, { ok: false, error: err.toShape() });
      }
      const result = await opts.desk.dispatch(method, body, callerOf(req));
      return sendJson(res, result.ok ? 200 : httpStatusFor(result.error.code), result);
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false });

    for (const route of opts.routes ?? []) {
      const m = url.pathname.match(route.match);
      if (m) {
        if (!authed(req)) return unauthorized(res);
        return route.handle(req, res, m, callerOf(req));
      }
    }

    const offered = url.searchParams.get('token');
    if (url.pathname === '/' && offered !== null) {
      if (!sameSecret(offered, token)) return sendPlain(res, 401, signInRequired);
      res.writeHead(303, {
        'Set-Cookie': `${COOKIE_NAME}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: '/',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      return void res.end();
    }
    if (!authed(req)) return sendPlain(res, 401, signInRequired);
    if (opts.staticDir && serveStatic(opts.staticDir, url.pathname, res, PAGE_HEADERS)) return;
    // Client-side routes live in the hash, so any other path is simply not there.
    sendPlain(res, 404, 'Không tìm thấy / Not found');
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    sse.add(res);
    res.on('close', () => sse.delete(res));
  }

  const unsubscribe = opts.desk.events.subscribe((name, payload) => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(frame);
  });
  // Keeps idle SSE connections open through proxies and lets the browser notice a dead desk.
  const heartbeat = setInterval(() => {
    for (const res of sse) res.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    port,
    async close() {
      unsubscribe();
      clearInterval(heartbeat);
      for (const res of sse) res.end();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

const signInRequired =
  'Cần đăng nhập: mở đường dẫn do "npm run web" in ra.\nSign-in required: open the link printed by "npm run web".\n';

function sendPlain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
