/**
 * The clinic server in-process on a free loopback port, with a memory logger (to assert what is
 * and is not logged) and any clock, plus small HTTP helpers that do not follow redirects — the
 * tests look at each 303 and Set-Cookie themselves.
 */
import { manualClock, type Clock } from '../../../electron/services/clock';
import { memoryLogger } from '../../../electron/services/logger';
import { loadConfig } from '../../src/config';
import { createClinicServer } from '../../src/app';
import type { Sql } from '../../src/db/sql';
import type { PacsImageSource } from '../../src/pacs/pacs-images';
import { enrolDesk } from '../../src/records/desks';
import type { WireRecord } from './fixtures';

export interface TestServer {
  url: string;
  logger: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

export async function startTestServer(o: { sql: Sql; pacs?: PacsImageSource | null; clock?: Clock; env?: Record<string, string> }): Promise<TestServer> {
  const logger = memoryLogger();
  const config = loadConfig({ PORT: '0', ...o.env });
  const app = createClinicServer({ config, sql: o.sql, pacs: o.pacs ?? null, clock: o.clock ?? manualClock(), logger });
  const url = await app.listen();
  return { url, logger, close: () => app.close() };
}

export async function enrol(sql: Sql, name = `Bàn ${Math.floor(performance.now() * 1000)}`): Promise<string> {
  return (await enrolDesk(sql, manualClock(), name)).apiKey;
}

export async function postRecords(url: string, apiKey: string, records: readonly WireRecord[]): Promise<{ status: number; body: { results?: { id: string; status: string; error?: string }[]; error?: { code: string } } }> {
  const res = await fetch(`${url}/api/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ records }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

export interface Got {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
}

export async function get(url: string, opts: { cookie?: string; method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Got> {
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    redirect: 'manual',
    headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, text: body.toString('utf8') };
}

/** Opens `/r/{token}`; returns the `name=value` of the session cookie it set (or null) and the response. */
export async function openToken(url: string, token: string): Promise<{ cookie: string | null; res: Got }> {
  const res = await get(`${url}/r/${token}`);
  const set = res.headers.getSetCookie().find((c) => /^(__Host-)?kq=/.test(c));
  return { cookie: set ? (set.split(';')[0] as string) : null, res };
}

export async function postForm(url: string, cookie: string, form: Record<string, string>): Promise<Got> {
  return get(url, { method: 'POST', cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
}

/** The opaque image ids on a result page, in order. */
export function imageIds(html: string): string[] {
  return [...html.matchAll(/<img src="\/result\/img\/([A-Za-z0-9_-]{22})"/g)].map((m) => m[1] as string);
}
