/**
 * Revocations made on the server, going back to the desks: an admin revokes a token here, and the
 * desk that issued the slip pulls it (`GET /api/revocations?after=N`) so its own slip list stops
 * calling the slip valid.
 *
 * The desk's cursor is the revocation's number (`token_revocations.seq`, an identity column). A
 * sequence hands out numbers in call order, not commit order: two admin revocations in flight
 * could commit 6 before 5, and a desk reading in between would move its cursor past 5 for good.
 * So admin revocations take one advisory lock around number-and-commit; under it the numbers
 * commit in order. Revocations sent by desks share the sequence but never appear in the feed
 * (the desk that sent one already knows), so they need no lock.
 */
import type { Queryable, Sql } from '../db/sql';
import { MAX_REVOCATIONS_PER_PAGE, type RevocationFeed } from '../../../shared/records';

/** pg_advisory_xact_lock key for admin revocations ("RDRV"). */
const FEED_LOCK_KEY = 0x52445256;

export interface AdminRevocation {
  readonly tokenHash: string;
  readonly at: number;
  readonly reason: string;
  /** The admin's user name. */
  readonly actor: string;
}

/** Revokes a token as an admin; false when it was already revoked (by a desk or an admin). */
export async function revokeByAdmin(sql: Sql, r: AdminRevocation): Promise<boolean> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK_KEY]);
    const rows = await tx.query(
      `INSERT INTO token_revocations (token_hash, revoked_at, reason, source, actor) VALUES ($1, $2, $3, 'admin', $4)
       ON CONFLICT (token_hash) DO NOTHING RETURNING seq`,
      [r.tokenHash, r.at, r.reason, r.actor],
    );
    return rows.length > 0;
  });
}

/** Admin revocations of `deskId`'s slips numbered after `after`, oldest first. */
export async function deskRevocationsAfter(sql: Queryable, deskId: string, after: number, limit = MAX_REVOCATIONS_PER_PAGE): Promise<RevocationFeed> {
  const n = Math.max(1, Math.min(limit, MAX_REVOCATIONS_PER_PAGE));
  const rows = await sql.query<{ seq: number | string; slip_id: string; token_hash: string; revoked_at: number; reason: string; actor: string }>(
    `SELECT r.seq, s.slip_id, r.token_hash, r.revoked_at, r.reason, r.actor
       FROM token_revocations r JOIN slips s ON s.token_hash = r.token_hash
      WHERE s.desk_id = $1 AND r.source = 'admin' AND r.seq > $2
      ORDER BY r.seq LIMIT $3`,
    [deskId, after, n + 1],
  );
  const page = rows.slice(0, n).map((r) => ({
    seq: Number(r.seq),
    slipId: r.slip_id,
    tokenHash: r.token_hash,
    revokedAt: Number(r.revoked_at),
    reason: r.reason,
    revokedBy: r.actor,
  }));
  return { revocations: page, cursor: page.at(-1)?.seq ?? after, more: rows.length > n };
}
