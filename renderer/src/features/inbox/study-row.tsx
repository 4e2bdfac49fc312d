/**
 * One study in the inbox: the patient (name exactly as written, ID, age/sex), the exam, when it
 * arrived, how many images, a thumbnail per series and where it stands (state chip, QA). A study
 * that follows another of the same patient is drawn as part of that patient's group.
 */
import { useTranslation } from 'react-i18next';
import type { StudyListItem } from '../../../../shared/contract/ingest';
import type { StudyImages } from '../../../../shared/contract/review';
import { ageAt, formatDa, formatTm, sexCode, todayDa } from '../viewer/dicom-text';
import { Thumbnail } from '../viewer/thumbnail';
import { StateChip } from './state-chip';

export const ROW_HEIGHT = 88;

export interface StudyRowProps {
  study: StudyListItem;
  images: StudyImages | undefined;
  /** The row above is the same patient. */
  continuesPatient: boolean;
  selected: boolean;
  index: number;
}

export function StudyRow({ study, images, continuesPatient, selected, index }: StudyRowProps) {
  const { t } = useTranslation();
  const age = ageAt(study.patientBirthDate, study.studyDate || todayDa());
  const sex = sexCode(study.patientSex);
  const when = study.studyDate ? `${formatDa(study.studyDate)} ${formatTm(study.studyTime)}` : '';
  const firstOfSeries = images?.series.map((s) => s.images[0]).filter((i) => i !== undefined) ?? [];
  const reviewed = images ? images.accepted + images.rejected : 0;
  const total = images ? reviewed + images.unreviewed : 0;

  return (
    <div
      className={`study-row${continuesPatient ? ' study-row-continued' : ''}`}
      role="option"
      aria-selected={selected}
      id={`study-row-${index}`}
      data-study-uid={study.studyInstanceUID}
      data-index={index}
    >
      <div className="study-text">
        <div className="study-patient">
          {continuesPatient ? <span className="study-same" title={t('inbox.samePatient')} aria-label={t('inbox.samePatient')}>↳</span> : null}
          <span className="study-name" lang="vi">
            {study.patientName}
          </span>
          <span className="study-id">{study.patientID}</span>
          <span className="study-agesex">
            {[age ? t(`viewer.age.${age.unit}`, { n: age.value }) : null, sex ? t(`viewer.sex.${sex}`) : null].filter(Boolean).join(' · ')}
          </span>
        </div>
        <div className="study-exam">
          <span className="study-desc">{study.studyDescription || study.modality}</span>
          <span className="study-when">{when}</span>
        </div>
        <div className="study-meta">
          <StateChip state={study.state} />
          <span>{t('inbox.images', { count: study.instanceCount })}</span>
          {images && images.rejected > 0 ? <span className="study-rejected">{t('inbox.qaRejected', { count: images.rejected })}</span> : null}
          {images && total > 0 && reviewed > 0 && reviewed < total ? <span>{t('inbox.qaProgress', { reviewed, total })}</span> : null}
        </div>
      </div>
      <div className="study-thumbs" aria-hidden="true">
        {firstOfSeries.slice(0, 3).map((i) => (
          <Thumbnail key={i.instanceId} instanceId={i.instanceId} size={64} />
        ))}
      </div>
    </div>
  );
}
