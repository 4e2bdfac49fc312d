/**
 * A quarantine message arrives as one string, "Vietnamese / English" (the contract's form, so
 * automation reads both). The UI shows the half in its language when the string splits cleanly
 * in two, and the whole string otherwise — never a wrong half.
 */
import type { Language } from '../../i18n/i18n';

export function pickLanguage(message: string, lang: Language): string {
  const parts = message.split(' / ');
  if (parts.length !== 2) return message;
  return (lang === 'vi' ? parts[0] : parts[1])?.trim() || message;
}
