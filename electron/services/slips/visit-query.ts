/**
 * Read-only view of a visit and the studies linked to it, as the slip needs them. The visits
 * capability owns these tables; this module only reads.
 */
import type { Db } from '../store/database';

export interface SlipVisit {
  readonly id: string;
  readonly visitNumber: string;
  readonly patientID: string;
  readonly patientName: string;
  /** YYYYMMDD or YYYY, or ''. */
  readonly birthDate: string;
  readonly sex: '' | 'M' | 'F' | 'O';
  readonly studyInstanceUID: string;
  readonly procedureName: string;
  readonly scheduledAt: number | null;
  readonly createdAt: number;
  readonly studies: readonly SlipStudy[];
}

export interface SlipStudy {
  readonly studyInstanceUID: string;
  readonly studyDescription: string;
  /** DICOM DA (YYYYMMDD) and TM (HHMMSS.FFFFFF), PS3.5 §6.2. */
  readonly studyDate: string;
  readonly studyTime: string;
}

interface VisitRow {
  id: string;
  visit_number: string;
  patient_id: string;
  patient_name: string;
  birth_date: string;
  sex: SlipVisit['sex'];
  study_instance_uid: string;
  procedure_name: string;
  scheduled_at: number | null;
  created_at: number;
  reconciled_to: string | null;
}

/** Hops followed through `reconciled_to` before giving up (a walk-in merged into a worklist visit). */
const MAX_RECONCILE_HOPS = 8;

/**
 * The visit, or the visit it was reconciled into (its images moved there, so a slip printed
 * for it must point at that one). Null when no such visit exists.
 */
export function readSlipVisit(db: Db, visitId: string): SlipVisit | null {
  const byId = db.prepare(
    `SELECT id, visit_number, patient_id, patient_name, birth_date, sex, study_instance_uid, procedure_name,
            scheduled_at, created_at, reconciled_to
       FROM visits WHERE id = ?`,
  );
  let row = byId.get(visitId) as VisitRow | undefined;
  for (let hops = 0; row?.reconciled_to && hops < MAX_RECONCILE_HOPS; hops++) row = byId.get(row.reconciled_to) as VisitRow | undefined;
  if (!row) return null;
  const studies = db
    .prepare(
      // An attached study's images carry the visit's procedure as StudyDescription (visits.attach).
      `SELECT s.study_uid, COALESCE(NULLIF(v.procedure_name, ''), s.study_description) AS study_description, s.study_date, s.study_time
         FROM studies s JOIN visits v ON v.id = s.visit_id
        -- A study replaced after a correction to another patient holds only the rejected images.
        WHERE s.visit_id = ? AND s.replaced_by IS NULL ORDER BY s.study_date, s.study_time, s.first_received_at`,
    )
    .all(row.id) as { study_uid: string; study_description: string; study_date: string; study_time: string }[];
  return {
    id: row.id,
    visitNumber: row.visit_number,
    patientID: row.patient_id,
    patientName: row.patient_name,
    birthDate: row.birth_date,
    sex: row.sex,
    studyInstanceUID: row.study_instance_uid,
    procedureName: row.procedure_name,
    scheduledAt: row.scheduled_at,
    createdAt: row.created_at,
    studies: studies.map((s) => ({
      studyInstanceUID: s.study_uid,
      studyDescription: s.study_description,
      studyDate: s.study_date,
      studyTime: s.study_time,
    })),
  };
}

/**
 * Every StudyInstanceUID the result page should show: the studies linked so far, and the one
 * the worklist order announced (its images may not have arrived yet).
 */
export function visitStudyUIDs(v: SlipVisit): string[] {
  const uids = v.studies.map((s) => s.studyInstanceUID);
  if (v.studyInstanceUID && !uids.includes(v.studyInstanceUID)) uids.push(v.studyInstanceUID);
  return uids;
}

/** Exam names, in order, without repeats (the order's procedure, then each study's description). */
export function visitExams(v: SlipVisit): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of [v.procedureName, ...v.studies.map((s) => s.studyDescription)]) {
    const clean = name.replace(/\s+/g, ' ').trim();
    const key = clean.toLocaleLowerCase('vi');
    if (clean && !seen.has(key)) {
      seen.add(key);
      out.push(clean);
    }
  }
  return out;
}
