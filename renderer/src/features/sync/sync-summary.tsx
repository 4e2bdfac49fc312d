/**
 * The outbox at a glance: connection, how many images are where (held for a visit, waiting,
 * being sent, sent, verified by QIDO, failed), bytes left, throughput and ETA from the live
 * progress events, the last error in the UI language, when the next probe goes out while
 * offline, and disk space. "Gửi lại ngay / Retry now" resets every backoff at once.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../../shared/contract/sync';
import { ErrorBox } from '../../app/error-text';
import { currentLanguage } from '../../i18n/i18n';
import { formatBytes, formatCount, formatDateTimeSeconds } from '../../lib/format';
import { deskQueryKey, useDeskMutation } from '../../lib/query';
import { etaSeconds, formatDuration } from './throughput';

const COUNTS = ['held', 'pending', 'sending', 'sent', 'verified', 'failed'] as const;
const TONE: Record<SyncStatus['connection'], string> = { online: 'ok', offline: 'bad', unconfigured: 'warn', unknown: 'idle' };

export function SyncSummary({ status, rate }: { status: SyncStatus; rate: number | null }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const queryClient = useQueryClient();
  const retry = useDeskMutation('sync.retry', {
    onSuccess: () => {
      for (const m of ['sync.status', 'sync.list'] as const) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
    },
  });
  const eta = etaSeconds(status.bytesPending, rate);

  return (
    <section className="panel sync-summary" aria-labelledby="sync-summary-title" data-testid="sync-summary">
      <div className="sync-summary-head">
        <h2 id="sync-summary-title">{t('sync.summary.title')}</h2>
        <span className={`pill pill-${TONE[status.connection]}`} data-testid="sync-connection" data-connection={status.connection}>
          {t(`sync.connection.${status.connection}`)}
        </span>
        <button type="button" className="button-primary" onClick={() => retry.mutate({})} disabled={retry.isPending} data-testid="sync-retry-all">
          {t('sync.retryNow')}
        </button>
      </div>
      {retry.isSuccess && (
        <p className="alert alert-info" role="status">
          {retry.data.reset > 0 ? t('sync.retried', { count: retry.data.reset, n: formatCount(retry.data.reset, lang) }) : t('sync.retriedNothing')}
        </p>
      )}
      {retry.isError && <ErrorBox error={retry.error} />}

      <dl className="sync-counts">
        {COUNTS.map((k) => (
          <div key={k} className={`sync-count sync-count-${k}${k === 'failed' && status.failed > 0 ? ' sync-count-bad' : ''}`} data-count={k}>
            <dt>{t(`sync.count.${k}`)}</dt>
            <dd>{formatCount(status[k], lang)}</dd>
          </div>
        ))}
        <div className="sync-count" data-count="studiesWaiting">
          <dt>{t('sync.count.studiesWaiting')}</dt>
          <dd>{formatCount(status.studiesWaiting, lang)}</dd>
        </div>
        <div className="sync-count" data-count="bytesPending">
          <dt>{t('sync.count.bytesPending')}</dt>
          <dd>{formatBytes(status.bytesPending, lang)}</dd>
        </div>
        <div className="sync-count" data-count="throughput">
          <dt>{t('sync.count.throughput')}</dt>
          <dd>{rate === null ? '—' : `${formatBytes(rate, lang)}/s`}</dd>
        </div>
        <div className="sync-count" data-count="eta">
          <dt>{t('sync.count.eta')}</dt>
          <dd>{eta === null || status.bytesPending === 0 ? '—' : formatDuration(eta, lang)}</dd>
        </div>
      </dl>
      <p className="field-help">{t('sync.countsHelp')}</p>

      {status.lastError && (
        <p className="alert alert-error" role="alert" data-testid="sync-last-error" data-code={status.lastError.code}>
          {t('sync.lastError')}: {status.lastError[lang]}
        </p>
      )}
      {status.connection === 'offline' && status.nextProbeAt !== null && (
        <p className="field-help">{t('sync.nextProbe', { at: formatDateTimeSeconds(status.nextProbeAt) })}</p>
      )}
      {status.connection === 'unconfigured' && (
        <p className="alert alert-warn">
          {t('sync.unconfigured')} <a href="#/settings">{t('sync.openSettings')}</a>
        </p>
      )}
      {status.diskFreeBytes !== null && (
        <p className={status.diskLow ? 'alert alert-warn' : 'field-help'}>
          {t(status.diskLow ? 'sync.diskLow' : 'sync.diskFree', { free: formatBytes(status.diskFreeBytes, lang) })}
        </p>
      )}
    </section>
  );
}
