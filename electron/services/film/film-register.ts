/**
 * Writes to the film-exception register: record, void, approve. Each write is one SQLite
 * transaction holding the register row(s), the visit's recomputed billing and the records-outbox
 * row for the clinic server — so a record exists exactly when its outbox entry does, with no
 * network involved. Nothing is ever updated in place:
 *
 *   recorded ──film.void──▶ voided                       (void row)
 *   recorded ──film.record{replacesId}──▶ voided + new   (void row + new record pointing back)
 *   pending  ──film.approve──▶ approved                  (approval row; SPECIAL cases only)
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ServiceCatalog } from '../catalog/service-catalog';
import { enqueueRecord } from '../records/records-outbox';
import { DeskError } from '../../../shared/errors';
import { FILM_MESSAGES, missingMessage, type FilmField, type FilmRecordCommand } from '../../../shared/film-cases';
import { localDate } from '../../../shared/film-dates';
import type { FilmRecordView } from '../../../shared/film-views';
import type { FilmApprovalRecord, FilmExceptionRecord, FilmVoidRecord } from '../../../shared/film-records';
import { getFilmRecord } from './film-queries';
import { readVisit, visitStudies } from './visit-snapshot';
import { refreshVisitBilling } from './visit-billing';

/** Who is acting, from the call context. */
export interface FilmActor {
  readonly deskId: string;
  readonly operatorId: string | null;
  readonly operatorName: string;
}

export interface FilmRegisterDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  catalog: ServiceCatalog;
}

export interface FilmRegister {
  record(cmd: FilmRecordCommand, actor: FilmActor): FilmRecordView;
  void(input: { id: string; reason: string }, actor: FilmActor): FilmRecordView;
  approve(input: { id: string; approvedBy: string; approvalReference: string; approvalDate: string }, actor: FilmActor): FilmRecordView;
}

function invalid(field: FilmField | 'chargeAcknowledged', detail: string): DeskError {
  return new DeskError('VALIDATION', { field, detail }, { field });
}

interface StateRow {
  id: string;
  visit_id: string;
  procedure_code: string;
  procedure_name: string;
  case_kind: string;
  pending_approval: number;
  voided: number;
  approved_later: number;
  replaced: number;
}

export function createFilmRegister({ db, clock, logger, catalog }: FilmRegisterDeps): FilmRegister {
  const state = (id: string): StateRow | undefined =>
    db
      .prepare(
        `SELECT e.id, e.visit_id, e.procedure_code, e.procedure_name, e.case_kind, e.pending_approval,
                EXISTS (SELECT 1 FROM film_voids v WHERE v.exception_id = e.id) AS voided,
                EXISTS (SELECT 1 FROM film_approvals a WHERE a.exception_id = e.id) AS approved_later,
                EXISTS (SELECT 1 FROM film_exceptions r WHERE r.replaces_id = e.id) AS replaced
           FROM film_exceptions e WHERE e.id = ?`,
      )
      .get(id) as StateRow | undefined;

  const notInFuture = (date: string) => {
    if (date > localDate(clock.now())) throw invalid('approvalDate', FILM_MESSAGES.approvalDateFuture);
  };

  /** Inserts the void row and its outbox record; the caller holds the transaction. */
  const insertVoid = (exceptionId: string, reason: string, actor: FilmActor, replacedById: string | null): string => {
    const id = randomUUID();
    const at = clock.now();
    db.prepare(
      `INSERT INTO film_voids (id, exception_id, reason, voided_at, desk_id, operator_id, operator_name)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, exceptionId, reason, at, actor.deskId, actor.operatorId, actor.operatorName);
    const payload: FilmVoidRecord = {
      id,
      exceptionId,
      deskId: actor.deskId,
      voidedAt: at,
      by: { id: actor.operatorId, name: actor.operatorName },
      reason,
      replacedById,
    };
    enqueueRecord(db, clock, 'film-void', payload, id);
    return id;
  };

  return {
    record(cmd, actor) {
      const visit = readVisit(db, cmd.visitId);
      if (!visit) throw new DeskError('FILM_VISIT_NOT_FOUND', {}, { field: 'visitId' });
      const d = cmd.details;

      // The notice's contract case: the visit's contract payer fills in the contract name.
      let contractName: string | null = null;
      if (d.case === 'CONTRACT') {
        contractName = d.contractName ?? (visit.payer === 'CONTRACT' && visit.contractName.trim() ? visit.contractName.trim() : null);
        if (!contractName) throw invalid('contractName', missingMessage('contractName'));
      }
      if (d.case === 'SPECIAL' && d.approval) notInFuture(d.approval.approvalDate);

      const replaced = cmd.replacesId ? state(cmd.replacesId) : undefined;
      if (cmd.replacesId) {
        if (!replaced) throw new DeskError('FILM_RECORD_NOT_FOUND', {}, { field: 'replacesId' });
        if (replaced.replaced) throw new DeskError('FILM_ALREADY_CORRECTED', {}, { field: 'replacesId' });
        if (!replaced.voided && !cmd.correctionReason) throw invalid('correctionReason', missingMessage('correctionReason'));
      }

      const studies = [...new Set(cmd.studyInstanceUIDs?.length ? cmd.studyInstanceUIDs : visitStudies(db, visit))];
      const entry = catalog.match(visit.procedureCode, visit.procedureName);
      const id = randomUUID();
      const at = clock.now();
      const approval = d.case === 'SPECIAL' ? d.approval : null;

      db.transaction(() => {
        if (replaced && !replaced.voided) insertVoid(replaced.id, cmd.correctionReason!, actor, id);
        db.prepare(
          `INSERT INTO film_exceptions (
             id, recorded_at, desk_id, operator_id, operator_name,
             visit_id, visit_number, patient_id, patient_name, accession_number, procedure_code, procedure_name,
             case_kind, study_uids, contract_name, contract_number, request_reference, charge_acknowledged,
             description, proposed_by, approved_by, approval_reference, approval_date, pending_approval, replaces_id,
             billing_procedure, billing_name, no_film_code, no_film_price, with_film_code, with_film_price)
           VALUES (
             @id, @at, @deskId, @operatorId, @operatorName,
             @visitId, @visitNumber, @patientID, @patientName, @accessionNumber, @procedureCode, @procedureName,
             @case, @studies, @contractName, @contractNumber, @requestReference, @chargeAcknowledged,
             @description, @proposedBy, @approvedBy, @approvalReference, @approvalDate, @pending, @replacesId,
             @billingProcedure, @billingName, @noFilmCode, @noFilmPrice, @withFilmCode, @withFilmPrice)`,
        ).run({
          id,
          at,
          deskId: actor.deskId,
          operatorId: actor.operatorId,
          operatorName: actor.operatorName,
          visitId: visit.id,
          visitNumber: visit.visitNumber,
          patientID: visit.patientID,
          patientName: visit.patientName,
          accessionNumber: visit.accessionNumber,
          procedureCode: visit.procedureCode,
          procedureName: visit.procedureName,
          case: d.case,
          studies: JSON.stringify(studies),
          contractName,
          contractNumber: d.case === 'CONTRACT' ? d.contractNumber : null,
          requestReference: d.case === 'PATIENT_REQUEST' ? d.requestReference : null,
          chargeAcknowledged: d.case === 'PATIENT_REQUEST' ? 1 : null,
          description: d.case === 'SPECIAL' ? d.description : null,
          proposedBy: d.case === 'SPECIAL' ? d.proposedBy : null,
          approvedBy: approval?.approvedBy ?? null,
          approvalReference: approval?.approvalReference ?? null,
          approvalDate: approval?.approvalDate ?? null,
          pending: d.case === 'SPECIAL' && !approval ? 1 : 0,
          replacesId: cmd.replacesId ?? null,
          billingProcedure: entry?.procedureCode ?? null,
          billingName: entry?.name ?? null,
          noFilmCode: entry?.noFilmCode ?? null,
          noFilmPrice: entry?.noFilmPrice ?? null,
          withFilmCode: entry?.withFilmCode ?? null,
          withFilmPrice: entry?.withFilmPrice ?? null,
        });
        const line = db.prepare('INSERT INTO film_exception_films (exception_id, line, size, count) VALUES (?, ?, ?, ?)');
        cmd.films.forEach((f, i) => line.run(id, i, f.size, f.count));

        const view = getFilmRecord(db, id)!;
        const payload: FilmExceptionRecord = {
          event: 'recorded',
          id,
          deskId: actor.deskId,
          recordedAt: at,
          technician: view.technician,
          visit: {
            id: visit.id,
            visitNumber: visit.visitNumber,
            patientID: visit.patientID,
            patientName: visit.patientName,
            accessionNumber: visit.accessionNumber,
            procedureCode: visit.procedureCode,
            procedureName: visit.procedureName,
          },
          case: view.case,
          films: view.films,
          studyInstanceUIDs: view.studyInstanceUIDs,
          contractName: view.contractName,
          contractNumber: view.contractNumber,
          requestReference: view.requestReference,
          chargeAcknowledged: view.chargeAcknowledged,
          description: view.description,
          proposedBy: view.proposedBy,
          approval: approval ? { ...approval } : null,
          pendingApproval: view.pendingApproval,
          billing: view.billing,
          replacesId: view.replacesId,
        };
        enqueueRecord(db, clock, 'film-exception', payload, id);

        refreshVisitBilling(db, clock, catalog, visit.id, { code: visit.procedureCode, name: visit.procedureName });
        if (replaced && replaced.visit_id !== visit.id) {
          refreshVisitBilling(db, clock, catalog, replaced.visit_id, { code: replaced.procedure_code, name: replaced.procedure_name });
        }
      })();
      logger.info('film exception recorded', { id, case: d.case, films: cmd.films.length, replaces: cmd.replacesId ?? null });
      return getFilmRecord(db, id)!;
    },

    void({ id, reason }, actor) {
      const s = state(id);
      if (!s) throw new DeskError('FILM_RECORD_NOT_FOUND', {}, { field: 'id' });
      if (s.voided) throw new DeskError('FILM_ALREADY_VOIDED', {}, { field: 'id' });
      db.transaction(() => {
        insertVoid(id, reason, actor, null);
        refreshVisitBilling(db, clock, catalog, s.visit_id, { code: s.procedure_code, name: s.procedure_name });
      })();
      logger.info('film exception voided', { id });
      return getFilmRecord(db, id)!;
    },

    approve({ id, approvedBy, approvalReference, approvalDate }, actor) {
      const s = state(id);
      if (!s) throw new DeskError('FILM_RECORD_NOT_FOUND', {}, { field: 'id' });
      if (s.voided) throw new DeskError('FILM_ALREADY_VOIDED', {}, { field: 'id' });
      if (s.case_kind !== 'SPECIAL' || s.pending_approval !== 1 || s.approved_later) {
        throw new DeskError('FILM_NOT_PENDING', {}, { field: 'id' });
      }
      notInFuture(approvalDate);
      const approvalId = randomUUID();
      const at = clock.now();
      db.transaction(() => {
        db.prepare(
          `INSERT INTO film_approvals (id, exception_id, approved_by, approval_reference, approval_date, recorded_at,
                                       desk_id, operator_id, operator_name)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(approvalId, id, approvedBy, approvalReference, approvalDate, at, actor.deskId, actor.operatorId, actor.operatorName);
        const payload: FilmApprovalRecord = {
          event: 'approved',
          id: approvalId,
          exceptionId: id,
          deskId: actor.deskId,
          recordedAt: at,
          by: { id: actor.operatorId, name: actor.operatorName },
          approvedBy,
          approvalReference,
          approvalDate,
        };
        enqueueRecord(db, clock, 'film-exception', payload, approvalId);
      })();
      logger.info('film exception approved', { id });
      return getFilmRecord(db, id)!;
    },
  };
}
