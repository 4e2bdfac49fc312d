/**
 * Admin accounts and sessions. Passwords are scrypt-hashed (passwords.ts); a login costs one
 * scrypt whether or not the user exists. A session is a random id in an HttpOnly, SameSite=Strict
 * cookie (only its hash stored) plus a CSRF secret that every admin form posts back.
 */
import type { Clock } from '../../../electron/services/clock';
import type { Queryable } from '../db/sql';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../security/passwords';
import { randomId, safeEqual, sha256Hex } from '../security/secrets';

export const ADMIN_SESSION_MS = 8 * 60 * 60_000;
export const MIN_PASSWORD_LENGTH = 10;

export interface AdminSession {
  readonly username: string;
  readonly csrf: string;
  readonly idHash: string;
}

/** Creates the admin, or sets a new password for an existing one. Returns whether it was new. */
export async function setAdmin(sql: Queryable, clock: Clock, username: string, password: string): Promise<boolean> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(username)) throw new Error('admin user name: 1–64 of A–Z a–z 0–9 . _ -');
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`admin password: at least ${MIN_PASSWORD_LENGTH} characters`);
  const hash = await hashPassword(password);
  const now = clock.now();
  const rows = await sql.query<{ created: boolean }>(
    `INSERT INTO admins (username, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at
     RETURNING (xmax = 0) AS created`,
    [username, hash, now],
  );
  return rows[0]?.created ?? false;
}

export async function adminLogin(sql: Queryable, clock: Clock, username: string, password: string): Promise<string | null> {
  const rows = await sql.query<{ password_hash: string }>('SELECT password_hash FROM admins WHERE username = $1', [username]);
  const ok = await verifyPassword(password, rows[0]?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!ok || !rows[0]) return null;
  const id = randomId(32);
  const now = clock.now();
  await sql.query('DELETE FROM admin_sessions WHERE expires_at <= $1', [now]);
  await sql.query('INSERT INTO admin_sessions (id_hash, username, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    sha256Hex(id),
    username,
    randomId(24),
    now,
    now + ADMIN_SESSION_MS,
  ]);
  return id;
}

export async function adminSession(sql: Queryable, clock: Clock, id: string | undefined): Promise<AdminSession | null> {
  if (!id || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
  const idHash = sha256Hex(id);
  const rows = await sql.query<{ username: string; csrf: string }>('SELECT username, csrf FROM admin_sessions WHERE id_hash = $1 AND expires_at > $2', [
    idHash,
    clock.now(),
  ]);
  return rows[0] ? { username: rows[0].username, csrf: rows[0].csrf, idHash } : null;
}

export async function adminLogout(sql: Queryable, s: AdminSession): Promise<void> {
  await sql.query('DELETE FROM admin_sessions WHERE id_hash = $1', [s.idHash]);
}

export function csrfOk(s: AdminSession, posted: string | undefined): boolean {
  return posted !== undefined && safeEqual(s.csrf, posted);
}
