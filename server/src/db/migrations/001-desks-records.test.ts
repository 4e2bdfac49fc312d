import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { memorySql, refused } from '../../../test/support/memory-sql';
import { migrate, schemaVersion } from '../migrate';
import { serverMigrations } from '.';
import type { Sql } from '../sql';

describe('migration 001 desks-records', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await memorySql(1);
  });
  afterAll(() => sql.close());

  it('stops at the version asked for, and a second run applies nothing', async () => {
    expect(await schemaVersion(sql)).toBe(1);
    expect(await migrate(sql, serverMigrations, 1)).toEqual([]);
  });

  it('keeps desk names and key hashes unique and key hashes hex', async () => {
    const h = 'a'.repeat(64);
    await sql.query('INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ($1, $2, $3, 0)', ['d1', 'Bàn 1', h]);
    expect(await refused(() => sql.query('INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ($1, $2, $3, 0)', ['d2', 'Bàn 1', 'b'.repeat(64)]))).toBe(true);
    expect(await refused(() => sql.query('INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ($1, $2, $3, 0)', ['d3', 'Bàn 3', h]))).toBe(true);
    expect(await refused(() => sql.query('INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ($1, $2, $3, 0)', ['d4', 'Bàn 4', 'not-hex']))).toBe(true);
  });

  it('makes the record id the idempotency key and checks the kind', async () => {
    const id = randomUUID();
    const ins = (kind: string) =>
      sql.query(`INSERT INTO records (id, desk_id, kind, payload, received_at) VALUES ($1, 'd1', $2, $3, 0) ON CONFLICT (id) DO NOTHING RETURNING id`, [id, kind, JSON.stringify({ a: 1 })]);
    expect(await ins('slip')).toHaveLength(1);
    expect(await ins('slip')).toHaveLength(0);
    const [row] = await sql.query<{ payload: unknown }>('SELECT payload FROM records WHERE id = $1', [id]);
    expect(row?.payload).toEqual({ a: 1 });
    expect(await refused(() => sql.query(`INSERT INTO records (id, desk_id, kind, payload, received_at) VALUES ($1, 'd1', 'nonsense', '{}', 0)`, [randomUUID()]))).toBe(true);
    expect(await refused(() => sql.query(`INSERT INTO records (id, desk_id, kind, payload, received_at) VALUES ($1, 'nobody', 'slip', '{}', 0)`, [randomUUID()]))).toBe(true);
  });
});
