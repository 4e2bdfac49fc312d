/**
 * The intake counters (`ingest.summary`): received = accepted + duplicates + quarantined, and
 * files still in progress. Every `ingest.progress` event carries the running counts, so they move
 * as files arrive without asking again.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../app/error-text';
import { currentLanguage } from '../../i18n/i18n';
import { formatCount } from '../../lib/format';
import { deskQueryKey, useDeskEvent, useDeskQuery } from '../../lib/query';

const KEYS = ['received', 'accepted', 'duplicates', 'quarantined', 'inProgress'] as const;

export function IngestCounters() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const queryClient = useQueryClient();
  const summary = useDeskQuery('ingest.summary', {});
  useDeskEvent('ingest.progress', (e) => queryClient.setQueryData(deskQueryKey('ingest.summary', {}), e.counts));
  return (
    <>
      {summary.isError && <ErrorBox error={summary.error} />}
      {summary.data && (
        <dl className="sync-counts" data-testid="ingest-counters">
          {KEYS.map((k) => (
            <div key={k} className={`sync-count${k === 'quarantined' && summary.data[k] > 0 ? ' sync-count-warn' : ''}`} data-count={k}>
              <dt>{t(`quarantine.counts.${k}`)}</dt>
              <dd>{formatCount(summary.data[k], lang)}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
