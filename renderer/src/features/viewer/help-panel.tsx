/** The keyboard and mouse help, printed from the same table the key handler reads. */
import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from './shortcuts';

export function HelpPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  return (
    <div className="viewer-help" role="dialog" aria-modal="false" aria-labelledby="viewer-help-title">
      <div className="viewer-help-head">
        <h2 id="viewer-help-title">{t('viewer.help.title')}</h2>
        <button type="button" className="viewer-button" onClick={onClose}>
          {t('viewer.help.close')}
        </button>
      </div>
      <div className="viewer-help-columns">
        <dl className="viewer-help-keys">
          {SHORTCUTS.map((s) => (
            <div key={s.action} className="viewer-help-key">
              <dt>
                <kbd>{s.label}</kbd>
              </dt>
              <dd>{t(`viewer.action.${s.action}`)}</dd>
            </div>
          ))}
        </dl>
        <ul className="viewer-help-mouse">
          <li>{t('viewer.help.mouseLeft')}</li>
          <li>{t('viewer.help.mouseRight')}</li>
          <li>{t('viewer.help.mouseMiddle')}</li>
          <li>{t('viewer.help.scanner')}</li>
        </ul>
      </div>
    </div>
  );
}
