/**
 * The honest placeholder for a capability that is not built yet: the page exists in the
 * navigation so the shell is complete, and says plainly that nothing works there yet.
 */
import { useTranslation } from 'react-i18next';

export type NotYetArea = 'inbox' | 'visits' | 'film' | 'sync';

export function NotYet({ area }: { area: NotYetArea }) {
  const { t } = useTranslation();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t(`nav.${area}`)}</h1>
      <div className="empty" role="status">
        <p className="empty-title">{t('notYet.title')}</p>
        <p>{t(`notYet.${area}`)}</p>
      </div>
    </section>
  );
}
