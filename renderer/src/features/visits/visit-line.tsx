/** A visit in one line for pickers: who, which exam, when — enough to tell two patients apart. */
import { useTranslation } from 'react-i18next';
import type { VisitSummary } from '../../../../shared/contract/visits';
import { formatTime } from '../../lib/format';
import { formatBirthDate, personName } from './visit-format';
import { TemporaryIdFlag, WithdrawnFlag } from './visit-chips';

export function VisitLine({ visit }: { visit: VisitSummary }) {
  const { t } = useTranslation();
  return (
    <span className="visit-line">
      <span className="visit-line-main">
        <strong className="visit-name" lang="vi">
          {personName(visit.patientName)}
        </strong>
        <span className="visit-line-id">{visit.patientID}</span>
        {visit.temporaryPatientID && <TemporaryIdFlag />}
        {visit.withdrawnAt !== null && <WithdrawnFlag at={visit.withdrawnAt} />}
      </span>
      <span className="visit-line-meta">
        {[
          visit.visitNumber,
          visit.scheduledAt !== null ? formatTime(visit.scheduledAt) : null,
          visit.birthDate ? formatBirthDate(visit.birthDate) : null,
          visit.sex ? t(`visits.sex.${visit.sex}`) : null,
          visit.procedureName || null,
          visit.accessionNumber ? `${t('visits.field.accessionNumber')} ${visit.accessionNumber}` : null,
        ]
          .filter((x): x is string => x !== null && x !== '')
          .join(' · ')}
      </span>
    </span>
  );
}
