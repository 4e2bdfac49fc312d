/**
 * The language picker of the status bar and the sign-in screen. Its label is bilingual in both
 * languages ("Ngôn ngữ / Language") so whoever cannot read the current one still finds it.
 * Signed in, the choice is saved as the desk's `ui.language`; before that it is only local.
 */
import { useTranslation } from 'react-i18next';
import { applyLanguage, currentLanguage, isLanguage, LANGUAGES, type Language } from '../i18n/i18n';

const NAMES: Record<Language, string> = { vi: 'Tiếng Việt', en: 'English' };

export function LanguageSwitch({ onChosen }: { onChosen?: (lang: Language) => void }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  return (
    <label className="language-switch">
      <span>{t('language.label')}</span>
      <select
        value={lang}
        onChange={(e) => {
          const next = e.target.value;
          if (!isLanguage(next)) return;
          void applyLanguage(next);
          onChosen?.(next);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
