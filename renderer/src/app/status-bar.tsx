/**
 * The strip along the bottom of every page: PACS state and outbox size (what a technician needs
 * to trust that images are leaving), who is working, the language, the app version.
 */
import { useTranslation } from 'react-i18next';
import { SyncStatusStrip } from '../features/sync/sync-status-strip';
import { useDeskQuery } from '../lib/query';
import { LanguageSwitch } from './language-switch';
import { useSession } from './session';
import { useSaveSettings } from './use-save-settings';

export function StatusBar() {
  const { t } = useTranslation();
  const { operator, signOut } = useSession();
  const info = useDeskQuery('app.info', {}, { staleTime: Infinity });
  const saveLanguage = useSaveSettings();

  return (
    <footer className="status-bar" aria-label={t('status.label')}>
      {/* "PACS mất kết nối — N ca đang chờ gửi", typed `sync.status` kept live by `sync.state`. */}
      <SyncStatusStrip />
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
