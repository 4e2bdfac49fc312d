/**
 * Accept or reject the image on screen. A rejection asks for its IOCM reason (PS3.16 CID 7011:
 * 113001 quality, 113037 patient safety, 113038 wrong worklist entry) and a rejected image is
 * never sent to the PACS. Keys: A accepts, X opens the reasons, then 1–3 picks one, Esc cancels.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { QA_REJECTION_REASONS, type ImageItem, type QaRejectionReason, type StudyImages } from '../../../../shared/contract/review';
import { useErrorText } from '../../app/error-text';
import { deskQueryKey, useDeskMutation } from '../../lib/query';

/** What the viewer's keys reach: A accepts, X then 1–3 rejects with a reason. */
export interface QaHandle {
  accept(): void;
  reject(reason: QaRejectionReason): void;
}

export interface QaBarProps {
  ref?: Ref<QaHandle>;
  images: StudyImages;
  image: ImageItem;
  rejecting: boolean;
  onRejectingChange(open: boolean): void;
}

export function QaBar({ ref, images, image, rejecting, onRejectingChange }: QaBarProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const firstReason = useRef<HTMLButtonElement>(null);
  const review = useDeskMutation('images.review', {
    onSuccess: () => {
      onRejectingChange(false);
      void queryClient.invalidateQueries({ queryKey: deskQueryKey('images.list') });
      void queryClient.invalidateQueries({ queryKey: deskQueryKey('studies.list') });
    },
  });

  useEffect(() => {
    if (rejecting) firstReason.current?.focus();
  }, [rejecting]);

  const decide = (decision: 'accepted' | 'rejected', reason?: QaRejectionReason) =>
    review.mutate({ instanceId: image.instanceId, decision, ...(reason ? { reason } : {}) });

  useImperativeHandle(ref, () => ({
    accept: () => !review.isPending && decide('accepted'),
    reject: (reason) => !review.isPending && decide('rejected', reason),
  }));

  const reviewed = images.accepted + images.rejected;
  const total = reviewed + images.unreviewed;

  return (
    <div className="qa-bar" data-testid="qa-bar" data-decision={image.decision ?? 'unreviewed'}>
      <span className={`pill ${image.decision === 'accepted' ? 'pill-ok' : image.decision === 'rejected' ? 'pill-bad' : 'pill-idle'}`} data-testid="qa-decision">
        {t(`review.decision.${image.decision ?? 'unreviewed'}`)}
        {image.decision === 'rejected' && image.reason ? ` — ${t(`review.reason.${image.reason}`)}` : null}
      </span>
      {!rejecting ? (
        <>
          <button type="button" className="button-small qa-accept" disabled={review.isPending} onClick={() => decide('accepted')} title={`${t('review.accept')} (A)`}>
            ✓ {t('review.accept')}
          </button>
          <button type="button" className="button-small qa-reject" disabled={review.isPending} onClick={() => onRejectingChange(true)} title={`${t('review.reject')} (X)`}>
            ✕ {t('review.reject')}
          </button>
        </>
      ) : (
        <div className="qa-reasons" role="group" aria-label={t('review.reasonPrompt')}>
          <span className="qa-reasons-label">{t('review.reasonPrompt')}</span>
          {QA_REJECTION_REASONS.map((code, i) => (
            <button
              key={code}
              ref={i === 0 ? firstReason : undefined}
              type="button"
              className="button-small qa-reason"
              data-reason={code}
              disabled={review.isPending}
              onClick={() => decide('rejected', code)}
              title={`${code} — ${t(`review.reasonMeaning.${code}`)}`}
            >
              {i + 1}. {t(`review.reason.${code}`)}
            </button>
          ))}
          <button type="button" className="button-small" onClick={() => onRejectingChange(false)}>
            {t('review.cancel')}
          </button>
        </div>
      )}
      <span className="qa-progress" data-testid="qa-progress">
        {t('review.progress', { reviewed, total })}
        {images.requireQa && !images.qaComplete ? ` · ${t('review.waitingQa')}` : null}
      </span>
      {review.error ? (
        <span className="qa-error" role="alert">
          {errorText(review.error)}
        </span>
      ) : null}
    </div>
  );
}

/** Maps a digit typed while the reasons are open to a reason (1 → 113001 …). */
export function reasonForDigit(key: string): QaRejectionReason | null {
  const i = Number(key) - 1;
  return Number.isInteger(i) && i >= 0 && i < QA_REJECTION_REASONS.length ? QA_REJECTION_REASONS[i]! : null;
}
