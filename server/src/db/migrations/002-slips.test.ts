import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { memorySql, refused } from '../../../test/support/memory-sql';
import { schemaVersion } from '../migrate';
import type { Sql } from '../sql';

describe('migration 002 slips', () => {
  let sql: Sql;
  const rec = randomUUID();
  const slip = (hash: string, birthYear: string | null) =>
    sql.query(
      `INSERT INTO slips (token_hash, desk_id, record_id, slip_id, visit_id, visit_number, patient_name, birth_year, sex, exams, study_uids,
                          clinic_name, lookup_code, replaces, require_birth_year, issued_at, expires_at, updated_at)
       VALUES ($1, 'd1', $2, 's1', 'v1', 'V-1', 'NGUYỄN VĂN AN', $3, 'M', '[]', '[]', 'PK', 'ABCD-2345', NULL, false, 0, 1, 0)`,
      [hash, rec, birthYear],
    );

  beforeAll(async () => {
    sql = await memorySql(2);
    await sql.query(`INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ('d1', 'Bàn 1', $1, 0)`, ['a'.repeat(64)]);
    await sql.query(`INSERT INTO records (id, desk_id, kind, payload, received_at) VALUES ($1, 'd1', 'slip', '{}', 0)`, [rec]);
  });
  afterAll(() => sql.close());

  it('is at version 2', async () => {
    expect(await schemaVersion(sql)).toBe(2);
  });

  it('keys slips by a lowercase hex SHA-256 and accepts only a 4-digit birth year', async () => {
    await slip('1'.repeat(64), '1985');
    expect(await refused(() => slip('1'.repeat(64), null))).toBe(true); // one slip per token hash
    expect(await refused(() => slip('Z'.repeat(64), null))).toBe(true);
    expect(await refused(() => slip('2'.repeat(64), '85'))).toBe(true);
    await slip('3'.repeat(64), null);
    const [row] = await sql.query<{ patient_name: string }>('SELECT patient_name FROM slips WHERE token_hash = $1', ['1'.repeat(64)]);
    expect(row?.patient_name).toBe('NGUYỄN VĂN AN');
  });

  it('holds one revocation per token, even for a token whose slip has not arrived', async () => {
    const ins = (h: string) => sql.query(`INSERT INTO token_revocations (token_hash, revoked_at, reason, source, actor) VALUES ($1, 0, 'lost', 'desk', 'd1')`, [h]);
    await ins('4'.repeat(64));
    expect(await refused(() => ins('4'.repeat(64)))).toBe(true);
    expect(await refused(() => sql.query(`INSERT INTO token_revocations (token_hash, revoked_at, reason, source, actor) VALUES ($1, 0, 'x', 'someone', 'd1')`, ['5'.repeat(64)]))).toBe(true);
  });
});
