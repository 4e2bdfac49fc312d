/**
 * Ca chụp chưa có lượt khám: the images waiting for a patient. Each has "Gán lượt khám", which
 * opens the attach dialog (suggestions first), and a link to look at the images in the inbox.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../app/error-text';
import { routeHref } from '../../lib/hash-route';
import { formatDateTime } from '../../lib/format';
import { formatDa } from '../viewer/dicom-text';
import { AttachVisitDialog } from './attach-visit-dialog';
import { useUnattachedStudies } from './use-unattached-studies';

export function UnattachedStudies() {
  const { t } = useTranslation();
  const { items, error } = useUnattachedStudies();
  const [attaching, setAttaching] = useState<string | null>(null);

  return (
    <section className="panel unattached" aria-labelledby="unattached-title">
      <h2 id="unattached-title">
        {t('visits.unattached.title')} <span className="count-badge">{items.length}</span>
      </h2>
      {error ? <ErrorBox error={error} /> : null}
      {items.length === 0 ? (
        <p className="field-help">{t('visits.unattached.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('visits.unattached.received')}</th>
                <th scope="col">{t('visits.unattached.imageName')}</th>
                <th scope="col">{t('visits.field.patientID')}</th>
                <th scope="col">{t('visits.field.accessionNumber')}</th>
                <th scope="col">{t('visits.unattached.exam')}</th>
                <th scope="col" className="num">
                  {t('visits.unattached.images')}
                </th>
                <th scope="col">{t('visits.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.studyInstanceUID} data-study-uid={s.studyInstanceUID}>
                  <td className="nowrap">{formatDateTime(s.lastReceivedAt)}</td>
                  <td lang="vi">{s.patientName}</td>
                  <td>{s.patientID}</td>
                  <td>{s.accessionNumber}</td>
                  <td>
                    {s.studyDescription || s.modality}
                    {s.studyDate && <span className="cell-sub">{formatDa(s.studyDate)}</span>}
                  </td>
                  <td className="num">{s.instanceCount}</td>
                  <td className="row-actions">
                    <button type="button" className="button-primary" onClick={() => setAttaching(s.studyInstanceUID)}>
                      {t('visits.unattached.attach')}
                    </button>
                    <a className="button-link" href={routeHref('inbox', s.studyInstanceUID)}>
                      {t('visits.openImages')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {attaching && <AttachVisitDialog studyInstanceUIDs={[attaching]} onDone={() => setAttaching(null)} />}
    </section>
  );
}
