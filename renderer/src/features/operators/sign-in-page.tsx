/**
 * "Ai đang làm việc? / Who is working?" — the first screen. Every call after it carries the chosen
 * operator (the audit log says who did what), and an operator with a PIN proves it here.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../../shared/contract';
import type { Operator } from '../../../../shared/contract/foundation';
import type { Language } from '../../i18n/i18n';
import { ErrorBox } from '../../app/error-text';
import { LanguageSwitch } from '../../app/language-switch';
import { Loading } from '../../app/loading';
import { useDeskMutation, useDeskQuery } from '../../lib/query';

export type SignInResult = MethodOutput<'operators.signIn'>;

export interface SignInPageProps {
  /** `language`: picked on this screen, to become the desk's `ui.language` once signed in. */
  onSignedIn: (result: SignInResult, language: Language | null) => void;
  sessionEnded: boolean;
}

export function SignInPage({ onSignedIn, sessionEnded }: SignInPageProps) {
  const { t } = useTranslation();
  const operators = useDeskQuery('operators.list', {});
  const info = useDeskQuery('app.info', {}, { staleTime: Infinity });
  const [chosen, setChosen] = useState<Operator | null>(null);
  const [language, setLanguage] = useState<Language | null>(null);
  const signIn = useDeskMutation('operators.signIn', { onSuccess: (result) => onSignedIn(result, language) });

  return (
    <div className="sign-in">
      <main className="sign-in-card" aria-labelledby="sign-in-title">
        <div className="sign-in-top">
          <span className="brand">{info.data?.name ?? 'Radiology Desk'}</span>
          <LanguageSwitch onChosen={setLanguage} />
        </div>
        {sessionEnded && (
          <p className="alert alert-info" role="status">
            {t('signIn.sessionEnded')}
          </p>
        )}
        {chosen ? (
          <PinForm
            operator={chosen}
            pending={signIn.isPending}
            error={signIn.error}
            onSubmit={(pin) => signIn.mutate({ operatorId: chosen.id, pin })}
            onBack={() => {
              signIn.reset();
              setChosen(null);
            }}
          />
        ) : (
          <>
            <h1 id="sign-in-title">{t('signIn.title')}</h1>
            {operators.isPending && <Loading />}
            {operators.isError && <ErrorBox error={operators.error} />}
            {operators.data && (
              <ul className="operator-list">
                {operators.data.items.map((op) => (
                  <li key={op.id}>
                    <button
                      type="button"
                      className="operator-button"
                      disabled={signIn.isPending}
                      onClick={() => {
                        signIn.reset();
                        if (op.hasPin) setChosen(op);
                        else signIn.mutate({ operatorId: op.id });
                      }}
                    >
                      <span className="operator-name">{op.name}</span>
                      <span className="operator-role">
                        {t(`role.${op.role}`)}
                        {op.hasPin && ` · ${t('signIn.needsPin')}`}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {signIn.isError && <ErrorBox error={signIn.error} />}
          </>
        )}
      </main>
    </div>
  );
}

function PinForm(props: {
  operator: Operator;
  pending: boolean;
  error: unknown;
  onSubmit: (pin: string) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  return (
    <form
      className="pin-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(pin);
      }}
    >
      <h1 id="sign-in-title">{t('signIn.pinTitle', { name: props.operator.name })}</h1>
      <label htmlFor="pin">{t('signIn.pin')}</label>
      <input
        id="pin"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        autoFocus
        value={pin}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? 'pin-error' : undefined}
        onChange={(e) => setPin(e.target.value)}
      />
      {props.error ? <ErrorBox error={props.error} id="pin-error" /> : null}
      <div className="actions">
        <button type="button" onClick={props.onBack}>
          {t('common.back')}
        </button>
        <button type="submit" className="button-primary" disabled={props.pending || pin === ''}>
          {t('signIn.submit')}
        </button>
      </div>
    </form>
  );
}
