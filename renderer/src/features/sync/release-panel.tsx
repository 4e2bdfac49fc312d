/**
 * Studies held because they have no visit (`sync.sendPolicy = on-attach`). Normally the operator
 * attaches a visit, which corrects the tags first. When the images already carry the right
 * identity (the modality took it from the order), "Gửi không cần lượt khám" releases them as they
 * are (`studies.release`) — after the operator confirms, looking at the values shown, that they
 * match the order: they go to the PACS unchanged.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StudyListItem } from '../../../../shared/contract/ingest';
import { ErrorBox } from '../../app/error-text';
import { routeHref } from '../../lib/hash-route';
import { deskQueryKey, useDeskMutation } from '../../lib/query';
import { formatDa } from '../viewer/dicom-text';
import { useUnattachedStudies } from '../visits/use-unattached-studies';

export function ReleasePanel() {
  const { t } = useTranslation();
  const { items, error } = useUnattachedStudies();
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <section className="panel" aria-labelledby="release-title" data-testid="release-panel">
      <h2 id="release-title">
        {t('sync.release.title')} <span className="count-badge">{items.length}</span>
      </h2>
      <p className="field-help">{t('sync.release.help')}</p>
      {error ? <ErrorBox error={error} /> : null}
      {items.length === 0 ? (
        <p className="field-help">{t('sync.release.none')}</p>
      ) : (
        <ul className="release-list">
          {items.map((s) => (
            <li key={s.studyInstanceUID} data-study-uid={s.studyInstanceUID}>
              <StudyIdentity study={s} />
              {confirming === s.studyInstanceUID ? (
                <ReleaseConfirm study={s} onClose={() => setConfirming(null)} />
              ) : (
                <div className="row-actions">
                  <a className="button-link" href={routeHref('visits')}>
                    {t('sync.release.attachInstead')}
                  </a>
                  <button type="button" onClick={() => setConfirming(s.studyInstanceUID)}>
                    {t('sync.release.open')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StudyIdentity({ study }: { study: StudyListItem }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    [t('sync.release.name'), study.patientNameDicom],
    [t('sync.release.patientID'), study.patientID],
    [t('sync.release.birthDate'), formatDa(study.patientBirthDate)],
    [t('sync.release.accession'), study.accessionNumber],
    [t('sync.release.exam'), [study.studyDescription || study.modality, formatDa(study.studyDate)].filter(Boolean).join(' · ')],
    [t('sync.release.images'), String(study.instanceCount)],
  ];
  return (
    <dl className="release-identity">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd lang="vi">{v === '' ? <em>{t('sync.release.empty')}</em> : v}</dd>
        </div>
      ))}
    </dl>
  );
}

function ReleaseConfirm({ study, onClose }: { study: StudyListItem; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [checked, setChecked] = useState(false);
  const release = useDeskMutation('studies.release', {
    onSuccess: () => {
      for (const m of ['studies.list', 'sync.status', 'sync.list', 'visits.list'] as const) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
      onClose();
    },
  });
  const id = `release-ok-${study.studyInstanceUID}`;
  return (
    <div className="release-confirm" role="group" aria-label={t('sync.release.open')}>
      <label className="inline-check" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
        {t('sync.release.confirmMatch')}
      </label>
      <div className="actions">
        <button type="button" className="button-primary" disabled={!checked || release.isPending} onClick={() => release.mutate({ studyInstanceUIDs: [study.studyInstanceUID] })}>
          {t('sync.release.confirm')}
        </button>
        <button type="button" onClick={onClose} disabled={release.isPending}>
          {t('sync.release.cancel')}
        </button>
      </div>
      {release.isError && <ErrorBox error={release.error} />}
    </div>
  );
}
