/**
 * The admin pages on a real PostgreSQL (PGlite when PostgreSQL is missing and not required):
 * sign-in, the film report rebuilt from the desks' records — computed by the desk's own report
 * function — slips with their view counts, revocation (with CSRF), desk enrolment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../electron/services/clock';
import { buildFilmReport } from '../../electron/services/film/film-report';
import { havePostgres, startPostgres, type PostgresHandle } from '../../test/support/postgres';
import { createPgSql } from '../src/db/pg-sql';
import { migrate } from '../src/db/migrate';
import { serverMigrations } from '../src/db/migrations';
import type { Sql } from '../src/db/sql';
import { setAdmin } from '../src/admin/admin-auth';
import { loadFilmRecords } from '../src/admin/film-register-source';
import { memorySql } from './support/memory-sql';
import { filmApproval, filmRecord, filmVoid, newToken, slipRecord, tokenHash } from './support/fixtures';
import { enrol, get, openToken, postForm, postRecords, startTestServer, type TestServer } from './support/test-server';

const NOW = Date.UTC(2026, 0, 20, 3, 0, 0);
const JAN = (d: number, h = 3) => Date.UTC(2026, 0, d, h, 0, 0);

describe('admin pages', () => {
  let sql: Sql;
  let pg: PostgresHandle | null = null;
  let server: TestServer;
  let key: string;
  let cookie: string;
  let csrf: string;

  beforeAll(async () => {
    // PostgreSQL when installed (a failure when missing under REQUIRE_REAL_PARTS=1), else PGlite.
    if (havePostgres()) {
      pg = await startPostgres();
      sql = createPgSql(await pg.createDatabase('admin_pages'));
      await migrate(sql, serverMigrations);
    } else {
      sql = await memorySql();
    }
    server = await startTestServer({ sql, clock: manualClock(NOW) });
    key = await enrol(sql, 'Bàn chụp 1');
    await setAdmin(sql, manualClock(NOW), 'khnv', 'mật khẩu rất dài');
  });
  afterAll(async () => {
    await server?.close();
    await sql?.close();
    await pg?.stop();
  });

  it('keeps everything behind the sign-in, and refuses a wrong password', async () => {
    for (const path of ['/admin', '/admin/film', '/admin/slips', '/admin/desks', '/admin/film.csv']) {
      const r = await get(`${server.url}${path}`);
      expect(r.status, path).toBe(303);
      expect(r.headers.get('location')).toBe('/admin/login');
    }
    const wrong = await get(`${server.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=khnv&password=wrong-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('signs in with the scrypt password and sets an HttpOnly SameSite=Strict cookie', async () => {
    const r = await get(`${server.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'khnv', password: 'mật khẩu rất dài' }).toString(),
    });
    expect(r.status).toBe(303);
    const set = r.headers.getSetCookie()[0] ?? '';
    expect(set).toMatch(/^adm=[A-Za-z0-9_-]{43}; Path=\/; SameSite=Strict; HttpOnly$/);
    cookie = set.split(';')[0] as string;
    const home = await get(`${server.url}/admin`, { cookie });
    expect(home.status).toBe(200);
    csrf = /name="csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? '';
    expect(csrf).not.toBe('');
  });

  it('shows the film report across desks exactly as the desk computes it', async () => {
    const c1 = filmRecord({ recordedAt: JAN(3), films: [{ size: '35x43', count: 2 }] });
    const c2 = filmRecord({ recordedAt: JAN(4), contractName: 'Công ty XYZ', contractNumber: 'HĐ-7' });
    const pr = filmRecord({
      recordedAt: JAN(5),
      case: 'PATIENT_REQUEST',
      contractName: null,
      contractNumber: null,
      requestReference: 'YC-12',
      chargeAcknowledged: true,
      films: [{ size: '24x30', count: 1 }],
      billing: { procedureCode: 'XQ01', serviceName: 'X-quang ngực', noFilmCode: 'XQ01-KP', noFilmPrice: 100_000, withFilmCode: 'XQ01-CP', withFilmPrice: 150_000 },
      technician: { id: 'op-2', name: 'Phạm Minh' },
    });
    const sp = filmRecord({ recordedAt: JAN(6), case: 'SPECIAL', contractName: null, contractNumber: null, description: 'Hội chẩn', proposedBy: 'KHNV', pendingApproval: true });
    const voided = filmRecord({ recordedAt: JAN(7) });
    const outOfRange = filmRecord({ recordedAt: Date.UTC(2026, 1, 1, 3) });
    const r = await postRecords(server.url, key, [filmVoid(voided.id, JAN(8)), c1, c2, pr, sp, filmApproval(sp.id, JAN(9)), voided, outOfRange]);
    expect(r.body.results?.every((x) => x.status === 'stored')).toBe(true);

    const page = await get(`${server.url}/admin/film?from=2026-01-01&to=2026-01-31`, { cookie });
    expect(page.status).toBe(200);
    const records = await loadFilmRecords(sql, Date.UTC(2025, 11, 31, 17), Date.UTC(2026, 0, 31, 17));
    const report = buildFilmReport('2026-01-01', '2026-01-31', records);
    // hand-computed: 4 active records (the void counts only as voided), 2+1+1+1 films
    expect(report.totals).toEqual({ records: 4, films: 5, pendingApproval: 0, voided: 1 });
    expect(report.byContract).toEqual([
      { contractName: 'Công ty ABC', contractNumber: 'HĐ-01', records: 1, films: 2 },
      { contractName: 'Công ty XYZ', contractNumber: 'HĐ-7', records: 1, films: 1 },
    ]);
    expect(report.patientRequestsBilled).toEqual({ count: 1, amount: 150_000, unpriced: 0 });
    expect(report.filmsBySize).toContainEqual({ size: '35x43', count: 4 });
    expect(page.text).toMatch(/<td class="n">4<\/td><td class="n">5<\/td><td class="n">0<\/td><td class="n">1<\/td>/);
    expect(page.text).toContain('Công ty XYZ');
    expect(page.text).toContain('Phạm Minh');
    expect(page.text).toContain('TRẦN V** B***'); // names masked on the list too
    expect(page.text).not.toContain('TRẦN VĂN BÌNH');

    const csv = await get(`${server.url}/admin/film.csv?from=2026-01-01&to=2026-01-31`, { cookie });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.body.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(csv.text.trim().split('\r\n')).toHaveLength(1 + 5);

    const a4 = await get(`${server.url}/admin/film/summary?from=2026-01-01&to=2026-01-31`, { cookie });
    expect(a4.status).toBe(200);
    const csp = a4.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('lists slips with views and downloads, and revokes one only with the CSRF secret', async () => {
    const token = newToken();
    await postRecords(server.url, key, [slipRecord(token, { now: NOW, visitNumber: 'KB-777' })]);
    const { cookie: patient } = await openToken(server.url, token);
    await get(`${server.url}/result`, { cookie: patient as string });
    const list = await get(`${server.url}/admin/slips?q=KB-777`, { cookie });
    expect(list.text).toContain('KB-777');
    expect(list.text).toContain('NGUYỄN V** A*');
    expect(list.text).toContain(tokenHash(token).slice(0, 8));

    const forged = await postForm(`${server.url}/admin/slips/revoke`, cookie, { tokenHash: tokenHash(token), reason: 'thử', csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect((await openToken(server.url, token)).res.status).toBe(303);

    const ok = await postForm(`${server.url}/admin/slips/revoke`, cookie, { tokenHash: tokenHash(token), reason: 'Người bệnh báo mất phiếu', csrf });
    expect(ok.text).toContain('Đã thu hồi');
    expect((await openToken(server.url, token)).res.status).toBe(404);
    const revoked = await get(`${server.url}/admin/revocations`, { cookie });
    expect(revoked.text).toContain('Người bệnh báo mất phiếu');
    expect(revoked.text).toContain('khnv');
    const audit = await sql.query<{ action: string }>(`SELECT action FROM server_audit WHERE action = 'admin-revoke'`);
    expect(audit).toHaveLength(1);
  });

  it('revokes by the link printed on the slip', async () => {
    const token = newToken();
    await postRecords(server.url, key, [slipRecord(token, { now: NOW })]);
    const ok = await postForm(`${server.url}/admin/slips/revoke`, cookie, { link: `https://kq.example/r/${token}`, reason: 'Thu hồi', csrf });
    expect(ok.text).toContain('Đã thu hồi');
    expect((await openToken(server.url, token)).res.status).toBe(404);
  });

  it('enrols a desk from the page, showing its key once; the key works', async () => {
    const r = await postForm(`${server.url}/admin/desks`, cookie, { name: 'Bàn chụp 2', csrf });
    const apiKey = /<p class="key">(rdk_[A-Za-z0-9_-]+)<\/p>/.exec(r.text)?.[1];
    expect(apiKey).toBeDefined();
    expect((await get(`${server.url}/api/whoami`, { headers: { authorization: `Bearer ${apiKey}` } })).text).toContain('Bàn chụp 2');
    const again = await get(`${server.url}/admin/desks`, { cookie });
    expect(again.text).toContain('Bàn chụp 2');
    expect(again.text).not.toContain(apiKey as string);
  });

  it('signs out', async () => {
    const r = await postForm(`${server.url}/admin/logout`, cookie, { csrf });
    expect(r.status).toBe(303);
    expect((await get(`${server.url}/admin`, { cookie })).status).toBe(303);
  });
});
