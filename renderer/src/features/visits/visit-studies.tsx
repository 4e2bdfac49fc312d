/**
 * The studies of a visit: open one in the inbox viewer, detach one attached by mistake (free
 * until an image reached the PACS; after that the core refuses and says to attach it to the right
 * visit instead, which sends corrected copies), or attach another study waiting for a visit.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitDetail } from '../../../../shared/contract/visits';
import { ErrorBox } from '../../app/error-text';
import { routeHref } from '../../lib/hash-route';
import { deskQueryKey, useDeskMutation } from '../../lib/query';
import { formatDa } from '../viewer/dicom-text';
import { ATTACH_STALE, AttachVisitDialog } from './attach-visit-dialog';
import { useUnattachedStudies } from './use-unattached-studies';
import { ImageChip } from './visit-chips';

export function VisitStudies({ visit }: { visit: VisitDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [attaching, setAttaching] = useState<string | null>(null);
  const detach = useDeskMutation('visits.detach', {
    onSuccess: () => {
      setConfirming(null);
      for (const m of ATTACH_STALE) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
    },
  });
  const open = visit.reconciledTo === null;

  return (
    <section className="panel" aria-labelledby="visit-studies-title">
      <h2 id="visit-studies-title">{t('visits.studies.title')}</h2>
      {visit.studies.length === 0 ? (
        <p className="field-help">{t('visits.studies.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="visit-studies">
            <thead>
              <tr>
                <th scope="col">{t('visits.studies.date')}</th>
                <th scope="col">{t('visits.studies.description')}</th>
                <th scope="col">{t('visits.studies.modality')}</th>
                <th scope="col" className="num">
                  {t('visits.unattached.images')}
                </th>
                <th scope="col">{t('visits.studies.sendState')}</th>
                <th scope="col">{t('visits.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {visit.studies.map((s) => (
                <tr key={s.studyInstanceUID} data-study-uid={s.studyInstanceUID}>
                  <td className="nowrap">{formatDa(s.studyDate)}</td>
                  <td>{s.studyDescription}</td>
                  <td>{s.modality}</td>
                  <td className="num">{s.instanceCount}</td>
                  <td>
                    <ImageChip status={s.imageStatus} />
                  </td>
                  <td className="row-actions">
                    <a className="button-link" href={routeHref('inbox', s.studyInstanceUID)}>
                      {t('visits.openImages')}
                    </a>
                    {open && confirming !== s.studyInstanceUID && (
                      <button type="button" onClick={() => (detach.reset(), setConfirming(s.studyInstanceUID))}>
                        {t('visits.studies.detach')}
                      </button>
                    )}
                    {confirming === s.studyInstanceUID && (
                      <span className="inline-confirm" role="group" aria-label={t('visits.studies.detachConfirm')}>
                        <span>{t('visits.studies.detachConfirm')}</span>
                        <button type="button" className="button-danger" disabled={detach.isPending} onClick={() => detach.mutate({ studyInstanceUIDs: [s.studyInstanceUID] })}>
                          {t('visits.studies.detachYes')}
                        </button>
                        <button type="button" disabled={detach.isPending} onClick={() => setConfirming(null)}>
                          {t('visits.studies.detachNo')}
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {detach.isError && <ErrorBox error={detach.error} />}
      {open && !choosing && (
        <div className="actions">
          <button type="button" onClick={() => setChoosing(true)}>
            {t('visits.studies.attachMore')}
          </button>
        </div>
      )}
      {open && choosing && <StudyChooser onChoose={(uid) => setAttaching(uid)} onClose={() => setChoosing(false)} />}
      {attaching && (
        <AttachVisitDialog
          studyInstanceUIDs={[attaching]}
          visitId={visit.id}
          onDone={(result) => {
            setAttaching(null);
            if (result) setChoosing(false);
          }}
        />
      )}
    </section>
  );
}

function StudyChooser({ onChoose, onClose }: { onChoose: (uid: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { items, error } = useUnattachedStudies();
  return (
    <div className="study-chooser">
      <h3>{t('visits.studies.chooseTitle')}</h3>
      {error ? <ErrorBox error={error} /> : null}
      {items.length === 0 ? (
        <p className="field-help">{t('visits.unattached.none')}</p>
      ) : (
        <ul className="visit-choices">
          {items.map((s) => (
            <li key={s.studyInstanceUID}>
              <button type="button" className="visit-choice" data-study-uid={s.studyInstanceUID} onClick={() => onChoose(s.studyInstanceUID)}>
                <span className="visit-line">
                  <span className="visit-line-main">
                    <strong lang="vi">{s.patientName}</strong>
                    <span className="visit-line-id">{s.patientID}</span>
                  </span>
                  <span className="visit-line-meta">
                    {[formatDa(s.studyDate), s.studyDescription || s.modality, t('visits.studies.imageCount', { count: s.instanceCount })].filter(Boolean).join(' · ')}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t('visits.studies.chooseClose')}
        </button>
      </div>
    </div>
  );
}
