/**
 * Admin routes, all behind an admin session; every form posts its CSRF secret back (the
 * SameSite=Strict cookie already keeps other sites out — this is the second lock). Revoking a
 * token and enrolling a desk are written to the server's audit table.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../../electron/services/clock';
import type { Logger } from '../../../electron/services/logger';
import { isIsoDate, localDate, localDayRange } from '../../../shared/film-dates';
import { buildFilmReport } from '../../../electron/services/film/film-report';
import { filmCsv } from '../../../electron/services/film/film-csv';
import { filmSummaryHtml } from '../../../electron/services/film/film-summary-html';
import type { Sql } from '../db/sql';
import { readForm } from '../http/body';
import { cookieName, readCookies, serializeCookie } from '../http/cookies';
import { html, SafeHtml } from '../http/html';
import { CSP, redirect, sendHtml, sendText } from '../http/respond';
import { route, type RequestContext, type Route } from '../http/router';
import type { RateLimiter } from '../http/rate-limit';
import type { StaticAssets } from '../http/static-assets';
import { hashPrefix, sha256Hex } from '../security/secrets';
import { enrolDesk, listDesks, DeskNameTaken } from '../records/desks';
import { revokeByAdmin } from '../records/revocation-feed';
import { loadFilmRecords } from './film-register-source';
import { adminLogin, adminLogout, adminSession, csrfOk, type AdminSession } from './admin-auth';
import { accessPage, desksPage, filmPage, loginPage, overviewPage, revocationsPage, slipsPage, type AdminFrame, type SlipListItem } from './admin-pages';

export interface AdminRoutesDeps {
  sql: Sql;
  clock: Clock;
  logger: Logger;
  assets: StaticAssets;
  secureCookies: boolean;
  loginLimiter: RateLimiter;
}

const DAY = 86_400_000;

export function adminRoutes(d: AdminRoutesDeps): Route[] {
  const COOKIE = cookieName('adm', d.secureCookies);
  const frame = (user: AdminSession | null): AdminFrame => ({ assets: d.assets, user });

  const audit = (actor: string, action: string, detail: Record<string, unknown>) =>
    d.sql.query('INSERT INTO server_audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)', [d.clock.now(), actor, action, JSON.stringify(detail)]);

  /** Runs `fn` with the admin session, or sends the browser to the login page. */
  const authed =
    (fn: (ctx: RequestContext, s: AdminSession) => Promise<void>, opts: { post?: boolean } = {}) =>
    async (ctx: RequestContext) => {
      const s = await adminSession(d.sql, d.clock, readCookies(ctx.req).get(COOKIE));
      if (!s) return redirect(ctx.res, '/admin/login');
      ctx.logFields.admin = s.username;
      if (opts.post) {
        const form = await readForm(ctx.req);
        if (!csrfOk(s, form.get('csrf'))) return sendText(ctx.res, 403, 'CSRF check failed');
        (ctx as RequestContext & { form?: Map<string, string> }).form = form;
      }
      await fn(ctx, s);
    };
  const formOf = (ctx: RequestContext) => (ctx as RequestContext & { form?: Map<string, string> }).form ?? new Map<string, string>();

  const range = (ctx: RequestContext): { from: string; to: string; error: string | null } => {
    const today = localDate(d.clock.now());
    const from = ctx.url.searchParams.get('from') ?? `${today.slice(0, 8)}01`;
    const to = ctx.url.searchParams.get('to') ?? today;
    if (!isIsoDate(from) || !isIsoDate(to)) return { from: `${today.slice(0, 8)}01`, to: today, error: 'Ngày cần dạng YYYY-MM-DD / Dates must be YYYY-MM-DD' };
    if (from > to) return { from: to, to, error: 'Ngày bắt đầu sau ngày kết thúc / Start after end' };
    return { from, to, error: null };
  };

  const filmData = async (from: string, to: string) => {
    const { start, end } = localDayRange(from, to);
    const records = await loadFilmRecords(d.sql, start, end);
    return { records, report: buildFilmReport(from, to, records) };
  };

  const slipRows = async (q: string): Promise<SlipListItem[]> => {
    const rows = await d.sql.query<{
      token_hash: string; issued_at: number; expires_at: number; desk: string; visit_number: string; lookup_code: string;
      patient_name: string; exams: string[]; revoked_at: number | null; views: number; downloads: number;
    }>(
      `SELECT s.token_hash, s.issued_at, s.expires_at, d.name AS desk, s.visit_number, s.lookup_code, s.patient_name, s.exams,
              r.revoked_at,
              (SELECT count(*)::int FROM access_log a WHERE a.token_hash = s.token_hash AND a.event = 'page-view') AS views,
              (SELECT count(*)::int FROM access_log a WHERE a.token_hash = s.token_hash AND a.event IN ('image-download', 'dicom-download')) AS downloads
         FROM slips s JOIN desks d ON d.id = s.desk_id LEFT JOIN token_revocations r ON r.token_hash = s.token_hash
        WHERE $1 = '' OR s.visit_number = $1 OR replace(s.lookup_code, '-', '') = replace($1, '-', '')
        ORDER BY s.issued_at DESC LIMIT 200`,
      [q.trim()],
    );
    return rows.map((r) => ({
      tokenHash: r.token_hash, issuedAt: r.issued_at, expiresAt: r.expires_at, desk: r.desk, visitNumber: r.visit_number, lookupCode: r.lookup_code,
      patientName: r.patient_name, exams: r.exams, revokedAt: r.revoked_at, views: r.views, downloads: r.downloads,
    }));
  };

  return [
    route('GET', '/admin/login', /^\/admin\/login$/, (ctx) => sendHtml(ctx.res, 200, loginPage(frame(null), null))),

    route('POST', '/admin/login', /^\/admin\/login$/, async (ctx) => {
      if (!d.loginLimiter.take(ctx.ip)) return sendHtml(ctx.res, 429, loginPage(frame(null), 'Quá nhiều lần thử / Too many attempts'), { 'Retry-After': '60' });
      const form = await readForm(ctx.req);
      const username = form.get('username') ?? '';
      const id = await adminLogin(d.sql, d.clock, username, form.get('password') ?? '');
      await audit(username.slice(0, 64) || '(empty)', id ? 'admin-login' : 'admin-login-failed', {});
      if (!id) return sendHtml(ctx.res, 401, loginPage(frame(null), 'Sai tên đăng nhập hoặc mật khẩu / Wrong user or password'));
      redirect(ctx.res, '/admin', { 'Set-Cookie': serializeCookie(COOKIE, id, { secure: d.secureCookies, sameSite: 'Strict' }) });
    }),

    route('POST', '/admin/logout', /^\/admin\/logout$/, authed(async (ctx, s) => {
      await adminLogout(d.sql, s);
      redirect(ctx.res, '/admin/login', { 'Set-Cookie': serializeCookie(COOKIE, '', { secure: d.secureCookies, sameSite: 'Strict', maxAge: 0 }) });
    }, { post: true })),

    route('GET', '/admin', /^\/admin\/?$/, authed(async (ctx, s) => {
      const since = d.clock.now() - 30 * DAY;
      const [row] = await d.sql.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM desks) AS desks,
                (SELECT count(*)::int FROM slips WHERE issued_at >= $1) AS slips,
                (SELECT count(*)::int FROM token_revocations WHERE revoked_at >= $1) AS revoked,
                (SELECT count(*)::int FROM access_log WHERE at >= $1 AND event = 'page-view') AS views,
                (SELECT count(*)::int FROM access_log WHERE at >= $1 AND event IN ('image-download', 'dicom-download')) AS downloads,
                (SELECT count(*)::int FROM film_exceptions WHERE recorded_at >= $1) AS film,
                (SELECT count(*)::int FROM server_audit WHERE at >= $1 AND action = 'birth-year-lock') AS locks`,
        [since],
      );
      const n = (k: string) => row?.[k] ?? 0;
      sendHtml(ctx.res, 200, overviewPage(frame(s), { desks: n('desks'), slips30d: n('slips'), revoked30d: n('revoked'), views30d: n('views'), downloads30d: n('downloads'), film30d: n('film'), locks30d: n('locks') }));
    })),

    route('GET', '/admin/film', /^\/admin\/film$/, authed(async (ctx, s) => {
      const { from, to, error } = range(ctx);
      const { records, report } = await filmData(from, to);
      sendHtml(ctx.res, 200, filmPage(frame(s), from, to, report, records, error));
    })),

    route('GET', '/admin/film.csv', /^\/admin\/film\.csv$/, authed(async (ctx) => {
      const { from, to } = range(ctx);
      const { records } = await filmData(from, to);
      const body = Buffer.from(filmCsv(records), 'utf8');
      ctx.res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="phim-cung-${from}-${to}.csv"`, 'Content-Length': body.length });
      ctx.res.end(body);
    })),

    route('GET', '/admin/film/summary', /^\/admin\/film\/summary$/, authed(async (ctx) => {
      const { from, to } = range(ctx);
      const { report } = await filmData(from, to);
      const [clinic] = await d.sql.query<{ clinic_name: string }>('SELECT clinic_name FROM slips ORDER BY issued_at DESC LIMIT 1');
      const doc = filmSummaryHtml(report, { lang: 'vi', clinicName: process.env.CLINIC_NAME ?? clinic?.clinic_name ?? '', now: d.clock.now() });
      // The printable summary is one self-contained document with inline <style>: allow exactly those styles by hash.
      const hashes = [...doc.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1] as string).digest('base64')}'`);
      ctx.res.setHeader('Content-Security-Policy', CSP.replace("style-src 'self'", `style-src 'self' ${hashes.join(' ')}`));
      sendHtml(ctx.res, 200, new SafeHtml(doc));
    })),

    route('GET', '/admin/slips', /^\/admin\/slips$/, authed(async (ctx, s) => {
      const q = (ctx.url.searchParams.get('q') ?? '').slice(0, 64);
      sendHtml(ctx.res, 200, slipsPage(frame(s), await slipRows(q), d.clock.now(), q, null));
    })),

    route('POST', '/admin/slips/revoke', /^\/admin\/slips\/revoke$/, authed(async (ctx, s) => {
      const form = formOf(ctx);
      const reason = (form.get('reason') ?? '').trim().slice(0, 200);
      let tokenHash = form.get('tokenHash') ?? '';
      const link = (form.get('link') ?? '').trim();
      if (!tokenHash && link) {
        const m = /\/r\/([A-Za-z0-9_-]{10,256})\/?$/.exec(link) ?? /^([A-Za-z0-9_-]{10,256})$/.exec(link);
        tokenHash = m ? sha256Hex(m[1] as string) : '';
      }
      const known = /^[0-9a-f]{64}$/.test(tokenHash) ? await d.sql.query('SELECT 1 FROM slips WHERE token_hash = $1', [tokenHash]) : [];
      let notice;
      if (!reason || known.length === 0) {
        notice = html`<p class="error">Không tìm thấy phiếu hoặc thiếu lý do / Slip not found or reason missing</p>`;
      } else {
        // Numbered for the desk that issued the slip, which pulls it (records/revocation-feed.ts).
        await revokeByAdmin(d.sql, { tokenHash, at: d.clock.now(), reason, actor: s.username });
        await audit(s.username, 'admin-revoke', { tok: hashPrefix(tokenHash) });
        d.logger.info('token revoked by admin', { tok: hashPrefix(tokenHash), admin: s.username });
        notice = html`<p class="ok">Đã thu hồi / Revoked <code>${hashPrefix(tokenHash)}</code></p>`;
      }
      sendHtml(ctx.res, 200, slipsPage(frame(s), await slipRows(''), d.clock.now(), '', notice));
    }, { post: true })),

    route('GET', '/admin/revocations', /^\/admin\/revocations$/, authed(async (ctx, s) => {
      const rows = await d.sql.query<{ token_hash: string; revoked_at: number; reason: string; source: string; actor: string; visit_number: string | null }>(
        `SELECT r.token_hash, r.revoked_at, r.reason, r.source, COALESCE(d.name, r.actor) AS actor, s.visit_number
           FROM token_revocations r LEFT JOIN slips s ON s.token_hash = r.token_hash LEFT JOIN desks d ON d.id = r.actor
          ORDER BY r.revoked_at DESC LIMIT 500`,
      );
      sendHtml(ctx.res, 200, revocationsPage(frame(s), rows.map((r) => ({ tokenHash: r.token_hash, revokedAt: r.revoked_at, reason: r.reason, source: r.source, actor: r.actor, visitNumber: r.visit_number }))));
    })),

    route('GET', '/admin/access', /^\/admin\/access$/, authed(async (ctx, s) => {
      const rows = await d.sql.query<{ at: number; token_hash: string; event: string }>('SELECT at, token_hash, event FROM access_log ORDER BY id DESC LIMIT 500');
      sendHtml(ctx.res, 200, accessPage(frame(s), rows.map((r) => ({ at: r.at, tokenHash: r.token_hash, event: r.event }))));
    })),

    route('GET', '/admin/desks', /^\/admin\/desks$/, authed(async (ctx, s) => {
      sendHtml(ctx.res, 200, desksPage(frame(s), await listDesks(d.sql), null, null));
    })),

    route('POST', '/admin/desks', /^\/admin\/desks$/, authed(async (ctx, s) => {
      const name = (formOf(ctx).get('name') ?? '').trim();
      try {
        const desk = await enrolDesk(d.sql, d.clock, name);
        await audit(s.username, 'desk-enrolled', { desk: desk.id, name: desk.name });
        sendHtml(ctx.res, 200, desksPage(frame(s), await listDesks(d.sql), { name: desk.name, apiKey: desk.apiKey }, null));
      } catch (e) {
        if (!(e instanceof DeskNameTaken) && !(e instanceof Error && e.message.startsWith('desk name'))) throw e;
        sendHtml(ctx.res, 200, desksPage(frame(s), await listDesks(d.sql), null, e.message));
      }
    }, { post: true })),
  ];
}

