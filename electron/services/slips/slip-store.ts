/**
 * The `slips` table and its records for the clinic server. Issuing and revoking a token each
 * enqueue their record in the same transaction as the row, so the server learns exactly what the
 * desk holds (records-outbox.ts). Only token hashes are stored.
 */
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import { enqueueRecord } from '../records/records-outbox';
import { formatLookupCode } from './slip-tokens';
import type { SlipRecord, SlipSummary, TokenRevocationRecord } from '../../../shared/contract/slips';

export interface SlipRow {
  readonly id: string;
  readonly visitId: string;
  readonly tokenHash: string;
  readonly lookupCode: string;
  readonly status: 'active' | 'revoked';
  readonly createdAt: number;
  readonly expiresAt: number;
}

interface DbRow {
  id: string;
  visit_id: string;
  token_hash: string;
  lookup_code: string;
  status: 'active' | 'revoked';
  require_birth_year: number;
  created_at: number;
  expires_at: number;
  operator_id: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
  replaced_by: string | null;
  visit_number: string | null;
  job_id: string | null;
  job_status: 'sending' | 'printed' | 'failed' | null;
  job_error: string | null;
  job_at: number | null;
}

const SELECT = `
  SELECT s.*, v.visit_number,
         j.id AS job_id, j.status AS job_status, j.error_code AS job_error, j.started_at AS job_at
    FROM slips s
    LEFT JOIN visits v ON v.id = s.visit_id
    LEFT JOIN print_jobs j ON j.id = (SELECT id FROM print_jobs WHERE slip_id = s.id ORDER BY started_at DESC, rowid DESC LIMIT 1)`;

/** Inserts an active slip and its `slip` record. Call inside a transaction. */
export function insertSlip(db: Db, clock: Clock, record: SlipRecord, operatorId: string | null): void {
  db.prepare(
    `INSERT INTO slips (id, visit_id, token_hash, lookup_code, status, require_birth_year, created_at, expires_at, operator_id)
     VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
  ).run(record.slipId, record.visitId, record.tokenHash, record.lookupCode, record.requireBirthYear ? 1 : 0, record.issuedAt, record.expiresAt, operatorId);
  enqueueRecord(db, clock, 'slip', record);
}

/**
 * Revokes a slip still marked active and enqueues its `token-revocation` record. Call inside a
 * transaction. Returns false (and records nothing) when it was already revoked.
 */
export function revokeSlip(db: Db, clock: Clock, slipId: string, reason: string, replacedBy: string | null): boolean {
  const row = db.prepare(`SELECT id, visit_id, token_hash FROM slips WHERE id = ? AND status = 'active'`).get(slipId) as
    | { id: string; visit_id: string; token_hash: string }
    | undefined;
  if (!row) return false;
  const revokedAt = clock.now();
  db.prepare(`UPDATE slips SET status = 'revoked', revoked_at = ?, revoke_reason = ?, replaced_by = ? WHERE id = ?`).run(revokedAt, reason, replacedBy, slipId);
  const record: TokenRevocationRecord = { slipId, tokenHash: row.token_hash, visitId: row.visit_id, revokedAt, reason, replacedBy };
  enqueueRecord(db, clock, 'token-revocation', record);
  return true;
}

/**
 * Marks the slip holding `tokenHash` revoked because an admin revoked its token on the clinic
 * server. Enqueues no record: the server already holds the revocation. Call inside a transaction.
 * Returns the slip when this changed it; null when the desk has no such active slip (unknown, or
 * already revoked — applying the same revocation twice changes nothing).
 */
export function markSlipRevokedByServer(db: Db, tokenHash: string, revokedAt: number, reason: string): { id: string; visitId: string } | null {
  const row = db.prepare(`SELECT id, visit_id FROM slips WHERE token_hash = ? AND status = 'active'`).get(tokenHash) as { id: string; visit_id: string } | undefined;
  if (!row) return null;
  db.prepare(`UPDATE slips SET status = 'revoked', revoked_at = ?, revoke_reason = ?, revoke_source = 'server-admin' WHERE id = ? AND status = 'active'`).run(revokedAt, reason, row.id);
  return { id: row.id, visitId: row.visit_id };
}

export function getSlip(db: Db, slipId: string): SlipRow | null {
  const r = db.prepare('SELECT * FROM slips WHERE id = ?').get(slipId) as DbRow | undefined;
  return r ? toRow(r) : null;
}

/** Slips of the visit whose token still opens the result page (active and not yet expired). */
export function liveSlipsOfVisit(db: Db, visitId: string, now: number): SlipRow[] {
  return (db.prepare(`SELECT * FROM slips WHERE visit_id = ? AND status = 'active' AND expires_at > ? ORDER BY created_at`).all(visitId, now) as DbRow[]).map(toRow);
}

export function lookupCodeTaken(db: Db, code: string): boolean {
  return db.prepare('SELECT 1 FROM slips WHERE lookup_code = ?').get(code) !== undefined;
}

export function listSlips(db: Db, now: number, filter: { visitId?: string | undefined; limit: number }): SlipSummary[] {
  const rows = (
    filter.visitId === undefined
      ? db.prepare(`${SELECT} ORDER BY s.created_at DESC, s.rowid DESC LIMIT ?`).all(filter.limit)
      : db.prepare(`${SELECT} WHERE s.visit_id = ? ORDER BY s.created_at DESC, s.rowid DESC LIMIT ?`).all(filter.visitId, filter.limit)
  ) as DbRow[];
  return rows.map((r) => toSummary(r, now));
}

export function slipSummary(db: Db, slipId: string, now: number): SlipSummary | null {
  const r = db.prepare(`${SELECT} WHERE s.id = ?`).get(slipId) as DbRow | undefined;
  return r ? toSummary(r, now) : null;
}

function toRow(r: DbRow): SlipRow {
  return { id: r.id, visitId: r.visit_id, tokenHash: r.token_hash, lookupCode: r.lookup_code, status: r.status, createdAt: r.created_at, expiresAt: r.expires_at };
}

/** 'expired' is read off the clock, never stored: a revoked slip stays revoked. */
function toSummary(r: DbRow, now: number): SlipSummary {
  return {
    slipId: r.id,
    visitId: r.visit_id,
    visitNumber: r.visit_number ?? '',
    lookupCode: formatLookupCode(r.lookup_code),
    status: r.status === 'revoked' ? 'revoked' : r.expires_at <= now ? 'expired' : 'active',
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    operatorId: r.operator_id,
    revokedAt: r.revoked_at,
    revokeReason: r.revoke_reason,
    replacedBy: r.replaced_by,
    lastPrint: r.job_id && r.job_status && r.job_at !== null ? { jobId: r.job_id, status: r.job_status, errorCode: r.job_error, at: r.job_at } : null,
  };
}
