/**
 * The clinic server assembled from its parts: one node:http server, the patient's result pages,
 * the desks' records API and the admin pages, over one store. Every request gets the same
 * protective headers and one log line naming its route pattern — never its path, which may carry
 * a token — plus the hash prefixes and ids the handler chose to add.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../electron/services/clock';
import { jsonLogger, type Logger } from '../../electron/services/logger';
import { DeskError } from '../../shared/errors';
import type { ServerConfig } from './config';
import type { Sql } from './db/sql';
import { BodyTooLarge } from './http/body';
import { clientIp } from './http/client-ip';
import { createRateLimiter } from './http/rate-limit';
import { sendHtml, sendJson, sendText, securityHeaders } from './http/respond';
import { matchRoute, type Route } from './http/router';
import { loadStaticAssets } from './http/static-assets';
import type { PacsImageSource } from './pacs/pacs-images';
import { createRecordsStore } from './records/records-store';
import { recordsRoutes } from './records/records-routes';
import { createResultAccess } from './result/result-access';
import { createJpegCache } from './result/jpeg-cache';
import { createProgressiveJpeg } from './pacs/progressive-jpeg';
import { resultRoutes } from './result/result-routes';
import { errorPage, invalidPage } from './result/pages';
import { adminRoutes } from './admin/admin-routes';

export interface ClinicServerDeps {
  config: ServerConfig;
  sql: Sql;
  pacs: PacsImageSource | null;
  clock?: Clock;
  logger?: Logger;
}

export interface ClinicServer {
  readonly server: Server;
  /** Starts listening on config host/port; resolves to the bound base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function createClinicServer(deps: ClinicServerDeps): ClinicServer {
  const { config, sql, pacs } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? jsonLogger(config.logLevel);
  const assets = loadStaticAssets();
  const access = createResultAccess({ sql, clock, logger, pacs, sessionTtlMs: config.sessionTtlMs });

  const routes: Route[] = [
    ...resultRoutes({
      access,
      pacs,
      jpegCache: createJpegCache(),
      progressive: createProgressiveJpeg({ path: config.jpegtranPath, logger }),
      limiter: createRateLimiter({ perMinute: config.resultRatePerMinute, clock }),
      assets,
      clock,
      logger,
      secureCookies: config.secureCookies,
    }),
    ...recordsRoutes({ sql, store: createRecordsStore({ sql, clock, logger }) }),
    ...adminRoutes({ sql, clock, logger, assets, secureCookies: config.secureCookies, loginLimiter: createRateLimiter({ perMinute: 10, clock }) }),
  ];
  const fallbackFrame = { lang: 'vi' as const, assets, here: '/' };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    securityHeaders(res, { hsts: config.secureCookies });
    let url: URL;
    try {
      // Origin-form paths only: an absolute-form or protocol-relative target is not ours to parse.
      if (!(req.url ?? '/').startsWith('/') || (req.url ?? '').startsWith('//')) throw new TypeError('bad target');
      url = new URL(req.url ?? '/', 'http://server.invalid');
    } catch {
      return sendText(res, 400, 'Bad Request');
    }
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    const label = match.route?.label ?? (url.pathname.startsWith('/api/') ? '/api/*' : 'unmatched');
    const logFields: Record<string, string | number | boolean | null> = {};
    res.on('finish', () =>
      logger.info('http', { method: req.method, route: label, status: res.statusCode, ms: Math.round(performance.now() - started), ...logFields }),
    );

    if (!match.route) {
      if (match.allowed.length > 0) return sendText(res, 405, 'Method Not Allowed', { Allow: [...new Set(match.allowed)].join(', ') });
      if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: new DeskError('NOT_FOUND', { what: 'API' }).toShape() });
      return sendHtml(res, 404, invalidPage(fallbackFrame));
    }
    try {
      await match.route.handler({ req, res, url, params: match.params, ip: clientIp(req, config.trustProxy), logFields });
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        if (!res.headersSent) sendText(res, 413, 'Payload Too Large', { Connection: 'close' });
        return;
      }
      // The message of an unexpected error names no URL or token (our errors never carry them).
      logger.error('request failed', { route: label, error: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : 'unknown' });
      if (res.headersSent) res.destroy();
      else if (url.pathname.startsWith('/api/')) sendJson(res, 500, { error: new DeskError('INTERNAL', { ref: Date.now().toString(36) }).toShape() });
      else sendHtml(res, 500, errorPage(fallbackFrame));
    }
  }

  const server = createServer({ requestTimeout: 120_000, headersTimeout: 20_000 }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      logger.error('request handler crashed', { error: e instanceof Error ? e.name : 'unknown' });
      if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  // A malformed request line is answered without logging what it contained.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const sweep = setInterval(() => {
    const now = clock.now();
    void sql.query('DELETE FROM result_sessions WHERE expires_at <= $1', [now]).catch(() => {});
    void sql.query('DELETE FROM admin_sessions WHERE expires_at <= $1', [now]).catch(() => {});
  }, 10 * 60_000);
  sweep.unref();

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          logger.info('clinic server listening', { host: a.address, port: a.port, store: sql.kind, pacs: pacs !== null });
          resolve(`http://${host}:${a.port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        clearInterval(sweep);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
