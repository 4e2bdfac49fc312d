/**
 * The desks' records API over HTTP, on both stores the server runs on: a real PostgreSQL 15 and
 * the embedded PGlite. Idempotency is checked the strict way — a snapshot of every table the
 * records feed must be identical after a batch is sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { havePostgres, startPostgres, type PostgresHandle } from '../../test/support/postgres';
import { createPgSql } from '../src/db/pg-sql';
import { migrate } from '../src/db/migrate';
import { serverMigrations } from '../src/db/migrations';
import type { Sql } from '../src/db/sql';
import { memorySql } from './support/memory-sql';
import { auditRecord, filmApproval, filmRecord, filmVoid, newToken, revocationRecord, slipRecord, tokenHash } from './support/fixtures';
import { enrol, get, openToken, postRecords, startTestServer, type TestServer } from './support/test-server';

const TABLES = ['records', 'slips', 'token_revocations', 'film_exceptions', 'film_approvals', 'film_voids', 'desk_audit'];

async function snapshot(sql: Sql): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const rows = await sql.query<{ j: unknown }>(`SELECT to_jsonb(x) AS j FROM ${t} x`);
    out[t] = rows.map((r) => JSON.stringify(r.j)).sort().join('\n');
  }
  return out;
}

const stores: [string, boolean, () => Promise<{ sql: Sql; stop(): Promise<void> }>][] = [
  [
    'PGlite',
    true,
    async () => {
      const sql = await memorySql();
      return { sql, stop: () => sql.close() };
    },
  ],
  [
    'PostgreSQL 15',
    havePostgres(),
    async () => {
      const pg: PostgresHandle = await startPostgres();
      const sql = createPgSql(await pg.createDatabase('records_api'));
      await migrate(sql, serverMigrations);
      return {
        sql,
        async stop() {
          await sql.close();
          await pg.stop();
        },
      };
    },
  ],
];

describe.each(stores)('records API on %s', (_name, available, open) => {
  let store: { sql: Sql; stop(): Promise<void> };
  let server: TestServer;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    if (!available) return;
    store = await open();
    server = await startTestServer({ sql: store.sql });
    key = await enrol(store.sql, 'Bàn 1');
    otherKey = await enrol(store.sql, 'Bàn 2');
  });
  afterAll(async () => {
    await server?.close();
    await store?.stop();
  });

  it.skipIf(!available)('refuses a missing or wrong key, a non-JSON body and an empty batch', async () => {
    const batch = JSON.stringify({ records: [slipRecord(newToken())] });
    const post = (headers: Record<string, string>, body = batch) => get(`${server.url}/api/records`, { method: 'POST', headers, body });
    expect((await post({ 'content-type': 'application/json' })).status).toBe(401);
    const wrong = await post({ 'content-type': 'application/json', authorization: 'Bearer rdk_wrongwrongwrong' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error).toMatchObject({ code: 'UNAUTHORIZED', messages: { vi: expect.any(String), en: expect.any(String) } });
    expect((await post({ 'content-type': 'text/plain', authorization: `Bearer ${key}` })).status).toBe(415);
    expect((await post({ 'content-type': 'application/json', authorization: `Bearer ${key}` }, '{nope')).status).toBe(400);
    expect((await post({ 'content-type': 'application/json', authorization: `Bearer ${key}` }, '{"records":[]}')).status).toBe(400);
    expect((await get(`${server.url}/api/whoami`, { headers: { authorization: `Bearer ${key}` } })).text).toContain('Bàn 1');
  });

  it.skipIf(!available)('stores a batch of every kind once; the same batch again changes nothing', async () => {
    const t = newToken();
    const film = filmRecord();
    const batch = [slipRecord(t), revocationRecord(t, 5), film, filmApproval(film.id, 6), filmVoid(film.id, 7), auditRecord(1, 8), auditRecord(2, 9)];
    const first = await postRecords(server.url, key, batch);
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual(batch.map((r) => ({ id: r.id, status: 'stored' })));
    const before = await snapshot(store.sql);
    expect(before.slips).toContain(tokenHash(t));
    const again = await postRecords(server.url, key, batch);
    expect(again.body.results).toEqual(batch.map((r) => ({ id: r.id, status: 'duplicate' })));
    expect(await snapshot(store.sql)).toEqual(before);
  });

  it.skipIf(!available)('judges each record on its own: a bad one is rejected with its path, the others are stored', async () => {
    const good = slipRecord(newToken());
    const bad = slipRecord(newToken());
    (bad.payload as { expiresAt: unknown }).expiresAt = 'tomorrow';
    const noId = { kind: 'audit', payload: {} };
    const r = await postRecords(server.url, key, [good, bad, noId as never]);
    expect(r.body.results).toEqual([
      { id: good.id, status: 'stored' },
      { id: bad.id, status: 'rejected', error: expect.stringMatching(/^payload\.expiresAt:/) },
      { id: '', status: 'rejected', error: expect.stringMatching(/^id:/) },
    ]);
  });

  it.skipIf(!available)('will not let one desk change or revoke another desk’s token, nor reuse an id for another record', async () => {
    const t = newToken();
    const mine = slipRecord(t, { studyInstanceUIDs: ['1.2.3'] });
    await postRecords(server.url, key, [mine]);
    const before = await snapshot(store.sql);
    const theirs = await postRecords(server.url, otherKey, [slipRecord(t, { studyInstanceUIDs: ['9.9.9'] }), revocationRecord(t, 1)]);
    expect(theirs.body.results?.map((x) => [x.status, x.error])).toEqual([
      ['rejected', 'token hash belongs to another desk'],
      ['rejected', 'token hash belongs to another desk'],
    ]);
    const reuse = await postRecords(server.url, otherKey, [{ ...auditRecord(1, 1), id: mine.id }]);
    expect(reuse.body.results?.[0]).toMatchObject({ status: 'rejected', error: 'record id already used for another record' });
    expect(await snapshot(store.sql)).toEqual(before);
  });

  it.skipIf(!available)('a later revision replaces the study list; an older one, arriving late, changes nothing', async () => {
    const t = newToken();
    const studies = async () =>
      (await store.sql.query<{ study_uids: string[] }>('SELECT study_uids FROM slips WHERE token_hash = $1', [tokenHash(t)]))[0]?.study_uids;
    const first = slipRecord(t, { studyInstanceUIDs: [] });
    await postRecords(server.url, key, [first]);
    // Images attached after printing join the slip.
    await postRecords(server.url, key, [slipRecord(t, { ...first.payload, studyInstanceUIDs: ['1.2.3', '1.2.4'], revision: 1 })]);
    expect(await studies()).toEqual(['1.2.3', '1.2.4']);
    // A study corrected to another patient leaves it.
    await postRecords(server.url, key, [slipRecord(t, { ...first.payload, studyInstanceUIDs: ['1.2.4'], revision: 2 })]);
    expect(await studies()).toEqual(['1.2.4']);
    // A retried older record does not bring it back.
    await postRecords(server.url, key, [slipRecord(t, { ...first.payload, studyInstanceUIDs: ['1.2.3', '1.2.4'], revision: 1 })]);
    expect(await studies()).toEqual(['1.2.4']);
  });

  it.skipIf(!available)('honours a revocation that arrives before its slip', async () => {
    const t = newToken();
    await postRecords(server.url, key, [revocationRecord(t, 1)]);
    await postRecords(server.url, key, [slipRecord(t)]);
    expect((await openToken(server.url, t)).res.status).toBe(404);
  });

  it.skipIf(!available)('rejects an audit sequence number already stored under another record id', async () => {
    const seq = 1000 + Math.floor(performance.now());
    await postRecords(server.url, key, [auditRecord(seq, 1)]);
    const r = await postRecords(server.url, key, [auditRecord(seq, 1)]);
    expect(r.body.results?.[0]?.status).toBe('rejected');
  });

  it.skipIf(!available)('stores each record exactly once when the same batch races itself', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => auditRecord(5000 + i, i));
    const [a, b] = await Promise.all([postRecords(server.url, key, batch), postRecords(server.url, key, batch)]);
    for (let i = 0; i < batch.length; i++) {
      expect([a.body.results?.[i]?.status, b.body.results?.[i]?.status].sort()).toEqual(['duplicate', 'stored']);
    }
    const [n] = await store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM desk_audit WHERE seq >= 5000 AND seq < 5020`);
    expect(n?.n).toBe(20);
  });
});
