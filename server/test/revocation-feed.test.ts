/**
 * The revocation feed on a real PostgreSQL 15 (PGlite when it is missing and not required): admin
 * revocations made concurrently over a connection pool while a desk keeps reading the feed with
 * its cursor — the desk ends up with every one of them, each once, in number order; paging by
 * `limit` with `more`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../electron/services/clock';
import { havePostgres, startPostgres, type PostgresHandle } from '../../test/support/postgres';
import { revocationFeedSchema, type ServerRevocation } from '../../shared/records';
import { createPgSql } from '../src/db/pg-sql';
import { migrate } from '../src/db/migrate';
import { serverMigrations } from '../src/db/migrations';
import type { Sql } from '../src/db/sql';
import { deskRevocationsAfter, revokeByAdmin } from '../src/records/revocation-feed';
import { memorySql } from './support/memory-sql';
import { newToken, slipRecord, tokenHash } from './support/fixtures';
import { enrol, get, postRecords, startTestServer, type TestServer } from './support/test-server';

const NOW = Date.UTC(2026, 0, 20, 3, 0, 0);

describe('revocation feed', () => {
  let sql: Sql;
  let pg: PostgresHandle | null = null;
  let server: TestServer;
  let key: string;
  let deskId: string;

  beforeAll(async () => {
    if (havePostgres()) {
      pg = await startPostgres();
      sql = createPgSql(await pg.createDatabase('revocation_feed'), { max: 8 });
      await migrate(sql, serverMigrations);
    } else {
      sql = await memorySql();
    }
    server = await startTestServer({ sql, clock: manualClock(NOW) });
    key = await enrol(sql, 'Bàn chụp 1');
    deskId = ((await get(`${server.url}/api/whoami`, { headers: { authorization: `Bearer ${key}` } })).text.match(/"id":"([^"]+)"/) ?? [])[1] as string;
  });
  afterAll(async () => {
    await server?.close();
    await sql?.close();
    await pg?.stop();
  });

  async function slips(n: number): Promise<string[]> {
    const tokens = Array.from({ length: n }, () => newToken());
    const r = await postRecords(server.url, key, tokens.map((t) => slipRecord(t, { now: NOW })));
    expect(r.body.results?.every((x) => x.status === 'stored')).toBe(true);
    return tokens.map(tokenHash);
  }

  it('hands a desk reading during concurrent admin revocations every one, once, in order', async () => {
    const hashes = await slips(40);
    const got: ServerRevocation[] = [];
    let cursor = 0;
    let writing = true;
    const reader = (async () => {
      for (;;) {
        const done = !writing;
        const page = await deskRevocationsAfter(sql, deskId, cursor, 7);
        got.push(...page.revocations);
        cursor = page.cursor;
        if (done && !page.more) return;
      }
    })();
    await Promise.all(hashes.map((h, i) => revokeByAdmin(sql, { tokenHash: h, at: NOW + i, reason: `lý do ${i}`, actor: 'khnv' })));
    writing = false;
    await reader;
    expect(got.map((r) => r.tokenHash).sort()).toEqual([...hashes].sort());
    const seqs = got.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('revokes once: a second admin revocation of the same token is not a new feed entry', async () => {
    const [h] = await slips(1);
    expect(await revokeByAdmin(sql, { tokenHash: h!, at: NOW, reason: 'một', actor: 'khnv' })).toBe(true);
    expect(await revokeByAdmin(sql, { tokenHash: h!, at: NOW, reason: 'hai', actor: 'khnv' })).toBe(false);
    const all = await deskRevocationsAfter(sql, deskId, 0);
    expect(all.revocations.filter((r) => r.tokenHash === h).map((r) => r.reason)).toEqual(['một']);
  });

  it('pages over HTTP with limit and more, and checks its parameters', async () => {
    const auth = { authorization: `Bearer ${key}` };
    const first = revocationFeedSchema.parse(JSON.parse((await get(`${server.url}/api/revocations?after=0&limit=30`, { headers: auth })).text));
    expect(first.revocations).toHaveLength(30);
    expect(first.more).toBe(true);
    const rest = revocationFeedSchema.parse(JSON.parse((await get(`${server.url}/api/revocations?after=${first.cursor}`, { headers: auth })).text));
    expect(rest.revocations).toHaveLength(11);
    expect(rest.more).toBe(false);
    expect(rest.revocations[0]!.seq).toBeGreaterThan(first.cursor);
    for (const bad of ['after=x', 'after=1.5', 'limit=0', 'limit=201', 'after=9999999999999999']) {
      expect((await get(`${server.url}/api/revocations?${bad}`, { headers: auth })).status, bad).toBe(400);
    }
    expect((await get(`${server.url}/api/revocations`)).status).toBe(401);
  });
});
