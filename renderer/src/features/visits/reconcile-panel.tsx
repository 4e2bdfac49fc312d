/**
 * Đối chiếu lượt khám vãng lai: a walk-in entered at the desk turns out to have a real order.
 * The operator finds the real visit; the desk shows what every image of the walk-in will carry
 * (the same old → new table as attaching) and, once confirmed, moves them all
 * (`visits.reconcile`); the walk-in stays in the records, marked as reconciled.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitDetail, VisitSummary } from '../../../../shared/contract/visits';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { currentLanguage } from '../../i18n/i18n';
import { routeHref } from '../../lib/hash-route';
import { deskQueryKey, useDeskMutation, useDeskQuery } from '../../lib/query';
import { ATTACH_STALE } from './attach-visit-dialog';
import { TagChangeTable } from './tag-change-table';
import { VisitLine } from './visit-line';
import { VisitSearch } from './visit-search';

export function ReconcilePanel({ walkIn, onClose }: { walkIn: VisitDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<VisitSummary | null>(null);
  return (
    <section className="panel reconcile-panel" aria-labelledby="reconcile-title">
      <h2 id="reconcile-title">{t('visits.reconcile.title')}</h2>
      <p className="field-help">{t('visits.reconcile.help')}</p>
      {target ? (
        <ReconcileConfirm walkIn={walkIn} target={target} onBack={() => setTarget(null)} onClose={onClose} />
      ) : (
        <>
          <VisitSearch idPrefix="reconcile" excludeId={walkIn.id} onPick={setTarget} autoFocus />
          <div className="actions">
            <button type="button" onClick={onClose}>
              {t('visits.reconcile.cancel')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function ReconcileConfirm({ walkIn, target, onBack, onClose }: { walkIn: VisitDetail; target: VisitSummary; onBack: () => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const queryClient = useQueryClient();
  const uids = walkIn.studies.map((s) => s.studyInstanceUID);
  const preview = useDeskQuery('visits.previewAttach', { visitId: target.id, studyInstanceUIDs: uids }, { enabled: uids.length > 0, staleTime: 0, gcTime: 0 });
  const reconcile = useDeskMutation('visits.reconcile', {
    onSuccess: (r) => {
      for (const m of ATTACH_STALE) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
      window.location.hash = routeHref('visits', r.visitId);
      onClose();
    },
  });
  const refused = preview.data?.studies.some((s) => s.refusal !== null) ?? false;

  return (
    <div className="reconcile-confirm">
      <div className="attach-target">
        <span className="attach-target-label">{t('visits.reconcile.into')}</span>
        <VisitLine visit={target} />
      </div>
      <p>{t('visits.reconcile.moves', { count: uids.length })}</p>
      {uids.length > 0 && preview.isPending && <Loading />}
      {preview.isError && <ErrorBox error={preview.error} />}
      {preview.data?.studies.map((s) => (
        <section key={s.studyInstanceUID} className="attach-study">
          {s.refusal && (
            <p className="alert alert-error" role="alert">
              {s.refusal[lang]}
            </p>
          )}
          {s.afterSend && <p className="alert alert-warn">{t('visits.attach.afterSend')}</p>}
          {s.changes.length > 0 && <TagChangeTable changes={s.changes} caption={t('visits.attach.tableCaption')} />}
        </section>
      ))}
      {reconcile.isError && <ErrorBox error={reconcile.error} />}
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          disabled={reconcile.isPending || refused || (uids.length > 0 && !preview.data)}
          onClick={() => reconcile.mutate({ fromVisitId: walkIn.id, toVisitId: target.id })}
        >
          {t('visits.reconcile.confirm')}
        </button>
        <button type="button" onClick={onBack} disabled={reconcile.isPending}>
          {t('visits.attach.change')}
        </button>
        <button type="button" onClick={onClose} disabled={reconcile.isPending}>
          {t('visits.reconcile.cancel')}
        </button>
      </div>
    </div>
  );
}
