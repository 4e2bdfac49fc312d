/**
 * The root: providers, then either "who is working?" or the shell. A session the core no longer
 * accepts (OPERATOR_REQUIRED / PIN_REQUIRED on any call — e.g. the desk restarted and forgot PIN
 * sessions) returns to the sign-in screen with a note instead of failing call by call.
 */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DeskCallError } from '../lib/desk-call-error';
import type { DeskClient } from '../lib/desk-client';
import { DeskClientProvider } from '../lib/query';
import { SignInPage, type SignInResult } from '../features/operators/sign-in-page';
import { SessionContext, type Session } from './session';
import { Shell } from './shell';

const SESSION_LOST = new Set(['OPERATOR_REQUIRED', 'PIN_REQUIRED']);

function isSessionLost(e: unknown): boolean {
  return e instanceof DeskCallError && SESSION_LOST.has(e.code);
}

/** Contract errors are answers, not accidents: only a lost connection is worth asking again. */
function shouldRetry(failures: number, e: unknown): boolean {
  return failures < 2 && e instanceof DeskCallError && e.code === 'DESK_UNREACHABLE';
}

export function App({ client }: { client: DeskClient }) {
  const onSessionLost = useRef<() => void>(() => {});
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: (e) => isSessionLost(e) && onSessionLost.current() }),
        mutationCache: new MutationCache({ onError: (e) => isSessionLost(e) && onSessionLost.current() }),
        defaultOptions: { queries: { retry: shouldRetry, staleTime: 5000 } },
      }),
  );
  const [signedIn, setSignedIn] = useState<SignInResult | null>(null);
  const [sessionEnded, setSessionEnded] = useState(false);

  const signOut = useCallback(() => {
    client.setOperator(null);
    setSignedIn(null);
    // Nothing one operator saw stays cached for the next one.
    queryClient.clear();
  }, [client, queryClient]);

  useEffect(() => {
    onSessionLost.current = () => {
      if (!signedIn) return;
      signOut();
      setSessionEnded(true);
    };
  }, [signedIn, signOut]);

  useEffect(() => client.onResync(() => void queryClient.invalidateQueries()), [client, queryClient]);

  const session = useMemo<Session | null>(
    () => (signedIn ? { operator: signedIn.operator, signOut } : null),
    [signedIn, signOut],
  );

  return (
    <DeskClientProvider client={client}>
      <QueryClientProvider client={queryClient}>
        {session ? (
          <SessionContext.Provider value={session}>
            <Shell />
          </SessionContext.Provider>
        ) : (
          <SignInPage
            sessionEnded={sessionEnded}
            onSignedIn={async (result, language) => {
              client.setOperator({ operatorId: result.operator.id, session: result.session });
              // A language picked on the sign-in screen is the user's choice: save it before the
              // shell loads settings, or the desk's old `ui.language` would switch it back. If the
              // save fails, the shell simply follows the stored setting.
              if (language) await client.call('settings.update', { ui: { language } }).catch(() => undefined);
              setSessionEnded(false);
              setSignedIn(result);
            }}
          />
        )}
      </QueryClientProvider>
    </DeskClientProvider>
  );
}
