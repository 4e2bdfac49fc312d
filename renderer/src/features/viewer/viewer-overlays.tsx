/**
 * The four corner overlays a radiographer expects on the image: who (name exactly as written, ID,
 * birth date, sex, age), when (study date and time, the exam), what (view position, laterality,
 * which image of which series) and how it is displayed (window, zoom, rotation, flips).
 * Text only, never drawn into the pixels, and not clickable: the mouse belongs to the image.
 */
import { useTranslation } from 'react-i18next';
import type { StudyListItem } from '../../../../shared/contract/ingest';
import type { ImageItem } from '../../../../shared/contract/review';
import { ageAt, formatDa, formatTm, sexCode, todayDa } from './dicom-text';
import type { ViewerSnapshot } from './viewer-engine';

export interface OverlayProps {
  study: StudyListItem;
  image: ImageItem | null;
  imageNumber: number;
  imageTotal: number;
  seriesNumber: number;
  seriesTotal: number;
  snapshot: ViewerSnapshot | null;
}

export function ViewerOverlays({ study, image, imageNumber, imageTotal, seriesNumber, seriesTotal, snapshot }: OverlayProps) {
  const { t } = useTranslation();
  const age = ageAt(study.patientBirthDate, study.studyDate || todayDa());
  const sex = sexCode(study.patientSex);
  const rendered = snapshot?.renderState === 'rendered';
  const transforms = rendered
    ? [
        snapshot.rotation ? t('viewer.overlay.rotation', { deg: snapshot.rotation }) : null,
        snapshot.flipH ? t('viewer.overlay.flipH') : null,
        snapshot.flipV ? t('viewer.overlay.flipV') : null,
        snapshot.invert ? t('viewer.overlay.invert') : null,
      ].filter((x): x is string => x !== null)
    : [];

  return (
    <div className="viewer-overlays" aria-hidden="false">
      <div className="overlay overlay-tl" data-testid="overlay-top-left">
        <div className="overlay-name" lang="vi">
          {study.patientName}
        </div>
        <div>
          {t('viewer.overlay.id')}: {study.patientID}
        </div>
        <div>
          {study.patientBirthDate ? `${t('viewer.overlay.birthDate')}: ${formatDa(study.patientBirthDate)}` : null}
          {sex ? ` · ${t(`viewer.sex.${sex}`)}` : null}
          {age ? ` · ${t(`viewer.age.${age.unit}`, { n: age.value })}` : null}
        </div>
      </div>
      <div className="overlay overlay-tr">
        <div>
          {formatDa(study.studyDate)} {study.studyTime ? formatTm(study.studyTime) : null}
        </div>
        {study.studyDescription ? <div>{study.studyDescription}</div> : null}
        {study.accessionNumber ? (
          <div>
            {t('viewer.overlay.accession')}: {study.accessionNumber}
          </div>
        ) : null}
      </div>
      <div className="overlay overlay-bl">
        {image ? (
          <div className="overlay-view">
            {[image.viewPosition, image.laterality].filter(Boolean).join(' ') || t('viewer.overlay.noView')}
          </div>
        ) : null}
        <div>{t('viewer.overlay.image', { n: imageNumber, total: imageTotal })}</div>
        {seriesTotal > 1 ? <div>{t('viewer.overlay.series', { n: seriesNumber, total: seriesTotal })}</div> : null}
      </div>
      <div className="overlay overlay-br" data-testid="overlay-bottom-right">
        {rendered && snapshot.voi ? (
          <div data-testid="overlay-wl">{t('viewer.overlay.wl', { w: Math.round(snapshot.voi.width), l: Math.round(snapshot.voi.center) })}</div>
        ) : null}
        {rendered && snapshot.zoomPercent !== null ? <div>{t('viewer.overlay.zoom', { z: Math.round(snapshot.zoomPercent) })}</div> : null}
        {transforms.length > 0 ? <div>{transforms.join(' · ')}</div> : null}
      </div>
    </div>
  );
}
