/**
 * The film register as the server rebuilds it from the desks' records, in the desk's own view shape
 * (`FilmRecordView`), so the admin report is computed by the very function the desk uses
 * (`buildFilmReport`) and reads the same. Voids and later approvals are joined by exception id;
 * one that arrived before its exception simply waits until the exception is there.
 */
import type { FilmRecordView } from '../../../shared/film-views';
import type { FilmApprovalRecord, FilmExceptionRecord, FilmVoidRecord } from '../../../shared/film-records';
import type { Queryable } from '../db/sql';

interface Row {
  payload: FilmExceptionRecord;
  void_payload: FilmVoidRecord | null;
  approval_payload: FilmApprovalRecord | null;
  replaced_by_id: string | null;
}

/** Records in `[start, end)` (recordedAt), newest first. */
export async function loadFilmRecords(sql: Queryable, start: number, end: number): Promise<FilmRecordView[]> {
  const rows = await sql.query<Row>(
    `SELECT e.payload,
            (SELECT v.payload FROM film_voids v WHERE v.exception_id = e.id ORDER BY v.voided_at LIMIT 1) AS void_payload,
            (SELECT a.payload FROM film_approvals a WHERE a.exception_id = e.id ORDER BY a.recorded_at LIMIT 1) AS approval_payload,
            (SELECT r.id::text FROM film_exceptions r WHERE r.payload->>'replacesId' = e.id::text LIMIT 1) AS replaced_by_id
       FROM film_exceptions e
      WHERE e.recorded_at >= $1 AND e.recorded_at < $2
      ORDER BY e.recorded_at DESC`,
    [start, end],
  );
  return rows.map(toView);
}

function toView(r: Row): FilmRecordView {
  const p = r.payload;
  const later = r.approval_payload;
  const v = r.void_payload;
  return {
    id: p.id,
    recordedAt: p.recordedAt,
    deskId: p.deskId,
    technician: p.technician,
    visitId: p.visit.id,
    visitNumber: p.visit.visitNumber,
    patientID: p.visit.patientID,
    patientName: p.visit.patientName,
    accessionNumber: p.visit.accessionNumber,
    procedureCode: p.visit.procedureCode,
    procedureName: p.visit.procedureName,
    case: p.case,
    films: p.films,
    totalFilms: p.films.reduce((n, l) => n + l.count, 0),
    studyInstanceUIDs: p.studyInstanceUIDs,
    contractName: p.contractName,
    contractNumber: p.contractNumber,
    requestReference: p.requestReference,
    chargeAcknowledged: p.chargeAcknowledged,
    description: p.description,
    proposedBy: p.proposedBy,
    approval: p.approval
      ? { ...p.approval, recordedAt: p.recordedAt, later: false, by: p.technician, server: null }
      : later
        ? {
            approvedBy: later.approvedBy,
            approvalReference: later.approvalReference,
            approvalDate: later.approvalDate,
            recordedAt: later.recordedAt,
            later: true,
            by: later.by,
            server: null,
          }
        : null,
    pendingApproval: p.pendingApproval && later === null,
    billing: p.billing,
    replacesId: p.replacesId,
    replacedById: r.replaced_by_id ?? v?.replacedById ?? null,
    void: v ? { id: v.id, reason: v.reason, voidedAt: v.voidedAt, by: v.by, server: null } : null,
    server: null,
  };
}
