/**
 * Máy chủ phòng khám / Clinic server: how far the records outbox (slips, token revocations, film
 * exceptions, audit) has got. The desk works the same with the server down; this only shows what
 * is waiting, what the server refused and the last error, with "Gửi ngay" to skip the backoff.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../app/error-text';
import { currentLanguage } from '../../i18n/i18n';
import { formatCount, formatDateTime } from '../../lib/format';
import { deskQueryKey, useDeskEvent, useDeskMutation, useDeskQuery } from '../../lib/query';

export function RecordsPanel() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const queryClient = useQueryClient();
  const status = useDeskQuery('records.status', {}, { refetchInterval: 30_000 });
  useDeskEvent('records.state', (s) => queryClient.setQueryData(deskQueryKey('records.status', {}), s));
  const sendNow = useDeskMutation('records.sendNow', {
    onSuccess: (s) => queryClient.setQueryData(deskQueryKey('records.status', {}), s),
  });
  const s = status.data;

  return (
    <section className="panel" aria-labelledby="records-title" data-testid="records-panel">
      <h2 id="records-title">{t('sync.records.title')}</h2>
      {status.isError && <ErrorBox error={status.error} />}
      {s && !s.configured && (
        <p className="alert alert-warn">
          {t('sync.records.unconfigured')} <a href="#/settings">{t('sync.openSettings')}</a>
        </p>
      )}
      {s && (
        <>
          <dl className="sync-counts">
            <div className="sync-count" data-count="records-pending">
              <dt>{t('sync.records.pending')}</dt>
              <dd>{formatCount(s.pending, lang)}</dd>
            </div>
            <div className="sync-count" data-count="records-delivered">
              <dt>{t('sync.records.delivered')}</dt>
              <dd>{formatCount(s.delivered, lang)}</dd>
            </div>
            <div className={`sync-count${s.rejected > 0 ? ' sync-count-bad' : ''}`} data-count="records-rejected">
              <dt>{t('sync.records.rejected')}</dt>
              <dd>{formatCount(s.rejected, lang)}</dd>
            </div>
          </dl>
          <p className="field-help">
            {[
              s.lastSuccessAt !== null ? t('sync.records.lastSuccess', { at: formatDateTime(s.lastSuccessAt) }) : t('sync.records.neverDelivered'),
              s.nextAttemptAt !== null ? t('sync.records.nextAttempt', { at: formatDateTime(s.nextAttemptAt) }) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
          {s.lastError && s.configured && (
            <p className="alert alert-error" role="alert">
              {t('sync.lastError')}: {s.lastError.message}
            </p>
          )}
          {s.pullError && s.configured && !s.lastError && (
            <p className="alert alert-warn" data-testid="records-pull-error">
              {t('sync.records.pullError')}: {s.pullError.message}
            </p>
          )}
          {s.configured && (
            <button type="button" onClick={() => sendNow.mutate({})} disabled={sendNow.isPending || (s.pending === 0 && !s.pullError)}>
              {t('sync.records.sendNow')}
            </button>
          )}
          {sendNow.isError && <ErrorBox error={sendNow.error} />}
        </>
      )}
    </section>
  );
}
