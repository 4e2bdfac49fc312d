/**
 * The PACS part of the status bar: whether images can leave, and how many studies wait — "PACS
 * mất kết nối — 3 ca đang chờ gửi". A PACS outage is a normal state (the queue keeps growing and
 * drains by itself), so it is said calmly, with the count, and links to the Sync page.
 */
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../../shared/contract/sync';
import { currentLanguage } from '../../i18n/i18n';
import { formatBytes, formatCount } from '../../lib/format';
import { routeHref } from '../../lib/hash-route';
import { useSyncStatus } from './use-sync-status';
import './sync.css';

const TONE: Record<SyncStatus['connection'], 'ok' | 'bad' | 'warn' | 'idle'> = { online: 'ok', offline: 'bad', unconfigured: 'warn', unknown: 'idle' };

export function SyncStatusStrip() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const status = useSyncStatus();
  const s = status.data;
  if (!s) {
    return (
      <span className="pill pill-idle" role="status">
        {status.isError ? t('sync.bar.cannotTell') : t('sync.bar.loading')}
      </span>
    );
  }
  const waiting = formatCount(s.studiesWaiting, lang);
  const label =
    s.connection === 'offline'
      ? t('sync.bar.offlineWaiting', { n: waiting, count: s.studiesWaiting })
      : t(`sync.bar.${s.connection}`);
  return (
    <a className="sync-strip" href={routeHref('sync')} data-testid="sync-strip" data-connection={s.connection}>
      <span className={`pill pill-${TONE[s.connection]}`} role="status" aria-live="polite">
        {label}
      </span>
      {s.connection !== 'offline' && s.studiesWaiting > 0 && (
        <span className="sync-strip-text">
          {t('sync.bar.waiting', { n: waiting, count: s.studiesWaiting })}
          {s.bytesPending > 0 && ` (${formatBytes(s.bytesPending, lang)})`}
        </span>
      )}
      {s.failed > 0 && <span className="pill pill-bad">{t('sync.bar.failed', { n: formatCount(s.failed, lang) })}</span>}
      {s.diskLow && <span className="pill pill-warn">{t('sync.bar.diskLow')}</span>}
    </a>
  );
}
