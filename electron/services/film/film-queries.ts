/**
 * Reads the film register: joins each exception with its film lines, its void, its later approval,
 * the record that corrected it, and whether the clinic server has each of them yet.
 */
import type { Db } from '../store/database';
import { recordStatus } from '../records/records-outbox';
import type { FilmCase, FilmLine, FilmSize } from '../../../shared/film-cases';
import type { FilmRecordView } from '../../../shared/film-views';

export interface FilmExceptionRow {
  id: string;
  recorded_at: number;
  desk_id: string;
  operator_id: string | null;
  operator_name: string;
  visit_id: string;
  visit_number: string;
  patient_id: string;
  patient_name: string;
  accession_number: string;
  procedure_code: string;
  procedure_name: string;
  case_kind: FilmCase;
  study_uids: string;
  contract_name: string | null;
  contract_number: string | null;
  request_reference: string | null;
  charge_acknowledged: number | null;
  description: string | null;
  proposed_by: string | null;
  approved_by: string | null;
  approval_reference: string | null;
  approval_date: string | null;
  pending_approval: number;
  replaces_id: string | null;
  billing_procedure: string | null;
  billing_name: string | null;
  no_film_code: string | null;
  no_film_price: number | null;
  with_film_code: string | null;
  with_film_price: number | null;
}

interface JoinedRow extends FilmExceptionRow {
  replaced_by_id: string | null;
  void_id: string | null;
  void_reason: string | null;
  voided_at: number | null;
  void_operator_id: string | null;
  void_operator_name: string | null;
  ap_id: string | null;
  ap_by: string | null;
  ap_reference: string | null;
  ap_date: string | null;
  ap_recorded_at: number | null;
  ap_operator_id: string | null;
  ap_operator_name: string | null;
}

export interface FilmListFilter {
  /** Instant range `[start, end)`. */
  start?: number;
  end?: number;
  visitId?: string;
  case?: FilmCase;
  includeVoided?: boolean;
  limit?: number;
}

const SELECT = `
  SELECT e.*,
         r.id AS replaced_by_id,
         v.id AS void_id, v.reason AS void_reason, v.voided_at, v.operator_id AS void_operator_id,
         v.operator_name AS void_operator_name,
         a.id AS ap_id, a.approved_by AS ap_by, a.approval_reference AS ap_reference, a.approval_date AS ap_date,
         a.recorded_at AS ap_recorded_at, a.operator_id AS ap_operator_id, a.operator_name AS ap_operator_name
    FROM film_exceptions e
    LEFT JOIN film_exceptions r ON r.replaces_id = e.id
    LEFT JOIN film_voids v ON v.exception_id = e.id
    LEFT JOIN film_approvals a ON a.exception_id = e.id`;

export function getFilmRecord(db: Db, id: string): FilmRecordView | null {
  const row = db.prepare(`${SELECT} WHERE e.id = ?`).get(id) as JoinedRow | undefined;
  return row ? toViews(db, [row])[0]! : null;
}

/** Newest first; one row more than `limit` is read to tell whether the list was cut. */
export function listFilmRecords(db: Db, f: FilmListFilter = {}): { items: FilmRecordView[]; truncated: boolean } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.start !== undefined) {
    where.push('e.recorded_at >= @start');
    params.start = f.start;
  }
  if (f.end !== undefined) {
    where.push('e.recorded_at < @end');
    params.end = f.end;
  }
  if (f.visitId) {
    where.push('e.visit_id = @visitId');
    params.visitId = f.visitId;
  }
  if (f.case) {
    where.push('e.case_kind = @case');
    params.case = f.case;
  }
  if (f.includeVoided === false) where.push('v.id IS NULL');
  const limit = f.limit ?? Number.MAX_SAFE_INTEGER;
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY e.recorded_at DESC, e.rowid DESC LIMIT @take`;
  const rows = db.prepare(sql).all({ ...params, take: Math.min(limit + 1, Number.MAX_SAFE_INTEGER) }) as JoinedRow[];
  return { items: toViews(db, rows.slice(0, limit)), truncated: rows.length > limit };
}

function filmLines(db: Db, ids: readonly string[]): Map<string, FilmLine[]> {
  const out = new Map<string, FilmLine[]>();
  const stmt = db.prepare('SELECT size, count FROM film_exception_films WHERE exception_id = ? ORDER BY line');
  for (const id of ids) out.set(id, stmt.all(id) as { size: FilmSize; count: number }[]);
  return out;
}

function serverState(db: Db, id: string | null) {
  if (!id) return null;
  const s = recordStatus(db, id);
  return s ? { status: s.status, deliveredAt: s.deliveredAt } : null;
}

function toViews(db: Db, rows: readonly JoinedRow[]): FilmRecordView[] {
  const lines = filmLines(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const films = lines.get(r.id) ?? [];
    const approvalAtRecord =
      r.approved_by && r.approval_reference && r.approval_date
        ? {
            approvedBy: r.approved_by,
            approvalReference: r.approval_reference,
            approvalDate: r.approval_date,
            recordedAt: r.recorded_at,
            later: false,
            by: { id: r.operator_id, name: r.operator_name },
            server: null,
          }
        : null;
    const approvalLater =
      r.ap_id && r.ap_by && r.ap_reference && r.ap_date && r.ap_recorded_at !== null
        ? {
            approvedBy: r.ap_by,
            approvalReference: r.ap_reference,
            approvalDate: r.ap_date,
            recordedAt: r.ap_recorded_at,
            later: true,
            by: { id: r.ap_operator_id, name: r.ap_operator_name ?? '' },
            server: serverState(db, r.ap_id),
          }
        : null;
    return {
      id: r.id,
      recordedAt: r.recorded_at,
      deskId: r.desk_id,
      technician: { id: r.operator_id, name: r.operator_name },
      visitId: r.visit_id,
      visitNumber: r.visit_number,
      patientID: r.patient_id,
      patientName: r.patient_name,
      accessionNumber: r.accession_number,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      case: r.case_kind,
      films,
      totalFilms: films.reduce((n, l) => n + l.count, 0),
      studyInstanceUIDs: JSON.parse(r.study_uids) as string[],
      contractName: r.contract_name,
      contractNumber: r.contract_number,
      requestReference: r.request_reference,
      chargeAcknowledged: r.charge_acknowledged === null ? null : r.charge_acknowledged === 1,
      description: r.description,
      proposedBy: r.proposed_by,
      approval: approvalAtRecord ?? approvalLater,
      pendingApproval: r.pending_approval === 1 && approvalLater === null,
      billing:
        r.billing_procedure !== null && r.no_film_code !== null && r.with_film_code !== null
          ? {
              procedureCode: r.billing_procedure,
              serviceName: r.billing_name ?? '',
              noFilmCode: r.no_film_code,
              noFilmPrice: r.no_film_price ?? 0,
              withFilmCode: r.with_film_code,
              withFilmPrice: r.with_film_price ?? 0,
            }
          : null,
      replacesId: r.replaces_id,
      replacedById: r.replaced_by_id,
      void:
        r.void_id && r.voided_at !== null
          ? {
              id: r.void_id,
              reason: r.void_reason ?? '',
              voidedAt: r.voided_at,
              by: { id: r.void_operator_id, name: r.void_operator_name ?? '' },
              server: serverState(db, r.void_id),
            }
          : null,
      server: serverState(db, r.id),
    };
  });
}
