/**
 * The visit fields a film record copies at the moment film is issued. Read straight from the
 * visits table (owned by the visits capability) so the register needs nothing else from it.
 */
import type { Db } from '../store/database';

export interface VisitSnapshot {
  readonly id: string;
  readonly visitNumber: string;
  readonly patientID: string;
  readonly patientName: string;
  readonly accessionNumber: string;
  readonly studyInstanceUID: string;
  readonly procedureCode: string;
  readonly procedureName: string;
  readonly payer: '' | 'BHYT' | 'SERVICE' | 'CONTRACT';
  readonly contractName: string;
}

/**
 * The visit film is recorded against. A walk-in already reconciled into the real visit stands for
 * that visit (its images moved there), so the record and the billing follow the chain.
 */
export function readVisit(db: Db, id: string): VisitSnapshot | null {
  let current = id;
  for (let hops = 0; hops < 5; hops++) {
    const next = (db.prepare('SELECT reconciled_to FROM visits WHERE id = ?').get(current) as { reconciled_to: string | null } | undefined)
      ?.reconciled_to;
    if (!next) break;
    current = next;
  }
  const r = db
    .prepare(
      `SELECT id, visit_number, patient_id, patient_name, accession_number, study_instance_uid,
              procedure_code, procedure_name, payer, contract_name
         FROM visits WHERE id = ?`,
    )
    .get(current) as
    | {
        id: string;
        visit_number: string;
        patient_id: string;
        patient_name: string;
        accession_number: string;
        study_instance_uid: string;
        procedure_code: string;
        procedure_name: string;
        payer: VisitSnapshot['payer'];
        contract_name: string;
      }
    | undefined;
  if (!r) return null;
  return {
    id: r.id,
    visitNumber: r.visit_number,
    patientID: r.patient_id,
    patientName: r.patient_name,
    accessionNumber: r.accession_number,
    studyInstanceUID: r.study_instance_uid,
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    payer: r.payer,
    contractName: r.contract_name,
  };
}

/** The studies a film record covers when the form names none: those attached to the visit, else the one it ordered. */
export function visitStudies(db: Db, visit: VisitSnapshot): string[] {
  const attached = (db.prepare('SELECT study_uid FROM studies WHERE visit_id = ? ORDER BY first_received_at').all(visit.id) as {
    study_uid: string;
  }[]).map((r) => r.study_uid);
  if (attached.length > 0) return attached;
  return visit.studyInstanceUID ? [visit.studyInstanceUID] : [];
}
