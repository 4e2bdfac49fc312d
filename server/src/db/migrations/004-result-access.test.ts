import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySql, refused } from '../../../test/support/memory-sql';
import { schemaVersion } from '../migrate';
import type { Sql } from '../sql';

describe('migration 004 result-access', () => {
  let sql: Sql;
  const session = 'c'.repeat(64);
  beforeAll(async () => {
    sql = await memorySql(4);
    await sql.query(`INSERT INTO result_sessions (id_hash, token_hash, created_at, expires_at, verified) VALUES ($1, $2, 0, 1, false)`, [session, 'f'.repeat(64)]);
  });
  afterAll(() => sql.close());

  it('is at version 4', async () => {
    expect(await schemaVersion(sql)).toBe(4);
  });

  it('accepts only 22-character opaque image ids, one per instance per session, and drops them with the session', async () => {
    const img = (id: string, uid: string) =>
      sql.query(`INSERT INTO session_images (session_hash, image_id, ordinal, study_uid, series_uid, instance_uid) VALUES ($1, $2, 0, '1.2', '1.2.3', $3)`, [session, id, uid]);
    await img('A'.repeat(22), '1.2.3.4');
    expect(await refused(() => img('B'.repeat(22), '1.2.3.4'))).toBe(true);
    expect(await refused(() => img('../../etc/passwd______', '1.2.3.5'))).toBe(true);
    expect(await refused(() => img('short', '1.2.3.6'))).toBe(true);
    await sql.query('DELETE FROM result_sessions WHERE id_hash = $1', [session]);
    const [n] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM session_images');
    expect(n?.n).toBe(0);
  });

  it('numbers access-log rows itself', async () => {
    await sql.query(`INSERT INTO access_log (at, token_hash, event) VALUES (1, 'f', 'page-view'), (2, 'f', 'image-view')`);
    const rows = await sql.query<{ id: number; detail: unknown }>('SELECT id, detail FROM access_log ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
    expect(rows[0]?.detail).toEqual({});
  });
});
