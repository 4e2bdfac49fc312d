/**
 * The patient's routes. Only `/r/{token}` ever sees a token: it is exchanged at once for a session
 * cookie and the browser is sent (303) to `/result`, so the token leaves the address bar, the
 * history's later entries, and every Referer. Image URLs carry opaque per-session ids, never UIDs.
 *
 *   GET  /r/{token}          → 303 /result + cookie   |  404 "cannot be opened" (unknown/expired/revoked)
 *   GET  /result             → result / birth-year form / locked / "đang cập nhật"
 *   POST /result/verify      → 303 /result, or the form again with attempts left
 *   GET  /result/img/{id}    → progressive JPEG (?size=full, ?download=1)
 *   GET  /result/dicom.zip   → the study's DICOM files, streamed as a ZIP
 */
import type { Clock } from '../../../electron/services/clock';
import type { Logger } from '../../../electron/services/logger';
import { formatDateVN } from '../../../shared/film-dates';
import { readCookies, serializeCookie, cookieName } from '../http/cookies';
import { readForm } from '../http/body';
import { redirect, sendHtml } from '../http/respond';
import { route, type RequestContext, type Route } from '../http/router';
import type { RateLimiter } from '../http/rate-limit';
import type { StaticAssets } from '../http/static-assets';
import { hashPrefix } from '../security/secrets';
import { PacsError, type PacsImageSource } from '../pacs/pacs-images';
import { LANG_COOKIE, TEXTS, parseLang } from './i18n';
import { maskName } from './mask-name';
import { askBirthYearPage, errorPage, homePage, invalidPage, lockedPage, pendingPage, resultPage, tooManyPage, type PageFrame } from './pages';
import { LOCK_MS, type ResultAccess, type SessionView } from './result-access';
import type { JpegCache } from './jpeg-cache';
import type { ProgressiveJpeg } from '../pacs/progressive-jpeg';
import { streamStudiesZip } from './study-zip';

/** Page images are sized for a phone screen (CSS 390 px × DPR up to ~2.6); full size on demand. */
export const SCREEN_VIEWPORT = 1024;

export interface ResultRoutesDeps {
  access: ResultAccess;
  pacs: PacsImageSource | null;
  jpegCache: JpegCache;
  /** Every JPEG a phone gets (page, full screen, download) goes through it. */
  progressive: ProgressiveJpeg;
  limiter: RateLimiter;
  assets: StaticAssets;
  clock: Clock;
  logger: Logger;
  secureCookies: boolean;
}

export function resultRoutes(d: ResultRoutesDeps): Route[] {
  const SESSION = cookieName('kq', d.secureCookies);
  const frame = (ctx: RequestContext, here: string, clinicName?: string): PageFrame => ({
    lang: parseLang(readCookies(ctx.req).get(LANG_COOKIE)),
    assets: d.assets,
    here,
    ...(clinicName ? { clinicName } : {}),
  });

  const limited = (ctx: RequestContext): boolean => {
    if (d.limiter.take(ctx.ip)) return false;
    ctx.logFields.limited = true;
    sendHtml(ctx.res, 429, tooManyPage(frame(ctx, '/')), { 'Retry-After': String(Math.max(1, d.limiter.retryAfter(ctx.ip))) });
    return true;
  };

  /** The session behind the cookie, or the "cannot be opened" page (same status as a bad token). */
  const sessionOr404 = async (ctx: RequestContext): Promise<SessionView | null> => {
    const s = await d.access.session(readCookies(ctx.req).get(SESSION));
    if (!s) {
      sendHtml(ctx.res, 404, invalidPage(frame(ctx, '/')));
      return null;
    }
    ctx.logFields.tok = hashPrefix(s.slip.tokenHash);
    return s;
  };

  const summary = (s: SessionView, lang: 'vi' | 'en') => ({
    maskedName: maskName(s.slip.patientName),
    birthYear: s.slip.birthYear,
    exams: s.slip.exams.length > 0 ? s.slip.exams : [TEXTS[lang].title],
    date: formatDateVN(s.slip.issuedAt),
  });

  return [
    route('GET', '/', /^\/$/, (ctx) => sendHtml(ctx.res, 200, homePage(frame(ctx, '/')))),

    route('GET', '/r/:token', /^\/r\/([^/]*)$/, async (ctx) => {
      if (limited(ctx)) return;
      const token = ctx.params[0] ?? '';
      const sessionId = await d.access.exchangeToken(token.length <= 256 ? token : token.slice(0, 256));
      if (!sessionId) {
        sendHtml(ctx.res, 404, invalidPage(frame(ctx, '/')));
        return;
      }
      ctx.logFields.exchanged = true;
      redirect(ctx.res, '/result', { 'Set-Cookie': serializeCookie(SESSION, sessionId, { secure: d.secureCookies, sameSite: 'Strict', httpOnly: true }) });
    }),

    route('GET', '/result', /^\/result$/, async (ctx) => {
      const s = await sessionOr404(ctx);
      if (!s) return;
      const f = frame(ctx, '/result', s.slip.clinicName);
      if (!s.verified) {
        if (s.slip.lockedUntil) return sendHtml(ctx.res, 200, lockedPage(f, Math.ceil((s.slip.lockedUntil - d.clock.now()) / 60_000)));
        return sendHtml(ctx.res, 200, askBirthYearPage(f, null));
      }
      const images = await d.access.images(s);
      if (!images) {
        await d.access.log(s, 'pending-view');
        return sendHtml(ctx.res, 200, pendingPage(f, summary(s, f.lang)));
      }
      await d.access.log(s, 'page-view', { images: images.length });
      sendHtml(ctx.res, 200, resultPage(f, { ...summary(s, f.lang), images }));
    }),

    route('POST', '/result/verify', /^\/result\/verify$/, async (ctx) => {
      if (limited(ctx)) return;
      const s = await sessionOr404(ctx);
      if (!s) return;
      if (s.verified) return redirect(ctx.res, '/result');
      const f = frame(ctx, '/result', s.slip.clinicName);
      const answer = (await readForm(ctx.req)).get('birthYear') ?? '';
      const outcome = await d.access.answerBirthYear(s, answer);
      ctx.logFields.birthYear = outcome.kind;
      if (outcome.kind === 'ok') return redirect(ctx.res, '/result');
      if (outcome.kind === 'locked') return sendHtml(ctx.res, 200, lockedPage(f, Math.ceil((outcome.until - d.clock.now()) / 60_000) || LOCK_MS / 60_000));
      sendHtml(ctx.res, 200, askBirthYearPage(f, TEXTS[f.lang].askWrong(outcome.attemptsLeft)));
    }),

    route('GET', '/result/img/:id', /^\/result\/img\/([A-Za-z0-9_-]{22})$/, async (ctx) => {
      const found = await d.access.sessionImage(readCookies(ctx.req).get(SESSION), ctx.params[0] as string);
      if (found) ctx.logFields.tok = hashPrefix(found.session.slip.tokenHash);
      const img = found?.session.verified ? found.image : null;
      if (!found || !img || !d.pacs) return sendHtml(ctx.res, 404, invalidPage(frame(ctx, '/')));
      const s = found.session;
      const full = ctx.url.searchParams.get('size') === 'full';
      const download = ctx.url.searchParams.get('download') === '1';
      const viewport = full || download ? null : SCREEN_VIEWPORT;
      const key = `${img.instanceUID}|${viewport ?? 'full'}`;
      // The cache holds what phones get: the progressive bytes (a baseline fallback only when it is
      // not a passing failure, so a timed-out conversion is tried again next time).
      let bytes = d.jpegCache.get(key);
      if (!bytes) {
        let baseline: Buffer;
        try {
          baseline = (await d.pacs.rendered(img, viewport)).bytes;
        } catch (e) {
          if (!(e instanceof PacsError)) throw e;
          d.logger.warn('PACS render failed', { tok: hashPrefix(s.slip.tokenHash), error: e.message });
          return sendHtml(ctx.res, 503, errorPage(frame(ctx, '/result')), { 'Retry-After': '30' });
        }
        const converted = await d.progressive.convert(baseline);
        bytes = converted.bytes;
        ctx.logFields.progressive = converted.progressive;
        if (!converted.transient) d.jpegCache.set(key, bytes);
      }
      await d.access.log(s, download ? 'image-download' : 'image-view', { image: ctx.params[0] as string, size: viewport ?? 'full' });
      ctx.res.writeHead(200, {
        'Content-Type': 'image/jpeg',
        'Content-Length': bytes.length,
        'Content-Disposition': download ? `attachment; filename="xquang-${(ctx.params[0] as string).slice(0, 6)}.jpg"` : 'inline',
      });
      ctx.res.end(ctx.req.method === 'HEAD' ? undefined : bytes);
    }),

    route('GET', '/result/dicom.zip', /^\/result\/dicom\.zip$/, async (ctx) => {
      const s = await sessionOr404(ctx);
      if (!s) return;
      if (!s.verified || !d.pacs || s.slip.studyUIDs.length === 0) return sendHtml(ctx.res, 404, invalidPage(frame(ctx, '/')));
      await d.access.log(s, 'dicom-download');
      try {
        const files = await streamStudiesZip(ctx.res, d.pacs, s.slip.studyUIDs, d.clock, {});
        ctx.logFields.files = files;
      } catch (e) {
        if (!ctx.res.headersSent) {
          d.logger.warn('PACS study retrieve failed', { tok: hashPrefix(s.slip.tokenHash), error: (e as Error).message });
          return sendHtml(ctx.res, 503, errorPage(frame(ctx, '/result')), { 'Retry-After': '30' });
        }
        ctx.logFields.aborted = true;
        ctx.res.destroy();
      }
    }),

    route('GET', '/lang/:code', /^\/lang\/(vi|en)$/, (ctx) => {
      const next = ctx.url.searchParams.get('next') ?? '/';
      // Only our own token-free pages: never an open redirect, never back to /r/.
      const safe = /^\/(result|admin(\/[a-z-]*)?)?$/.test(next) ? next : '/';
      redirect(ctx.res, safe, { 'Set-Cookie': serializeCookie(LANG_COOKIE, ctx.params[0] as string, { secure: d.secureCookies, sameSite: 'Strict', maxAge: 365 * 86400 }) });
    }),

    route('GET', '/static/:name', /^\/static\/([a-z]+\.(?:css|js))$/, (ctx) => {
      const a = d.assets.get(ctx.params[0] as string);
      if (!a) return sendHtml(ctx.res, 404, invalidPage(frame(ctx, '/')));
      d.assets.send(ctx.res, a, ctx.req.headers['if-none-match']);
    }),
  ];
}
