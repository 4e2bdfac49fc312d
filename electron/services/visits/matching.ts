/**
 * Which visit an arriving study belongs to (IHE Scheduled Workflow): an image acquired from the
 * worklist carries the order's AccessionNumber and usually its StudyInstanceUID, and one visit
 * having it is enough to attach automatically. A PatientID that matches (on the same day or not)
 * is only a suggestion: the same patient may have several visits, and the operator decides.
 * An order withdrawn from the worklist (cancelled) is never chosen automatically; one with no
 * study attached is not even suggested, since it cannot take images (worklist-withdrawal.ts).
 */
import type { Db } from '../store/database';
import { localDicomDate } from './local-day';
import { withdrawnEmptySql, type VisitRow } from './visit-store';

export interface StudyKeys {
  readonly study_uid: string;
  readonly accession_number: string;
  readonly patient_id: string;
  readonly study_date: string;
}

export function studyKeys(db: Db, studyUid: string): StudyKeys | undefined {
  return db.prepare('SELECT study_uid, accession_number, patient_id, study_date FROM studies WHERE study_uid = ?').get(studyUid) as StudyKeys | undefined;
}

/** Visits that are still targets: not reconciled into another one, not withdrawn while empty. */
function open(db: Db, where: string, value: string): VisitRow[] {
  return db
    .prepare(`SELECT * FROM visits v WHERE ${where} = ? AND reconciled_to IS NULL AND NOT ${withdrawnEmptySql('v')} ORDER BY scheduled_at, visit_number`)
    .all(value) as VisitRow[];
}

/** Orders still on the worklist (or walk-ins): the only ones a study may join without the operator. */
function live(db: Db, where: string, value: string): VisitRow[] {
  return open(db, where, value).filter((v) => v.withdrawn_at === null);
}

/** The one live visit whose StudyInstanceUID, else whose AccessionNumber, equals the study's; null when none or several. */
export function automaticVisit(db: Db, s: StudyKeys): VisitRow | null {
  const byUid = live(db, 'study_instance_uid', s.study_uid);
  if (byUid.length > 0) return byUid.length === 1 ? (byUid[0] as VisitRow) : null;
  if (s.accession_number === '') return null;
  const byAccession = live(db, 'accession_number', s.accession_number);
  return byAccession.length === 1 ? (byAccession[0] as VisitRow) : null;
}

export type SuggestionReason = 'accession' | 'patient-id-and-date' | 'patient-id';

/** Candidates for the operator, best first: ambiguous order matches, then the patient's visits on the study's day, then other days. */
export function suggestVisits(db: Db, s: StudyKeys, limit = 10): { visit: VisitRow; reason: SuggestionReason }[] {
  const out = new Map<string, { visit: VisitRow; reason: SuggestionReason }>();
  for (const v of [...open(db, 'study_instance_uid', s.study_uid), ...(s.accession_number ? open(db, 'accession_number', s.accession_number) : [])]) {
    out.set(v.id, { visit: v, reason: 'accession' });
  }
  if (s.patient_id !== '') {
    const same = open(db, 'patient_id', s.patient_id);
    const dayOf = (v: VisitRow) => localDicomDate(v.scheduled_at ?? v.created_at);
    for (const v of same.filter((v) => dayOf(v) === s.study_date)) if (!out.has(v.id)) out.set(v.id, { visit: v, reason: 'patient-id-and-date' });
    for (const v of same.sort((a, b) => (b.scheduled_at ?? b.created_at) - (a.scheduled_at ?? a.created_at))) if (!out.has(v.id)) out.set(v.id, { visit: v, reason: 'patient-id' });
  }
  return [...out.values()].slice(0, limit);
}
