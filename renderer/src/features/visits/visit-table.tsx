/** The day's visits as a table: who, what exam, and the three status chips (images, slip, film). */
import { useTranslation } from 'react-i18next';
import type { VisitSummary } from '../../../../shared/contract/visits';
import { formatTime } from '../../lib/format';
import { routeHref } from '../../lib/hash-route';
import { FilmChip, ImageChip, SlipChip, TemporaryIdFlag, WithdrawnFlag } from './visit-chips';
import { formatBirthDate, personName } from './visit-format';

export function VisitTable({ visits }: { visits: readonly VisitSummary[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table visit-table" data-testid="visit-table">
        <thead>
          <tr>
            <th scope="col">{t('visits.field.visitNumber')}</th>
            <th scope="col">{t('visits.field.time')}</th>
            <th scope="col">{t('visits.field.patientName')}</th>
            <th scope="col">{t('visits.field.patientID')}</th>
            <th scope="col">{t('visits.field.birthSex')}</th>
            <th scope="col">{t('visits.field.procedure')}</th>
            <th scope="col">{t('visits.field.payer')}</th>
            <th scope="col">{t('visits.field.images')}</th>
            <th scope="col">{t('visits.field.slip')}</th>
            <th scope="col">{t('visits.field.film')}</th>
          </tr>
        </thead>
        <tbody>
          {visits.map((v) => (
            <tr key={v.id} data-visit-id={v.id}>
              <td className="nowrap">
                <a href={routeHref('visits', v.id)}>{v.visitNumber}</a>
              </td>
              <td className="nowrap">{v.scheduledAt !== null ? formatTime(v.scheduledAt) : ''}</td>
              <td>
                <a className="visit-name-link" href={routeHref('visits', v.id)} lang="vi">
                  {personName(v.patientName)}
                </a>
                {v.source === 'walk-in' && <span className="cell-sub">{t('visits.source.walk-in')}</span>}
              </td>
              <td>
                <span className="visit-pid">{v.patientID}</span>
                {v.temporaryPatientID && <TemporaryIdFlag />}
              </td>
              <td className="nowrap">{[v.birthDate ? formatBirthDate(v.birthDate) : '', v.sex ? t(`visits.sex.${v.sex}`) : ''].filter(Boolean).join(' · ')}</td>
              <td>
                {v.procedureName}
                {v.withdrawnAt !== null && <WithdrawnFlag at={v.withdrawnAt} />}
              </td>
              <td>{v.payer ? t(`visits.payer.${v.payer}`) + (v.contractName ? ` — ${v.contractName}` : '') : ''}</td>
              <td>
                <ImageChip status={v.imageStatus} />
                {v.studyCount > 0 && <span className="cell-sub">{t('visits.studyCount', { count: v.studyCount })}</span>}
              </td>
              <td>
                <SlipChip status={v.slipStatus} />
              </td>
              <td>
                <FilmChip status={v.filmStatus} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
