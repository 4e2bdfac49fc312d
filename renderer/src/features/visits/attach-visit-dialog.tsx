/**
 * Gán lượt khám / Attach to a visit — the one place images get their patient. Three steps:
 *
 *   pick ──(suggestion, search or barcode)──▶ confirm ──(Xác nhận gán: visits.attach)──▶ done
 *     ▲                                          │
 *     └──────────── Chọn lượt khám khác ─────────┘
 *
 * The confirm step shows, per study, the old → new table of every attribute the desk will write
 * (`visits.previewAttach`) and says plainly when the images move from another visit or already
 * reached the PACS (then corrected copies get new UIDs and the old ones a rejection note, IHE
 * IOCM). Nothing changes before the operator confirms. Opened from the inbox with a study
 * selected, this is click 2 (open) and click 3 (a suggestion) before the confirmation.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { attachResultSchema, VisitSummary } from '../../../../shared/contract/visits';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { currentLanguage } from '../../i18n/i18n';
import { routeHref } from '../../lib/hash-route';
import { deskQueryKey, useDeskMutation, useDeskQuery } from '../../lib/query';
import { ModalDialog } from './modal-dialog';
import { TagChangeTable } from './tag-change-table';
import { VisitLine } from './visit-line';
import { VisitSearch } from './visit-search';
import { personName } from './visit-format';
import './visits.css';

export type AttachResult = z.output<typeof attachResultSchema>;

export interface AttachVisitDialogProps {
  /** The studies to attach (usually one: the study selected in the inbox). */
  studyInstanceUIDs: readonly string[];
  /** Called once when the dialog closes: the result after an attach, null when cancelled. */
  onDone: (result: AttachResult | null) => void;
  /** Skip the picking step: attach to this visit (the visit's own page). */
  visitId?: string;
}

type Step = { kind: 'pick' } | { kind: 'confirm'; visitId: string } | { kind: 'done'; result: AttachResult; visit: VisitSummary };

/** Every cached answer that an attach makes stale. */
export const ATTACH_STALE = ['visits.list', 'visits.get', 'visits.suggest', 'studies.list', 'studies.get', 'sync.list', 'sync.status', 'slips.list'] as const;

export function AttachVisitDialog({ studyInstanceUIDs, onDone, visitId }: AttachVisitDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const [step, setStep] = useState<Step>(visitId ? { kind: 'confirm', visitId } : { kind: 'pick' });
  const uids = [...studyInstanceUIDs];

  return (
    <ModalDialog titleId={titleId} className="attach-dialog" onCancel={() => onDone(step.kind === 'done' ? step.result : null)}>
      <div className="modal-head">
        <h2 id={titleId}>{t('visits.attach.title')}</h2>
        <span className="modal-sub">{t('visits.attach.studies', { count: uids.length })}</span>
      </div>
      {step.kind === 'pick' && <PickStep uids={uids} onPick={(v) => setStep({ kind: 'confirm', visitId: v.id })} onCancel={() => onDone(null)} />}
      {step.kind === 'confirm' && (
        <ConfirmStep
          uids={uids}
          visitId={step.visitId}
          canChange={!visitId}
          onChange={() => setStep({ kind: 'pick' })}
          onCancel={() => onDone(null)}
          onAttached={(result, visit) => setStep({ kind: 'done', result, visit })}
        />
      )}
      {step.kind === 'done' && <DoneStep result={step.result} visit={step.visit} onClose={() => onDone(step.result)} />}
    </ModalDialog>
  );
}

const REASONS = ['accession', 'patient-id-and-date', 'patient-id'] as const;

function PickStep({ uids, onPick, onCancel }: { uids: string[]; onPick: (v: VisitSummary) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const first = uids[0] ?? '';
  const suggest = useDeskQuery('visits.suggest', { studyInstanceUID: first }, { enabled: first !== '' });
  const suggestions = suggest.data?.items ?? [];
  return (
    <div className="modal-body">
      {suggestions.length > 0 && (
        <section className="attach-suggestions" aria-labelledby="attach-suggestions-title">
          <h3 id="attach-suggestions-title">{t('visits.attach.suggested')}</h3>
          <ul className="visit-choices">
            {suggestions.map((v) => (
              <li key={v.id}>
                <button type="button" className="visit-choice visit-choice-suggested" data-visit-id={v.id} onClick={() => onPick(v)}>
                  <VisitLine visit={v} />
                  <span className="pill visit-chip visit-chip-info">{t(`visits.attach.reason.${REASONS.includes(v.reason) ? v.reason : 'patient-id'}`)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {suggest.isError && <ErrorBox error={suggest.error} />}
      <h3>{t('visits.attach.find')}</h3>
      <VisitSearch idPrefix="attach" onPick={onPick} autoFocus />
      <div className="modal-actions">
        <button type="button" onClick={onCancel}>
          {t('visits.attach.cancel')}
        </button>
      </div>
    </div>
  );
}

function ConfirmStep({
  uids,
  visitId,
  canChange,
  onChange,
  onCancel,
  onAttached,
}: {
  uids: string[];
  visitId: string;
  canChange: boolean;
  onChange: () => void;
  onCancel: () => void;
  onAttached: (result: AttachResult, visit: VisitSummary) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const queryClient = useQueryClient();
  // Always fresh: the images may have moved or been sent since the dialog opened.
  const preview = useDeskQuery('visits.previewAttach', { visitId, studyInstanceUIDs: uids }, { staleTime: 0, gcTime: 0 });
  const attach = useDeskMutation('visits.attach', {
    onSuccess: (result) => {
      for (const m of ATTACH_STALE) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
      if (preview.data) onAttached(result, preview.data.visit);
    },
  });
  const data = preview.data;
  const refused = data?.studies.some((s) => s.refusal !== null) ?? false;
  const nothingChanges = data ? data.studies.every((s) => s.changes.every((c) => c.old.length === 1 && c.old[0] === c.new)) : false;

  return (
    <div className="modal-body">
      {preview.isPending && <Loading />}
      {preview.isError && <ErrorBox error={preview.error} />}
      {data && (
        <>
          <div className="attach-target">
            <span className="attach-target-label">{t('visits.attach.target')}</span>
            <VisitLine visit={data.visit} />
          </div>
          {data.studies.map((s, i) => (
            <section key={s.studyInstanceUID} className="attach-study" data-study-uid={s.studyInstanceUID}>
              <h3>
                {t('visits.attach.studyHeading', { n: i + 1, total: data.studies.length, count: s.instanceCount })}
              </h3>
              {s.refusal && (
                <p className="alert alert-error" role="alert">
                  {s.refusal[lang]}
                </p>
              )}
              {s.currentVisitId && s.currentVisitId !== visitId && <p className="alert alert-info">{t('visits.attach.moves')}</p>}
              {s.afterSend && <p className="alert alert-warn">{t('visits.attach.afterSend')}</p>}
              {s.newStudyInstanceUID && <p className="alert alert-warn">{t('visits.attach.newStudyUid')}</p>}
              {s.characterSetChange && <p className="alert alert-info">{t('visits.attach.charset')}</p>}
              {s.changes.length > 0 && <TagChangeTable changes={s.changes} caption={t('visits.attach.tableCaption')} />}
            </section>
          ))}
          {nothingChanges && !refused && <p className="alert alert-ok">{t('visits.attach.nothingChanges')}</p>}
          <p className="field-help">{t('visits.attach.kept')}</p>
        </>
      )}
      {attach.isError && <ErrorBox error={attach.error} />}
      <div className="modal-actions">
        <button
          type="button"
          className="button-primary"
          disabled={!data || refused || attach.isPending}
          onClick={() => attach.mutate({ visitId, studyInstanceUIDs: uids })}
        >
          {attach.isPending ? t('visits.attach.attaching') : t('visits.attach.confirm')}
        </button>
        {canChange && (
          <button type="button" onClick={onChange} disabled={attach.isPending}>
            {t('visits.attach.change')}
          </button>
        )}
        <button type="button" onClick={onCancel} disabled={attach.isPending}>
          {t('visits.attach.cancel')}
        </button>
      </div>
    </div>
  );
}

function DoneStep({ result, visit, onClose }: { result: AttachResult; visit: VisitSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const released = result.studies.some((s) => s.released);
  return (
    <div className="modal-body">
      <p className="alert alert-ok" role="status" data-testid="attach-done">
        {t('visits.attach.done', { count: result.studies.length, visit: visit.visitNumber, name: personName(visit.patientName) })}
      </p>
      <ul className="attach-outcomes">
        {result.studies.map((s) => (
          <li key={s.studyInstanceUID} data-mode={s.mode}>
            {t(`visits.attach.mode.${s.mode}`, { count: s.instances })}
          </li>
        ))}
      </ul>
      {released && <p className="field-help">{t('visits.attach.released')}</p>}
      <div className="modal-actions">
        <button type="button" className="button-primary" onClick={onClose} autoFocus>
          {t('visits.attach.close')}
        </button>
        <a className="button-link" href={routeHref('visits', result.visitId)} onClick={onClose}>
          {t('visits.attach.openVisit')}
        </a>
      </div>
    </div>
  );
}
