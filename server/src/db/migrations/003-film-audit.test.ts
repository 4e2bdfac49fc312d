import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { memorySql, refused } from '../../../test/support/memory-sql';
import { schemaVersion } from '../migrate';
import type { Sql } from '../sql';

describe('migration 003 film-audit', () => {
  let sql: Sql;
  const record = async () => {
    const id = randomUUID();
    await sql.query(`INSERT INTO records (id, desk_id, kind, payload, received_at) VALUES ($1, 'd1', 'audit', '{}', 0)`, [id]);
    return id;
  };

  beforeAll(async () => {
    sql = await memorySql(3);
    await sql.query(`INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ('d1', 'Bàn 1', $1, 0)`, ['a'.repeat(64)]);
  });
  afterAll(() => sql.close());

  it('is at version 3', async () => {
    expect(await schemaVersion(sql)).toBe(3);
  });

  it('accepts a void before its exception (no foreign key between them) and checks the case', async () => {
    const exceptionId = randomUUID();
    await sql.query(`INSERT INTO film_voids (id, record_id, exception_id, voided_at, payload) VALUES ($1, $2, $3, 0, '{}')`, [randomUUID(), await record(), exceptionId]);
    await sql.query(`INSERT INTO film_exceptions (id, record_id, desk_id, recorded_at, case_kind, payload) VALUES ($1, $2, 'd1', 0, 'CONTRACT', '{}')`, [exceptionId, await record()]);
    expect(await refused(async () => sql.query(`INSERT INTO film_exceptions (id, record_id, desk_id, recorded_at, case_kind, payload) VALUES ($1, $2, 'd1', 0, 'OTHER', '{}')`, [randomUUID(), await record()]))).toBe(true);
    const [n] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM film_voids v JOIN film_exceptions e ON e.id = v.exception_id`);
    expect(n?.n).toBe(1);
  });

  it('keeps one audit entry per desk and sequence number', async () => {
    const ins = async (seq: number) => sql.query(`INSERT INTO desk_audit (record_id, desk_id, seq, at, action, outcome, payload) VALUES ($1, 'd1', $2, 0, 'a', 'ok', '{}')`, [await record(), seq]);
    await ins(1);
    expect(await refused(() => ins(1))).toBe(true);
    await ins(2);
  });
});
