/**
 * Stores a desk's batch of records, each in its own transaction, exactly once.
 *
 * The record's UUID is the primary key of `records`: the INSERT … ON CONFLICT DO NOTHING either
 * stores it and applies its effect (slip, revocation, film fact, audit entry) in the same
 * transaction, or finds it already there and changes nothing (`duplicate`). A record that cannot
 * be accepted — malformed, or touching another desk's token — is `rejected` with a reason, and the
 * desk stops resending it. A database failure is not a rejection: it propagates (HTTP 5xx) so the
 * desk retries the whole batch, and the records already stored answer `duplicate` next time.
 */
import type { Clock } from '../../../electron/services/clock';
import type { Logger } from '../../../electron/services/logger';
import { parseRecord, type ParsedRecord, type RecordResult, type RecordPayload } from '../../../shared/records';
import type { Queryable, Sql } from '../db/sql';
import { hashPrefix } from '../security/secrets';

class Rejected extends Error {}

export interface RecordsStore {
  storeBatch(deskId: string, records: readonly unknown[]): Promise<RecordResult[]>;
}

export function createRecordsStore({ sql, clock, logger }: { sql: Sql; clock: Clock; logger: Logger }): RecordsStore {
  async function storeOne(deskId: string, rec: ParsedRecord): Promise<RecordResult['status']> {
    return sql.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO records (id, desk_id, kind, payload, received_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [rec.id, deskId, rec.kind, JSON.stringify(rec.payload), clock.now()],
      );
      if (inserted.length === 0) {
        const owner = await tx.query<{ desk_id: string; kind: string }>('SELECT desk_id, kind FROM records WHERE id = $1', [rec.id]);
        if (owner[0]?.desk_id !== deskId || owner[0]?.kind !== rec.kind) throw new Rejected('record id already used for another record');
        return 'duplicate';
      }
      await apply(tx, deskId, rec);
      return 'stored';
    });
  }

  async function apply(tx: Queryable, deskId: string, rec: ParsedRecord): Promise<void> {
    switch (rec.kind) {
      case 'slip':
        return applySlip(tx, deskId, rec.id, rec.payload);
      case 'token-revocation':
        return applyRevocation(tx, deskId, rec.id, rec.payload);
      case 'film-exception':
        return applyFilm(tx, deskId, rec.id, rec.payload);
      case 'film-void': {
        const p = rec.payload;
        await tx.query(
          `INSERT INTO film_voids (id, record_id, exception_id, voided_at, payload) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
          [p.id, rec.id, p.exceptionId, p.voidedAt, JSON.stringify(p)],
        );
        return;
      }
      case 'audit': {
        const p = rec.payload;
        const r = await tx.query(
          `INSERT INTO desk_audit (record_id, desk_id, seq, at, action, outcome, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (desk_id, seq) DO NOTHING RETURNING record_id`,
          [rec.id, deskId, p.seq, p.at, p.action, p.outcome, JSON.stringify(p)],
        );
        if (r.length === 0) throw new Rejected(`audit seq ${p.seq} already stored under another record id`);
        return;
      }
    }
  }

  async function applySlip(tx: Queryable, deskId: string, recordId: string, s: RecordPayload<'slip'>): Promise<void> {
    const existing = await tx.query<{ desk_id: string; revision: number }>('SELECT desk_id, revision FROM slips WHERE token_hash = $1 FOR UPDATE', [s.tokenHash]);
    const row = existing[0];
    if (row && row.desk_id !== deskId) throw new Rejected('token hash belongs to another desk');
    // A later record for the same token carries the visit's whole study list (images attached
    // after printing join it; a study corrected to another patient leaves it). Records may arrive
    // out of order after retries: an older revision changes nothing.
    if (row && s.revision < row.revision) {
      logger.info('slip update older than stored, ignored', { tok: hashPrefix(s.tokenHash), revision: s.revision });
      return;
    }
    const studies = [...new Set(s.studyInstanceUIDs)];
    const params = [
      s.tokenHash, deskId, recordId, s.slipId, s.visitId, s.visitNumber, s.patient.name.normalize('NFC'), s.patient.birthYear, s.patient.sex,
      JSON.stringify(s.exams), JSON.stringify(studies), s.clinicName, s.lookupCode, s.replaces, s.requireBirthYear, s.issuedAt, s.expiresAt, clock.now(),
      s.revision,
    ];
    await tx.query(
      `INSERT INTO slips (token_hash, desk_id, record_id, slip_id, visit_id, visit_number, patient_name, birth_year, sex,
                          exams, study_uids, clinic_name, lookup_code, replaces, require_birth_year, issued_at, expires_at, updated_at, revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (token_hash) DO UPDATE SET
         record_id = EXCLUDED.record_id, visit_number = EXCLUDED.visit_number, patient_name = EXCLUDED.patient_name,
         birth_year = EXCLUDED.birth_year, sex = EXCLUDED.sex, exams = EXCLUDED.exams, study_uids = EXCLUDED.study_uids,
         clinic_name = EXCLUDED.clinic_name, require_birth_year = EXCLUDED.require_birth_year,
         expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at, revision = EXCLUDED.revision`,
      params,
    );
    logger.info('slip stored', { tok: hashPrefix(s.tokenHash), update: row !== undefined, studies: studies.length });
  }

  async function applyRevocation(tx: Queryable, deskId: string, recordId: string, r: RecordPayload<'token-revocation'>): Promise<void> {
    const owner = await tx.query<{ desk_id: string }>('SELECT desk_id FROM slips WHERE token_hash = $1', [r.tokenHash]);
    if (owner[0] && owner[0].desk_id !== deskId) throw new Rejected('token hash belongs to another desk');
    await tx.query(
      `INSERT INTO token_revocations (token_hash, revoked_at, reason, source, actor, record_id) VALUES ($1, $2, $3, 'desk', $4, $5)
       ON CONFLICT (token_hash) DO NOTHING`,
      [r.tokenHash, r.revokedAt, r.reason, deskId, recordId],
    );
    logger.info('token revoked by desk', { tok: hashPrefix(r.tokenHash) });
  }

  async function applyFilm(tx: Queryable, deskId: string, recordId: string, p: RecordPayload<'film-exception'>): Promise<void> {
    if (p.event === 'recorded') {
      await tx.query(
        `INSERT INTO film_exceptions (id, record_id, desk_id, recorded_at, case_kind, payload) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [p.id, recordId, deskId, p.recordedAt, p.case, JSON.stringify(p)],
      );
    } else {
      await tx.query(
        `INSERT INTO film_approvals (id, record_id, exception_id, recorded_at, payload) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
        [p.id, recordId, p.exceptionId, p.recordedAt, JSON.stringify(p)],
      );
    }
  }

  return {
    async storeBatch(deskId, raw) {
      const results: RecordResult[] = [];
      for (const item of raw) {
        const parsed = parseRecord(item);
        if (!parsed.ok) {
          results.push({ id: parsed.id ?? '', status: 'rejected', error: parsed.error });
          continue;
        }
        try {
          results.push({ id: parsed.record.id, status: await storeOne(deskId, parsed.record) });
        } catch (e) {
          if (!(e instanceof Rejected)) throw e;
          results.push({ id: parsed.record.id, status: 'rejected', error: e.message });
        }
      }
      await sql.query('UPDATE desks SET last_seen_at = $1 WHERE id = $2', [clock.now(), deskId]);
      const count = (s: RecordResult['status']) => results.filter((r) => r.status === s).length;
      logger.info('records batch', { desk: deskId, stored: count('stored'), duplicate: count('duplicate'), rejected: count('rejected') });
      return results;
    },
  };
}
