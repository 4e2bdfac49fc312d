/**
 * i18next with Vietnamese as the default and English beside it. The desk's language is the
 * setting `ui.language`; before anyone has signed in (settings are not public) the page uses the
 * language last shown on this machine, kept in localStorage, so the picker does not flash in the
 * wrong language at a desk set to English.
 *
 * Strings: the shell's live in `i18n/vi.json` and `en.json`. A feature may bring its own catalogue,
 * `features/<name>/i18n/vi.json` + `en.json`, found at build time and mounted under `<name>.` —
 * so `features/film/i18n/vi.json` `{"form": {"title": …}}` is `t('film.form.title')`, and a feature
 * owner never edits the shell's files. The i18n test holds both kinds to the same rules.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { PublicSettings } from '../../../shared/settings-schema';
import en from './en.json';
import vi from './vi.json';

export type Language = PublicSettings['ui']['language'];
export const LANGUAGES: readonly Language[] = ['vi', 'en'];
export const DEFAULT_LANGUAGE: Language = 'vi';

const STORAGE_KEY = 'desk.language';

export function isLanguage(x: unknown): x is Language {
  return LANGUAGES.includes(x as Language);
}

/** The language shown last on this machine, or Vietnamese. Storage may be unavailable: then Vietnamese. */
export function rememberedLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

type Catalogue = { readonly [key: string]: string | Catalogue };

const featureCatalogues = {
  vi: import.meta.glob<Catalogue>('../features/*/i18n/vi.json', { eager: true, import: 'default' }),
  en: import.meta.glob<Catalogue>('../features/*/i18n/en.json', { eager: true, import: 'default' }),
};

/** The shell's catalogue plus each feature's under its folder name. */
export function catalogueFor(lang: Language): Catalogue {
  const shell: Catalogue = lang === 'vi' ? vi : en;
  const merged: Record<string, string | Catalogue> = { ...shell };
  for (const [file, catalogue] of Object.entries(featureCatalogues[lang])) {
    const feature = /features\/([^/]+)\/i18n\//.exec(file)?.[1];
    if (!feature || feature in shell) throw new Error(`i18n: ${file} would replace the shell's "${feature}" strings`);
    merged[feature] = catalogue;
  }
  return merged;
}

export function initI18n(lang: Language): i18n {
  void i18next.use(initReactI18next).init({
    resources: { vi: { translation: catalogueFor('vi') }, en: { translation: catalogueFor('en') } },
    lng: lang,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes.
    initAsync: false,
  });
  markDocument(lang);
  return i18next;
}

/** Switches the UI language, marks the document (screen readers, hyphenation) and remembers it. */
export async function applyLanguage(lang: Language): Promise<void> {
  if (i18next.language !== lang) await i18next.changeLanguage(lang);
  markDocument(lang);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the setting still holds the desk's language.
  }
}

/** The current UI language as the desk's type (i18next may report a region variant). */
export function currentLanguage(instance: Pick<i18n, 'language'>): Language {
  const base = instance.language?.slice(0, 2);
  return isLanguage(base) ? base : DEFAULT_LANGUAGE;
}

function markDocument(lang: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
