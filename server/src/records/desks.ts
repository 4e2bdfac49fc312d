/**
 * Desks and their API keys. `enrolDesk` returns the key once; only its SHA-256 is stored, and a
 * desk is found by that hash (an indexed equality on a value that reveals nothing).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../electron/services/clock';
import type { Queryable } from '../db/sql';
import { newApiKey, sha256Hex } from '../security/secrets';

export interface Desk {
  readonly id: string;
  readonly name: string;
}

export class DeskNameTaken extends Error {}

export async function enrolDesk(sql: Queryable, clock: Clock, name: string): Promise<Desk & { apiKey: string }> {
  const clean = name.normalize('NFC').trim();
  if (clean.length < 1 || clean.length > 80) throw new Error('desk name: 1–80 characters');
  const taken = await sql.query('SELECT 1 FROM desks WHERE name = $1', [clean]);
  if (taken.length > 0) throw new DeskNameTaken(`a desk named "${clean}" is already enrolled`);
  const apiKey = newApiKey();
  const id = randomUUID();
  await sql.query('INSERT INTO desks (id, name, api_key_hash, created_at) VALUES ($1, $2, $3, $4)', [id, clean, sha256Hex(apiKey), clock.now()]);
  return { id, name: clean, apiKey };
}

/** `Authorization: Bearer <key>` → the desk, or null. */
export async function authenticateDesk(sql: Queryable, authorization: string | undefined): Promise<Desk | null> {
  const m = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(authorization ?? '');
  if (!m) return null;
  const rows = await sql.query<{ id: string; name: string }>('SELECT id, name FROM desks WHERE api_key_hash = $1', [sha256Hex(m[1] as string)]);
  return rows[0] ?? null;
}

export async function listDesks(sql: Queryable): Promise<{ id: string; name: string; createdAt: number; lastSeenAt: number | null; records: number }[]> {
  const rows = await sql.query<{ id: string; name: string; created_at: number; last_seen_at: number | null; records: number }>(
    `SELECT d.id, d.name, d.created_at, d.last_seen_at, (SELECT count(*)::int FROM records r WHERE r.desk_id = d.id) AS records
       FROM desks d ORDER BY d.name`,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastSeenAt: r.last_seen_at, records: r.records }));
}
