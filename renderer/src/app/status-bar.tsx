/**
 * The strip along the bottom of every page: PACS state and outbox size (what a technician needs
 * to trust that images are leaving), who is working, the language, the app version.
 */
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n/i18n';
import { formatBytes, formatCount } from '../lib/format';
import { useDeskQuery, useOptionalDeskQuery } from '../lib/query';
import { LanguageSwitch } from './language-switch';
import { pacsState, type PacsState } from './pacs-state';
import { useSession } from './session';
import { useSaveSettings } from './use-save-settings';

const SYNC_POLL_MS = 5000;

export function StatusBar() {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const { operator, signOut } = useSession();
  const settings = useDeskQuery('settings.get', {});
  const info = useDeskQuery('app.info', {}, { staleTime: Infinity });
  const syncStatus = useOptionalDeskQuery('sync.status', {}, {
    // Stop asking once the core said it has no such method.
    refetchInterval: (query) => (query.state.data === null ? false : SYNC_POLL_MS),
  });
  const saveLanguage = useSaveSettings();

  // A failed status call means "cannot tell", the same as a build without sync.
  const state = pacsState(settings.data?.pacs.dicomwebUrl, syncStatus.isError ? null : syncStatus.data);

  return (
    <footer className="status-bar" aria-label={t('status.label')}>
      <PacsIndicator state={state} />
      <Outbox state={state} lang={lang} />
      <span className="status-spacer" />
      <span className="status-operator">
        {t('status.operator')}: <strong>{operator.name}</strong> ({t(`role.${operator.role}`)})
      </span>
      <button type="button" className="button-small" onClick={signOut}>
        {t('status.switchOperator')}
      </button>
      <LanguageSwitch onChosen={(language) => saveLanguage.mutate({ ui: { language } })} />
      {info.data && <span className="status-version">v{info.data.version}</span>}
    </footer>
  );
}

function PacsIndicator({ state }: { state: PacsState }) {
  const { t } = useTranslation();
  const tone = state.kind === 'online' ? 'ok' : state.kind === 'offline' ? 'bad' : state.kind === 'loading' ? 'idle' : 'warn';
  return (
    <span className={`pill pill-${tone}`} role="status" aria-live="polite">
      {t(`pacs.${state.kind}`)}
    </span>
  );
}

function Outbox({ state, lang }: { state: PacsState; lang: 'vi' | 'en' }) {
  const { t } = useTranslation();
  const sync = 'sync' in state ? state.sync : null;
  if (!sync) return <span className="status-outbox">{t('outbox.unknown')}</span>;
  return (
    <span className="status-outbox">
      {t('outbox.waiting', { n: formatCount(sync.waiting, lang) })}
      {sync.bytesPending > 0 && ` (${formatBytes(sync.bytesPending, lang)})`}
      {sync.failed > 0 && <span className="pill pill-bad">{t('outbox.failed', { n: formatCount(sync.failed, lang) })}</span>}
    </span>
  );
}
