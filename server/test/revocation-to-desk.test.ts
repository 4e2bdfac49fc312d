/**
 * An admin's revocation on the clinic server reaches the desk that printed the slip, end to end:
 * a whole desk (compose(), real SQLite) prints a slip to a captured printer, the QR is read back
 * from the printed raster, the records sender delivers the slip to the clinic server (real
 * PostgreSQL 15; PGlite only when PostgreSQL is missing and not required), an admin signs in and
 * revokes it by the printed link, and the desk's next records pass pulls the revocation: its slip
 * list says revoked, its audit log says why and for whom. Pulling again changes nothing, another
 * desk sees none of it, and a revocation the desk made itself is not echoed back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../electron/services/clock';
import { startTestDesk, type TestDesk } from '../../test/support/desk';
import { startPrinterCapture, type PrinterCapture } from '../../test/support/printer-capture';
import { decodeEscPos } from '../../test/support/escpos-decoder';
import { havePostgres, startPostgres, type PostgresHandle } from '../../test/support/postgres';
import { insertVisit, scanQr } from '../../test/slips/slip-fixtures';
import { SERVER_REVOKE_ACTION } from '../../electron/services/records/revocation-pull';
import { revocationFeedSchema } from '../../shared/records';
import { createPgSql } from '../src/db/pg-sql';
import { migrate } from '../src/db/migrate';
import { serverMigrations } from '../src/db/migrations';
import type { Sql } from '../src/db/sql';
import { setAdmin } from '../src/admin/admin-auth';
import { memorySql } from './support/memory-sql';
import { tokenHash } from './support/fixtures';
import { enrol, get, openToken, postForm, startTestServer, type TestServer } from './support/test-server';

const NOW = Date.UTC(2026, 0, 20, 3, 0, 0);

describe('admin revocation → the desk that printed the slip', () => {
  let sql: Sql;
  let pg: PostgresHandle | null = null;
  let server: TestServer;
  let capture: PrinterCapture;
  let t: TestDesk;
  let apiKey: string;
  let admin: string;
  let csrf: string;

  const feed = async (key: string, after = 0) => {
    const r = await get(`${server.url}/api/revocations?after=${after}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: r.status, body: r.status === 200 ? revocationFeedSchema.parse(JSON.parse(r.text)) : null };
  };

  async function print(patientName: string, patientID: string): Promise<{ slipId: string; link: string; visitId: string }> {
    const visit = insertVisit(t.desk.db, { patientName, patientID });
    const printed = await t.call('slips.print', { visitId: visit.id });
    const link = scanQr(decodeEscPos((await capture.nextClosed()).bytes()).raster!);
    expect(link).toMatch(new RegExp(`^${server.url}/r/[A-Za-z0-9_-]{22,}$`));
    return { slipId: printed.slipId, link: link as string, visitId: visit.id };
  }
  const slipOf = async (slipId: string) => (await t.call('slips.list', { limit: 500 })).items.find((s) => s.slipId === slipId)!;
  const serverAudits = async () => (await t.call('audit.list', { limit: 500, action: SERVER_REVOKE_ACTION })).items;
  const cursor = () => t.desk.db.prepare('SELECT value FROM records_cursors').all() as { value: number }[];

  beforeAll(async () => {
    if (havePostgres()) {
      pg = await startPostgres();
      sql = createPgSql(await pg.createDatabase('revocation_to_desk'));
      await migrate(sql, serverMigrations);
    } else {
      sql = await memorySql();
    }
    server = await startTestServer({ sql, clock: manualClock(NOW) });
    apiKey = await enrol(sql, 'Bàn chụp 1');
    await setAdmin(sql, manualClock(NOW), 'khnv', 'mật khẩu rất dài');
    const login = await get(`${server.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'khnv', password: 'mật khẩu rất dài' }).toString(),
    });
    admin = (login.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
    csrf = /name="csrf" value="([^"]+)"/.exec((await get(`${server.url}/admin`, { cookie: admin })).text)?.[1] ?? '';
    expect(csrf).not.toBe('');

    capture = await startPrinterCapture();
    t = await startTestDesk();
    await t.call('settings.update', { portal: { baseUrl: server.url }, printer: { interface: capture.uri, widthDots: 384 }, server: { url: server.url, apiKey } });
  });
  afterAll(async () => {
    await t?.close();
    await capture?.close();
    await server?.close();
    await sql?.close();
    await pg?.stop();
  });

  it('marks the printed slip revoked on the desk after the admin revokes it on the server, once', async () => {
    const slip = await print('HOÀNG THỊ LAN', 'BN-77001');
    const other = await print('ĐỖ VĂN MINH', 'BN-77002');
    expect(await t.call('records.sendNow')).toMatchObject({ pending: 0, rejected: 0, lastError: null });
    expect((await openToken(server.url, slip.link.split('/r/')[1] as string)).res.status).toBe(303);

    const revoked = await postForm(`${server.url}/admin/slips/revoke`, admin, { link: slip.link, reason: 'Người bệnh báo mất phiếu', csrf });
    expect(revoked.text).toContain('Đã thu hồi');
    expect((await openToken(server.url, slip.link.split('/r/')[1] as string)).res.status).toBe(404);
    expect(await slipOf(slip.slipId)).toMatchObject({ status: 'active' }); // the desk has not asked yet

    const changed: unknown[] = [];
    const unsubscribe = t.desk.events.subscribe((name, payload) => {
      if (name === 'slips.changed') changed.push(payload);
    });
    await t.call('records.sendNow');
    const after = await slipOf(slip.slipId);
    expect(changed).toEqual([{ revoked: 1 }]); // open slip lists reload
    expect(after).toMatchObject({ status: 'revoked', revokeReason: 'Thu hồi trên máy chủ / Revoked on the server (khnv): Người bệnh báo mất phiếu', revokedAt: NOW });
    expect(await slipOf(other.slipId)).toMatchObject({ status: 'active' });
    const audits = await serverAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ outcome: 'ok', patientID: 'BN-77001', detail: { slipId: slip.slipId, visitId: slip.visitId, revokedBy: 'khnv', reason: 'Người bệnh báo mất phiếu' } });
    const [{ value: c }] = cursor() as [{ value: number }];
    expect(c).toBeGreaterThan(0);
    // The audit entry just written is itself delivered to the server on the next pass.
    expect(await t.call('records.sendNow')).toMatchObject({ pending: 0, lastError: null });

    // Pulling again changes nothing: the same slip row, no new audit entry, the same cursor.
    const listBefore = await t.call('slips.list', { limit: 500 });
    await t.call('records.sendNow');
    await t.call('records.sendNow');
    expect(await t.call('slips.list', { limit: 500 })).toEqual(listBefore);
    expect(changed).toHaveLength(1);
    unsubscribe();
    expect(await serverAudits()).toHaveLength(1);
    expect(cursor()).toEqual([{ value: c }]);
    expect((await feed(apiKey, c)).body).toEqual({ revocations: [], cursor: c, more: false });

    // Nothing identifying in the desk's log lines about it.
    const logs = t.logger.lines.join('\n');
    expect(logs).toContain('server revocations applied');
    for (const secret of ['HOÀNG', 'BN-77001', slip.link.split('/r/')[1] as string, tokenHash(slip.link.split('/r/')[1] as string)]) expect(logs).not.toContain(secret);
  });

  it('gives each desk only its own slips, and does not echo a revocation the desk made itself', async () => {
    const mine = await print('VŨ THỊ HẠNH', 'BN-77003');
    await t.call('records.sendNow');
    await t.call('slips.revoke', { slipId: mine.slipId, reason: 'In nhầm phiếu' });
    await t.call('records.sendNow');
    const revokedHere = await slipOf(mine.slipId);
    expect(revokedHere).toMatchObject({ status: 'revoked', revokeReason: 'In nhầm phiếu' });
    const all = (await feed(apiKey)).body!;
    expect(all.revocations).toHaveLength(1); // the admin's, from the test above; not the desk's own
    expect(all.revocations[0]).toMatchObject({ revokedBy: 'khnv', reason: 'Người bệnh báo mất phiếu' });

    const otherDesk = await enrol(sql, 'Bàn chụp 2');
    expect((await feed(otherDesk)).body).toEqual({ revocations: [], cursor: 0, more: false });
    expect((await feed('rdk_not-a-key-at-all')).status).toBe(401);
    expect((await get(`${server.url}/api/revocations?after=-1`, { headers: { authorization: `Bearer ${apiKey}` } })).status).toBe(400);
  });
});
