/**
 * The append-only, hash-chained audit log. Each record's hash covers its fields and the previous
 * record's hash; triggers reject UPDATE and DELETE, and `verify()` finds the first record whose
 * stored fields no longer hash to what the chain says — an edit made by going around SQLite.
 * Each record also joins the records outbox in the same transaction, so the clinic server
 * receives the desk's whole log, hashes included.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { AuditRecord } from '../../../shared/contract/foundation';
import { enqueueRecord } from '../records/records-outbox';

const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  operatorId: string | null;
  action: string;
  outcome: 'ok' | 'error';
  patientID?: string | null;
  studyInstanceUID?: string | null;
  detail?: Record<string, unknown>;
}

interface Row {
  seq: number;
  at: number;
  operator_id: string | null;
  desk_id: string;
  action: string;
  outcome: 'ok' | 'error';
  patient_id: string | null;
  study_uid: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditLog {
  append(entry: AuditEntry): AuditRecord;
  list(opts: { limit: number; beforeSeq?: number | undefined; action?: string | undefined }): AuditRecord[];
  verify(): { ok: boolean; checked: number; firstBrokenSeq: number | null };
}

/** `onAppended` runs after each record is committed (it wakes the records sender). */
export function createAuditLog(db: Db, clock: Clock, deskId: string, onAppended: () => void = () => {}): AuditLog {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO audit_log (seq, at, operator_id, desk_id, action, outcome, patient_id, study_uid, detail, prev_hash, hash)
     VALUES (@seq, @at, @operator_id, @desk_id, @action, @outcome, @patient_id, @study_uid, @detail, @prev_hash, @hash)`,
  );

  const append = db.transaction((entry: AuditEntry): Row => {
    const prev = last.get() as { seq: number; hash: string } | undefined;
    const base = {
      seq: (prev?.seq ?? 0) + 1,
      at: clock.now(),
      operator_id: entry.operatorId,
      desk_id: deskId,
      action: entry.action,
      outcome: entry.outcome,
      patient_id: entry.patientID ?? null,
      study_uid: entry.studyInstanceUID ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      prev_hash: prev?.hash ?? GENESIS,
    };
    const row: Row = { ...base, hash: hashOf(base) };
    insert.run(row);
    enqueueRecord(db, clock, 'audit', { ...toRecord(row), prevHash: row.prev_hash, hash: row.hash });
    return row;
  });

  return {
    append(entry) {
      const row = append(entry);
      onAppended();
      return toRecord(row);
    },
    list({ limit, beforeSeq, action }) {
      const rows = db
        .prepare(
          `SELECT * FROM audit_log WHERE (@before IS NULL OR seq < @before) AND (@action IS NULL OR action = @action)
           ORDER BY seq DESC LIMIT @limit`,
        )
        .all({ before: beforeSeq ?? null, action: action ?? null, limit }) as Row[];
      return rows.map(toRecord);
    },
    verify() {
      let prevHash = GENESIS;
      let checked = 0;
      for (const row of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>) {
        const { hash, ...fields } = row;
        if (row.prev_hash !== prevHash || hashOf(fields) !== hash) return { ok: false, checked, firstBrokenSeq: row.seq };
        prevHash = hash;
        checked++;
      }
      return { ok: true, checked, firstBrokenSeq: null };
    },
  };
}

function hashOf(r: Omit<Row, 'hash'>): string {
  // A fixed field order, so the hash does not depend on how the row object was built.
  const canonical = JSON.stringify([r.seq, r.at, r.operator_id, r.desk_id, r.action, r.outcome, r.patient_id, r.study_uid, r.detail, r.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

function toRecord(r: Row): AuditRecord {
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(r.detail) as Record<string, unknown>;
  } catch {
    // A damaged row still lists; verify() reports it.
    detail = { unreadable: true };
  }
  return {
    seq: r.seq,
    at: r.at,
    operatorId: r.operator_id,
    deskId: r.desk_id,
    action: r.action,
    outcome: r.outcome,
    patientID: r.patient_id,
    studyInstanceUID: r.study_uid,
    detail,
  };
}
