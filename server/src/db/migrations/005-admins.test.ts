import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySql, refused } from '../../../test/support/memory-sql';
import { migrate, schemaVersion } from '../migrate';
import { serverMigrations } from '.';
import type { Sql } from '../sql';

describe('migration 005 admins', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await memorySql(5);
  });
  afterAll(() => sql.close());

  it('is the latest, and the full list is strictly ordered', async () => {
    expect(await schemaVersion(sql)).toBe(5);
    expect(serverMigrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
    await expect(migrate(sql, [serverMigrations[1]!, serverMigrations[0]!])).rejects.toThrow(/not after/);
  });

  it('restricts user names and removes sessions with their admin', async () => {
    await sql.query(`INSERT INTO admins (username, password_hash, created_at, updated_at) VALUES ('khnv.lan', 'x', 0, 0)`);
    expect(await refused(() => sql.query(`INSERT INTO admins (username, password_hash, created_at, updated_at) VALUES ('a b', 'x', 0, 0)`))).toBe(true);
    await sql.query(`INSERT INTO admin_sessions (id_hash, username, csrf, created_at, expires_at) VALUES ($1, 'khnv.lan', 'c', 0, 1)`, ['d'.repeat(64)]);
    expect(await refused(() => sql.query(`INSERT INTO admin_sessions (id_hash, username, csrf, created_at, expires_at) VALUES ($1, 'ghost', 'c', 0, 1)`, ['e'.repeat(64)]))).toBe(true);
    await sql.query(`DELETE FROM admins WHERE username = 'khnv.lan'`);
    const [n] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_sessions');
    expect(n?.n).toBe(0);
  });
});
