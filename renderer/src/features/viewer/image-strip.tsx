/**
 * The study's images along the bottom of the viewer, by series: the one on screen is marked, and
 * each shows its QA decision so the technician sees at a glance what is left to review.
 */
import { useTranslation } from 'react-i18next';
import type { StudyImages } from '../../../../shared/contract/review';
import { Thumbnail } from './thumbnail';

export interface StripPosition {
  series: number;
  image: number;
}

export function ImageStrip({ images, at, onPick }: { images: StudyImages; at: StripPosition; onPick(p: StripPosition): void }) {
  const { t } = useTranslation();
  return (
    <ol className="image-strip" aria-label={t('viewer.strip')}>
      {images.series.map((series, si) =>
        series.images.map((image, ii) => {
          const current = si === at.series && ii === at.image;
          const mark = image.decision === 'accepted' ? '✓' : image.decision === 'rejected' ? '✕' : '';
          return (
            <li key={image.instanceId}>
              <button
                type="button"
                className={`strip-item strip-${image.decision ?? 'unreviewed'}`}
                aria-current={current ? 'true' : undefined}
                data-instance-id={image.instanceId}
                title={t(`review.decision.${image.decision ?? 'unreviewed'}`)}
                onClick={() => onPick({ series: si, image: ii })}
              >
                <Thumbnail instanceId={image.instanceId} />
                <span className="strip-label">
                  {images.series.length > 1 ? `${si + 1}.` : ''}
                  {ii + 1} {[image.viewPosition, image.laterality].filter(Boolean).join(' ')}
                </span>
                {mark ? (
                  <span className="strip-mark" aria-label={t(`review.decision.${image.decision ?? 'unreviewed'}`)}>
                    {mark}
                  </span>
                ) : null}
              </button>
            </li>
          );
        }),
      )}
    </ol>
  );
}
