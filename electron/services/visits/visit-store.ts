/**
 * Reading visits for the list and the detail view: the row itself, plus what other capabilities
 * know about it — the PACS queue state of its images (outbox), its latest slip (slips) and any
 * film issued against the no-film default (the film capability's `visitFilmStatus`). Those tables
 * are read, never written.
 */
import type { Db } from '../store/database';
import { foldText, foldedWords } from '../../../shared/text-fold';
import type { VisitDetail, VisitSummary } from '../../../shared/contract/visits';
import { localDayBounds } from './local-day';
import { visitFilmStatus } from '../film/visit-film-status';
import { activeInstanceSql } from '../store/active-instance';

export interface VisitRow {
  id: string;
  visit_number: string;
  source: 'worklist' | 'walk-in';
  patient_id: string;
  patient_id_temporary: number;
  patient_name: string;
  birth_date: string;
  sex: '' | 'M' | 'F' | 'O';
  phone: string;
  accession_number: string;
  study_instance_uid: string;
  procedure_code: string;
  procedure_name: string;
  referring_physician: string;
  payer: '' | 'BHYT' | 'SERVICE' | 'CONTRACT';
  contract_name: string;
  scheduled_at: number | null;
  station_aet: string;
  /** The worklist step's Modality; '' for walk-ins and orders cached before it was kept. */
  modality: string;
  search_text: string;
  reconciled_to: string | null;
  /** The order left the worklist (worklist-withdrawal.ts); null while it is on it. */
  withdrawn_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Instances that count as the study's images: not replaced by a correction, not a rejection note. */
export const ACTIVE_INSTANCE = activeInstanceSql('i');

export type ImageStatus = VisitSummary['imageStatus'];

/**
 * SQL: the visit `v` (a table alias) was withdrawn from the worklist and has no study attached.
 * Such a visit is hidden from the list and is no target for images; one that already has studies
 * stays, marked, so nobody loses sight of images taken for a cancelled order.
 */
export function withdrawnEmptySql(v: string): string {
  return `(${v}.withdrawn_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM studies ws WHERE ws.visit_id = ${v}.id AND ws.replaced_by IS NULL))`;
}

export function getVisitRow(db: Db, id: string): VisitRow | undefined {
  return db.prepare('SELECT * FROM visits WHERE id = ?').get(id) as VisitRow | undefined;
}

/** What the visit list searches: name, PatientID, accession, visit number and phone, folded. */
export function searchTextOf(v: Pick<VisitRow, 'patient_name' | 'patient_id' | 'accession_number' | 'visit_number' | 'phone'>): string {
  return foldText([v.patient_name, v.patient_id, v.accession_number, v.visit_number, v.phone].join(' '));
}

/** failed > waiting > sending > sent: the state that needs someone's attention first. */
export function imageStatusOf(counts: Readonly<Record<string, number>>): ImageStatus {
  const n = (s: string) => counts[s] ?? 0;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (total === 0) return 'none';
  if (n('failed') > 0) return 'failed';
  if (n('held') > 0) return 'waiting';
  if (n('pending') + n('sending') > 0) return 'sending';
  return 'sent';
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

function studyCounts(db: Db, ids: readonly string[]): Map<string, number> {
  const rows = db
    .prepare(`SELECT visit_id AS id, COUNT(*) AS n FROM studies WHERE replaced_by IS NULL AND visit_id IN (${placeholders(ids.length)}) GROUP BY visit_id`)
    .all(...ids) as { id: string; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}

function outboxCounts(db: Db, ids: readonly string[]): Map<string, Record<string, number>> {
  const rows = db
    .prepare(
      `SELECT s.visit_id AS id, o.status AS status, COUNT(*) AS n
         FROM studies s JOIN instances i ON i.study_uid = s.study_uid JOIN outbox o ON o.instance_id = i.id
        WHERE s.replaced_by IS NULL AND ${ACTIVE_INSTANCE} AND s.visit_id IN (${placeholders(ids.length)})
        GROUP BY s.visit_id, o.status`,
    )
    .all(...ids) as { id: string; status: string; n: number }[];
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) out.set(r.id, { ...out.get(r.id), [r.status]: r.n });
  return out;
}

function slipStatuses(db: Db, ids: readonly string[], now: number): Map<string, VisitSummary['slipStatus']> {
  const rows = db
    .prepare(
      `SELECT visit_id AS id, status, expires_at AS expiresAt FROM slips s
        WHERE visit_id IN (${placeholders(ids.length)})
          AND created_at = (SELECT MAX(created_at) FROM slips x WHERE x.visit_id = s.visit_id)`,
    )
    .all(...ids) as { id: string; status: 'active' | 'revoked'; expiresAt: number }[];
  return new Map(rows.map((r) => [r.id, r.status === 'revoked' ? 'revoked' : r.expiresAt <= now ? 'expired' : 'active']));
}

export function summarize(db: Db, rows: readonly VisitRow[], now: number): VisitSummary[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const studies = studyCounts(db, ids);
  const outbox = outboxCounts(db, ids);
  const slips = slipStatuses(db, ids, now);
  return rows.map((r) => ({
    id: r.id,
    visitNumber: r.visit_number,
    patientID: r.patient_id,
    patientName: r.patient_name,
    birthDate: r.birth_date,
    sex: r.sex,
    accessionNumber: r.accession_number,
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    payer: r.payer,
    contractName: r.contract_name,
    scheduledAt: r.scheduled_at,
    source: r.source,
    temporaryPatientID: r.patient_id_temporary === 1,
    studyCount: studies.get(r.id) ?? 0,
    imageStatus: imageStatusOf(outbox.get(r.id) ?? {}),
    slipStatus: slips.get(r.id) ?? 'none',
    filmStatus: visitFilmStatus(db, r.id),
    reconciledTo: r.reconciled_to,
    withdrawnAt: r.withdrawn_at,
  }));
}

export interface ListFilter {
  date?: string | undefined;
  text?: string | undefined;
  status?: ImageStatus | undefined;
  source?: VisitRow['source'] | undefined;
  includeReconciled: boolean;
  /** Also visits withdrawn from the worklist with no study attached (hidden by default). */
  includeWithdrawn: boolean;
  limit: number;
}

/** The visits of one local day (by scheduled time), newest schedule last, filtered. */
export function listVisits(db: Db, f: ListFilter, now: number): VisitSummary[] {
  const { start, end } = localDayBounds(f.date ?? now);
  const where = ['COALESCE(scheduled_at, created_at) >= ?', 'COALESCE(scheduled_at, created_at) < ?'];
  const args: (string | number)[] = [start, end];
  if (!f.includeReconciled) where.push('reconciled_to IS NULL');
  if (!f.includeWithdrawn) where.push(`NOT ${withdrawnEmptySql('visits')}`);
  if (f.source) {
    where.push('source = ?');
    args.push(f.source);
  }
  for (const w of foldedWords(f.text ?? '')) {
    where.push(`search_text LIKE ? ESCAPE '\\'`);
    args.push(`%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const rows = db
    .prepare(`SELECT * FROM visits WHERE ${where.join(' AND ')} ORDER BY COALESCE(scheduled_at, created_at), visit_number`)
    .all(...args) as VisitRow[];
  const items = summarize(db, rows, now);
  return (f.status ? items.filter((i) => i.imageStatus === f.status) : items).slice(0, f.limit);
}

export function visitDetail(db: Db, row: VisitRow, now: number): VisitDetail {
  const [summary] = summarize(db, [row], now) as [VisitSummary];
  const studies = db
    .prepare(
      `SELECT study_uid AS uid, study_date AS date, study_description AS description, modality FROM studies
        WHERE visit_id = ? AND replaced_by IS NULL ORDER BY first_received_at`,
    )
    .all(row.id) as { uid: string; date: string; description: string; modality: string }[];
  const perStudy = db.prepare(
    `SELECT o.status AS status, COUNT(*) AS n FROM instances i JOIN outbox o ON o.instance_id = i.id
      WHERE i.study_uid = ? AND ${ACTIVE_INSTANCE} GROUP BY o.status`,
  );
  return {
    ...summary,
    phone: row.phone,
    referringPhysician: row.referring_physician,
    stationAET: row.station_aet,
    studyInstanceUIDOrdered: row.study_instance_uid,
    createdAt: row.created_at,
    studies: studies.map((s) => {
      const counts = Object.fromEntries((perStudy.all(s.uid) as { status: string; n: number }[]).map((c) => [c.status, c.n]));
      return {
        studyInstanceUID: s.uid,
        studyDate: s.date,
        studyDescription: s.description,
        modality: s.modality,
        instanceCount: Object.values(counts).reduce((a, b) => a + b, 0),
        imageStatus: imageStatusOf(counts),
      };
    }),
  };
}
