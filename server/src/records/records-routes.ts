/**
 * The desks' API. `POST /api/records` takes a batch (shared/records.ts) with the desk's API key as a
 * bearer token and answers per record; `GET /api/revocations?after=N` gives the desk the admin
 * revocations of its own slips after its cursor; `GET /api/whoami` lets a desk test its URL and key.
 * Errors use the contract's error shape (code + Vietnamese/English message).
 */
import { DeskError } from '../../../shared/errors';
import { recordsBatchSchema, MAX_RECORDS_PER_BATCH, MAX_REVOCATIONS_PER_PAGE, type RecordsResponse } from '../../../shared/records';
import type { Sql } from '../db/sql';
import { readBody } from '../http/body';
import { sendJson } from '../http/respond';
import { route, type RequestContext, type Route } from '../http/router';
import { authenticateDesk, type Desk } from './desks';
import { deskRevocationsAfter } from './revocation-feed';
import type { RecordsStore } from './records-store';

/** 200 records of a few kilobytes each, with room to spare. */
const MAX_BODY = 8 * 1024 * 1024;

const fail = (ctx: RequestContext, status: number, err: DeskError) => sendJson(ctx.res, status, { error: err.toShape() });

export function recordsRoutes({ sql, store }: { sql: Sql; store: RecordsStore }): Route[] {
  const desk = async (ctx: RequestContext): Promise<Desk | null> => {
    const d = await authenticateDesk(sql, ctx.req.headers.authorization);
    if (!d) {
      fail(ctx, 401, new DeskError('UNAUTHORIZED'));
      return null;
    }
    ctx.logFields.desk = d.id;
    return d;
  };

  return [
    route('GET', '/api/health', /^\/api\/health$/, (ctx) => sendJson(ctx.res, 200, { ok: true })),

    route('GET', '/api/whoami', /^\/api\/whoami$/, async (ctx) => {
      const d = await desk(ctx);
      if (d) sendJson(ctx.res, 200, { desk: d });
    }),

    route('GET', '/api/revocations', /^\/api\/revocations$/, async (ctx) => {
      const d = await desk(ctx);
      if (!d) return;
      const after = ctx.url.searchParams.get('after') ?? '0';
      const limit = ctx.url.searchParams.get('limit') ?? String(MAX_REVOCATIONS_PER_PAGE);
      if (!/^\d{1,15}$/.test(after)) return fail(ctx, 400, new DeskError('VALIDATION', { field: 'after', detail: 'a revocation number ≥ 0' }, { field: 'after' }));
      if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_REVOCATIONS_PER_PAGE) {
        return fail(ctx, 400, new DeskError('VALIDATION', { field: 'limit', detail: `1–${MAX_REVOCATIONS_PER_PAGE}` }, { field: 'limit' }));
      }
      const feed = await deskRevocationsAfter(sql, d.id, Number(after), Number(limit));
      ctx.logFields.revocations = feed.revocations.length;
      sendJson(ctx.res, 200, feed);
    }),

    route('POST', '/api/records', /^\/api\/records$/, async (ctx) => {
      const d = await desk(ctx);
      if (!d) return;
      if (!/^application\/json\b/i.test(ctx.req.headers['content-type'] ?? '')) {
        return fail(ctx, 415, new DeskError('VALIDATION', { field: 'content-type', detail: 'application/json' }, { field: 'content-type' }));
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(ctx.req, MAX_BODY)).toString('utf8'));
      } catch (e) {
        if (e instanceof SyntaxError) return fail(ctx, 400, new DeskError('VALIDATION', { field: 'body', detail: 'not JSON' }, { field: 'body' }));
        throw e;
      }
      const batch = recordsBatchSchema.safeParse(body);
      if (!batch.success) {
        return fail(ctx, 400, new DeskError('VALIDATION', { field: 'records', detail: `1–${MAX_RECORDS_PER_BATCH} records` }, { field: 'records' }));
      }
      const results = await store.storeBatch(d.id, batch.data.records);
      ctx.logFields.records = results.length;
      const response: RecordsResponse = { results };
      sendJson(ctx.res, 200, response);
    }),
  ];
}
