/**
 * One test per migration, run in order on one embedded PostgreSQL (PGlite): each block migrates up
 * to its version and checks what that migration promises — on a database already holding the rows
 * the earlier blocks wrote, as a real upgrade would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { refused } from '../../../test/support/memory-sql';
import { createPgliteSql } from '../pglite-sql';
import { migrate, schemaVersion } from '../migrate';
import { serverMigrations } from '.';
import type { Sql } from '../sql';

let sql: Sql;
beforeAll(async () => {
  sql = await createPgliteSql();
});
afterAll(() => sql.close());

describe('migration 001 desks-records', () => {
  beforeAll(async () => {
    await migrate(sql, serverMigrations, 1);
  });

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

describe('migration 002 slips', () => {
  const rec = randomUUID();
  const slip = (hash: string, birthYear: string | null) =>
    sql.query(
      `INSERT INTO slips (token_hash, desk_id, record_id, slip_id, visit_id, visit_number, patient_name, birth_year, sex, exams, study_uids,
                          clinic_name, lookup_code, replaces, require_birth_year, issued_at, expires_at, updated_at)
       VALUES ($1, 'd1', $2, 's1', 'v1', 'V-1', 'NGUYỄN VĂN AN', $3, 'M', '[]', '[]', 'PK', 'ABCD-2345', NULL, false, 0, 1, 0)`,
      [hash, rec, birthYear],
    );

  beforeAll(async () => {
    await migrate(sql, serverMigrations, 2);
    await sql.query(`INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ('d1', 'Bàn 1', $1, 0) ON CONFLICT DO NOTHING`, ['a'.repeat(64)]);
    await sql.query(`INSERT INTO records (id, desk_id, kind, payload, received_at) VALUES ($1, 'd1', 'slip', '{}', 0)`, [rec]);
  });

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

describe('migration 003 film-audit', () => {
  const record = async () => {
    const id = randomUUID();
    await sql.query(`INSERT INTO records (id, desk_id, kind, payload, received_at) VALUES ($1, 'd1', 'audit', '{}', 0)`, [id]);
    return id;
  };

  beforeAll(async () => {
    await migrate(sql, serverMigrations, 3);
    await sql.query(`INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ('d1', 'Bàn 1', $1, 0) ON CONFLICT DO NOTHING`, ['a'.repeat(64)]);
  });

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

describe('migration 004 result-access', () => {
  const session = 'c'.repeat(64);
  beforeAll(async () => {
    await migrate(sql, serverMigrations, 4);
    await sql.query(`INSERT INTO result_sessions (id_hash, token_hash, created_at, expires_at, verified) VALUES ($1, $2, 0, 1, false)`, [session, 'f'.repeat(64)]);
  });

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

describe('migration 005 admins', () => {
  beforeAll(async () => {
    await migrate(sql, serverMigrations, 5);
  });

  it('stops at 5, and the full list is strictly ordered', async () => {
    expect(await schemaVersion(sql)).toBe(5);
    expect(serverMigrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
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

describe('migration 006 slip-revision', () => {
  it('gives existing slips revision 0 and new ones a revision column', async () => {
    const before = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM slips');
    await migrate(sql, serverMigrations, 6);
    expect(await schemaVersion(sql)).toBe(6);
    const cols = await sql.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'slips' AND column_name = 'revision'");
    expect(cols).toHaveLength(1);
    const zeros = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM slips WHERE revision = 0');
    expect(zeros[0]?.n).toBe(before[0]?.n);
  });
});

describe('migration 007 revocation-feed', () => {
  it('numbers the revocations already stored, then every new one with a higher number, and never by hand', async () => {
    const before = await sql.query<{ token_hash: string }>('SELECT token_hash FROM token_revocations ORDER BY token_hash');
    expect(before.length).toBeGreaterThan(0);
    await migrate(sql, serverMigrations, 7);
    expect(await schemaVersion(sql)).toBe(7);
    const numbered = await sql.query<{ seq: number }>('SELECT seq FROM token_revocations WHERE seq IS NOT NULL');
    expect(numbered).toHaveLength(before.length);
    const top = Math.max(...numbered.map((r) => Number(r.seq)));
    const [added] = await sql.query<{ seq: number }>(
      `INSERT INTO token_revocations (token_hash, revoked_at, reason, source, actor) VALUES ($1, 0, 'lost', 'admin', 'khnv') RETURNING seq`,
      ['6'.repeat(64)],
    );
    expect(Number(added?.seq)).toBeGreaterThan(top);
    expect(await refused(() => sql.query(`INSERT INTO token_revocations (token_hash, revoked_at, reason, source, actor, seq) VALUES ($1, 0, 'x', 'admin', 'k', 1)`, ['7'.repeat(64)]))).toBe(true);
  });
});
