/**
 * The ingest's writes, each one SQLite transaction: an accepted instance with its study, series,
 * outbox row, receipt and source record; a duplicate's receipt; a quarantined file's row and
 * receipt. A crash leaves either all of a file's rows or none of them.
 *
 * Duplicate detection runs inside the transaction (the single writer makes the check and the
 * insert atomic), so two copies of one SOP instance arriving at once cannot both be stored.
 */
import type { InstanceHeader } from '../ingest/header-fields';
import type { ReasonCode } from '../ingest/reasons';
import { foldText } from '../../../shared/text-fold';
import type { Db } from './database';

export type IngestSource = 'folder' | 'scp';

/** Where a received file was and what it looked like, so a restart can recognise it. */
export interface SourceKey {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface NewInstance {
  readonly header: InstanceHeader;
  readonly sha256: string;
  readonly size: number;
  /** Relative to the store folder. */
  readonly filePath: string;
  readonly source: IngestSource;
  readonly sourceName: string;
  readonly receivedAt: number;
  readonly sourceKey: SourceKey | null;
  /** sync.sendPolicy = immediately: the study is released on arrival. */
  readonly sendImmediately: boolean;
  /**
   * Set when a quarantined file is retried: its existing receipt changes outcome and the item is
   * marked resolved, instead of a new receipt (the file was received once).
   */
  readonly retryOf?: string;
}

export type RecordResult =
  | { readonly kind: 'accepted'; readonly instanceId: number; readonly receiptId: number }
  | { readonly kind: 'duplicate'; readonly receiptId: number; readonly instanceId: number }
  | { readonly kind: 'conflict'; readonly instanceId: number };

export function findInstanceBySop(db: Db, sopInstanceUID: string): { id: number; sha256: string } | null {
  return (db.prepare('SELECT id, sha256 FROM instances WHERE sop_instance_uid = ?').get(sopInstanceUID) as { id: number; sha256: string } | undefined) ?? null;
}

export function findSourceReceipt(db: Db, key: SourceKey): number | null {
  const row = db.prepare('SELECT receipt_id FROM ingest_sources WHERE source_path = ? AND size = ? AND mtime_ms = ?').get(key.path, key.size, key.mtimeMs) as
    | { receipt_id: number }
    | undefined;
  return row?.receipt_id ?? null;
}

/** The store file (relative to the store) of the instance a receipt accepted; null for other receipts. */
export function storedFileOfReceipt(db: Db, receiptId: number): string | null {
  const row = db
    .prepare(`SELECT i.file_path AS filePath FROM receipts r JOIN instances i ON i.id = r.instance_id WHERE r.id = ? AND r.outcome = 'accepted'`)
    .get(receiptId) as { filePath: string } | undefined;
  return row?.filePath || null;
}

function recordSource(db: Db, key: SourceKey | null, receiptId: number): void {
  if (!key) return;
  db.prepare('INSERT OR REPLACE INTO ingest_sources (source_path, size, mtime_ms, receipt_id) VALUES (?, ?, ?, ?)').run(key.path, key.size, key.mtimeMs, receiptId);
}

function insertReceipt(db: Db, at: number, source: string, sourceName: string, outcome: 'accepted' | 'duplicate' | 'quarantined', instanceId: number | null, quarantineId: string | null): number {
  return Number(
    db
      .prepare('INSERT INTO receipts (at, source, source_name, outcome, instance_id, quarantine_id) VALUES (?, ?, ?, ?, ?, ?)')
      .run(at, source, sourceName, outcome, instanceId, quarantineId).lastInsertRowid,
  );
}

/** Study fields that a later instance may fill in when the first one left them empty. */
const STUDY_FILL = ['patient_id', 'patient_name', 'patient_birth_date', 'patient_sex', 'accession_number', 'study_date', 'study_time', 'study_description', 'modality'] as const;

function upsertStudy(db: Db, h: InstanceHeader, at: number, releaseNow: boolean): void {
  const values: Record<(typeof STUDY_FILL)[number], string> = {
    patient_id: h.patientID,
    patient_name: h.patientName,
    patient_birth_date: h.patientBirthDate,
    patient_sex: h.patientSex,
    accession_number: h.accessionNumber,
    study_date: h.studyDate,
    study_time: h.studyTime,
    study_description: h.studyDescription,
    modality: h.modality,
  };
  db.prepare(
    `INSERT INTO studies (study_uid, ${STUDY_FILL.join(', ')}, released_at, first_received_at, last_received_at)
     VALUES (@study_uid, ${STUDY_FILL.map((c) => `@${c}`).join(', ')}, @released_at, @at, @at)
     ON CONFLICT (study_uid) DO UPDATE SET
       ${STUDY_FILL.map((c) => `${c} = CASE WHEN studies.${c} = '' THEN excluded.${c} ELSE studies.${c} END`).join(',\n       ')},
       released_at = COALESCE(studies.released_at, excluded.released_at),
       last_received_at = MAX(studies.last_received_at, excluded.last_received_at)`,
  ).run({ study_uid: h.studyInstanceUID, ...values, released_at: releaseNow ? at : null, at });
  const row = db.prepare('SELECT patient_name, patient_id, accession_number FROM studies WHERE study_uid = ?').get(h.studyInstanceUID) as {
    patient_name: string;
    patient_id: string;
    accession_number: string;
  };
  db.prepare('UPDATE studies SET search_text = ? WHERE study_uid = ?').run(studySearchText(row.patient_name, row.patient_id, row.accession_number), h.studyInstanceUID);
}

/** What the Inbox search matches: folded name, PatientID and AccessionNumber. */
export function studySearchText(patientName: string, patientID: string, accessionNumber: string): string {
  return foldText(`${patientName} ${patientID} ${accessionNumber}`);
}

function upsertSeries(db: Db, h: InstanceHeader): void {
  db.prepare(
    `INSERT INTO series (series_uid, study_uid, modality, series_number, series_description, body_part_examined)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (series_uid) DO UPDATE SET
       modality = CASE WHEN series.modality = '' THEN excluded.modality ELSE series.modality END,
       series_number = CASE WHEN series.series_number = '' THEN excluded.series_number ELSE series.series_number END,
       series_description = CASE WHEN series.series_description = '' THEN excluded.series_description ELSE series.series_description END,
       body_part_examined = CASE WHEN series.body_part_examined = '' THEN excluded.body_part_examined ELSE series.body_part_examined END`,
  ).run(h.seriesInstanceUID, h.studyInstanceUID, h.modality, h.seriesNumber, h.seriesDescription, h.bodyPartExamined);
}

function receiptFor(db: Db, n: NewInstance, outcome: 'accepted' | 'duplicate', instanceId: number): number {
  if (n.retryOf === undefined) return insertReceipt(db, n.receivedAt, n.source, n.sourceName, outcome, instanceId, null);
  db.prepare('UPDATE quarantine SET resolved_at = ? WHERE id = ?').run(n.receivedAt, n.retryOf);
  const row = db.prepare("SELECT id FROM receipts WHERE quarantine_id = ? ORDER BY id LIMIT 1").get(n.retryOf) as { id: number } | undefined;
  if (!row) return insertReceipt(db, n.receivedAt, n.source, n.sourceName, outcome, instanceId, n.retryOf);
  db.prepare('UPDATE receipts SET outcome = ?, instance_id = ? WHERE id = ?').run(outcome, instanceId, row.id);
  return row.id;
}

/**
 * Records an accepted file. If the SOP instance is already held: same bytes → a duplicate
 * receipt (nothing else written); other bytes → 'conflict' and nothing written (the caller
 * quarantines the file).
 */
export function recordInstance(db: Db, n: NewInstance): RecordResult {
  return db.transaction((): RecordResult => {
    const existing = findInstanceBySop(db, n.header.sopInstanceUID);
    if (existing) {
      if (existing.sha256 !== n.sha256) return { kind: 'conflict', instanceId: existing.id };
      const receiptId = receiptFor(db, n, 'duplicate', existing.id);
      recordSource(db, n.sourceKey, receiptId);
      return { kind: 'duplicate', receiptId, instanceId: existing.id };
    }
    const h = n.header;
    upsertStudy(db, h, n.receivedAt, n.sendImmediately);
    upsertSeries(db, h);
    const instanceId = Number(
      db
        .prepare(
          `INSERT INTO instances (sop_instance_uid, sop_class_uid, series_uid, study_uid, instance_number, view_position, laterality,
             station_name, rows, columns, transfer_syntax_uid, file_path, size, sha256, source, source_name, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          h.sopInstanceUID,
          h.sopClassUID,
          h.seriesInstanceUID,
          h.studyInstanceUID,
          h.instanceNumber,
          h.viewPosition,
          h.laterality,
          h.stationName,
          h.rows,
          h.columns,
          h.transferSyntaxUID,
          n.filePath,
          n.size,
          n.sha256,
          n.source,
          n.sourceName,
          n.receivedAt,
        ).lastInsertRowid,
    );
    // Held until the study is released (attached to a visit, released by hand, or sent on arrival).
    const released = (db.prepare('SELECT released_at FROM studies WHERE study_uid = ?').get(h.studyInstanceUID) as { released_at: number | null }).released_at;
    db.prepare('INSERT INTO outbox (instance_id, status, available_at) VALUES (?, ?, ?)').run(instanceId, released !== null ? 'pending' : 'held', n.receivedAt);
    const receiptId = receiptFor(db, n, 'accepted', instanceId);
    recordSource(db, n.sourceKey, receiptId);
    return { kind: 'accepted', instanceId, receiptId };
  })();
}

export interface NewQuarantine {
  readonly id: string;
  readonly originalName: string;
  /** Relative to the quarantine folder. */
  readonly filePath: string;
  readonly reason: ReasonCode;
  readonly messageVi: string;
  readonly messageEn: string;
  readonly detail: string;
  readonly receivedAt: number;
  readonly sopInstanceUID: string | null;
  readonly sha256: string;
  readonly size: number;
  readonly source: IngestSource;
  readonly sourceKey: SourceKey | null;
}

export function recordQuarantine(db: Db, q: NewQuarantine): number {
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO quarantine (id, original_name, file_path, reason, message_vi, message_en, received_at, sop_instance_uid, sha256, size, source, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(q.id, q.originalName, q.filePath, q.reason, q.messageVi, q.messageEn, q.receivedAt, q.sopInstanceUID, q.sha256, q.size, q.source, q.detail);
    const receiptId = insertReceipt(db, q.receivedAt, q.source, q.originalName, 'quarantined', null, q.id);
    recordSource(db, q.sourceKey, receiptId);
    return receiptId;
  })();
}

/** A retried item that failed again: same id and receipt, the newest reason. */
export function updateQuarantineReason(db: Db, id: string, reason: ReasonCode, messageVi: string, messageEn: string, detail: string, sopInstanceUID: string | null): void {
  db.prepare('UPDATE quarantine SET reason = ?, message_vi = ?, message_en = ?, detail = ?, sop_instance_uid = COALESCE(?, sop_instance_uid) WHERE id = ?').run(
    reason,
    messageVi,
    messageEn,
    detail,
    sopInstanceUID,
    id,
  );
}

export interface ReceiptCounts {
  received: number;
  accepted: number;
  duplicates: number;
  quarantined: number;
}

export function receiptCounts(db: Db): ReceiptCounts {
  const rows = db.prepare('SELECT outcome, COUNT(*) AS n FROM receipts GROUP BY outcome').all() as Array<{ outcome: string; n: number }>;
  const by = (o: string) => rows.find((r) => r.outcome === o)?.n ?? 0;
  const accepted = by('accepted');
  const duplicates = by('duplicate');
  const quarantined = by('quarantined');
  return { received: accepted + duplicates + quarantined, accepted, duplicates, quarantined };
}
