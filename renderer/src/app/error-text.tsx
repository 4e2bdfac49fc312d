/**
 * Shows a failed call in the current UI language. The core sends both languages
 * (`DeskErrorShape.messages`), so nothing is translated here; anything that is not a
 * DeskCallError is a renderer bug and gets a generic line instead of a stack trace.
 */
import { useTranslation } from 'react-i18next';
import { DeskCallError } from '../lib/desk-call-error';
import { currentLanguage } from '../i18n/i18n';

export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return (error) => (error instanceof DeskCallError ? error.error.messages[currentLanguage(i18n)] : t('error.unexpected'));
}

export function ErrorBox({ error, id }: { error: unknown; id?: string }) {
  const text = useErrorText();
  return (
    <p className="alert alert-error" role="alert" id={id}>
      {text(error)}
    </p>
  );
}
