/**
 * Who is working. The whole app below the sign-in screen reads the signed-in operator from here;
 * signing out (or the core saying the session is gone) returns to "Ai đang làm việc?".
 */
import { createContext, useContext } from 'react';
import type { Operator } from '../../../shared/contract/foundation';

export interface Session {
  readonly operator: Operator;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used below the sign-in screen');
  return session;
}
