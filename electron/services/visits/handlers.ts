/**
 * The contract's `visits.*` methods over the visits service. Attach, detach, reconcile and
 * walk-in creation name the patient and studies they touched, with old and new identity, in the
 * call's audit record (dispatch appends it, success or failure). Each study is added as soon as
 * it is done, so a call that fails half-way still records what it changed.
 */
import type { CallContext, Handlers } from '../../core/handler-types';
import { auditDetail, type AttachedStudy, type VisitsService } from './visits-service';
import type { VisitRow } from './visit-store';

type VisitsMethod =
  | 'visits.list'
  | 'visits.get'
  | 'visits.create'
  | 'visits.refresh'
  | 'visits.test'
  | 'visits.previewAttach'
  | 'visits.attach'
  | 'visits.detach'
  | 'visits.reconcile'
  | 'visits.suggest';

function resultOf(s: AttachedStudy) {
  return {
    studyInstanceUID: s.studyInstanceUID,
    resultStudyInstanceUID: s.resultStudyInstanceUID,
    mode: s.mode,
    instances: s.instances,
    rejectionNoteSOPInstanceUID: s.rejectionNoteSOPInstanceUID,
    released: s.released,
  };
}

/** An `onStudy` callback that keeps the call's audit record up to date. */
function auditEach(ctx: CallContext): (s: AttachedStudy, visit: VisitRow) => void {
  const studies: Record<string, unknown>[] = [];
  return (s, visit) => {
    studies.push(auditDetail(s, visit));
    ctx.audit({ patientID: visit.patient_id, studyInstanceUID: studies.length === 1 ? s.resultStudyInstanceUID : null, detail: { studies } });
  };
}

export function createVisitsHandlers({ visits }: { visits: VisitsService }): Handlers<VisitsMethod> {
  return {
    'visits.list': (input) => ({ items: visits.list(input) }),
    'visits.get': ({ id }) => visits.get(id),
    'visits.create': (input, ctx) => {
      const v = visits.create(input);
      ctx.audit({
        patientID: v.patientID,
        detail: { visitId: v.id, visitNumber: v.visitNumber, temporaryPatientID: v.temporaryPatientID, patientName: v.patientName },
      });
      return v;
    },
    'visits.refresh': () => visits.refresh(),
    'visits.test': () => visits.test(),
    'visits.previewAttach': async ({ visitId, studyInstanceUIDs }) => {
      const p = await visits.previewAttach(visitId, studyInstanceUIDs);
      return {
        visit: p.visit,
        studies: p.studies.map(({ refusal, ...s }) => ({
          ...s,
          refusal: refusal ? { code: refusal.code, ...refusal.toShape().messages } : null,
        })),
      };
    },
    'visits.attach': async ({ visitId, studyInstanceUIDs }, ctx) => {
      ctx.audit({ detail: { visitId, requested: studyInstanceUIDs } });
      const r = await visits.attach(visitId, studyInstanceUIDs, auditEach(ctx));
      return { visitId: r.visit.id, studies: r.studies.map(resultOf) };
    },
    'visits.detach': async ({ studyInstanceUIDs }, ctx) => {
      const studies: Record<string, unknown>[] = [];
      const detached = await visits.detach(studyInstanceUIDs, (uid, previous) => {
        studies.push({ studyInstanceUID: uid, old: previous, new: null });
        ctx.audit({ patientID: previous.patientID, studyInstanceUID: studies.length === 1 ? uid : null, detail: { studies } });
      });
      return { detached };
    },
    'visits.reconcile': async ({ fromVisitId, toVisitId }, ctx) => {
      ctx.audit({ detail: { fromVisitId, toVisitId } });
      const r = await visits.reconcile(fromVisitId, toVisitId, auditEach(ctx));
      return { fromVisitId: r.from.id, visitId: r.to.id, studies: r.studies.map(resultOf) };
    },
    'visits.suggest': ({ studyInstanceUID }) => ({ items: visits.suggest(studyInstanceUID) }),
  };
}
