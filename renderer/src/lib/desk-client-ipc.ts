/**
 * DeskClient over Electron IPC: `window.desk` from the sandboxed preload (contextBridge), which
 * forwards contract names only. The main process knows the operator from `operators.signIn` on this
 * window's own channel, so nothing identifying is added per call here.
 */
import type { EventName, EventPayload, MethodName, MethodOutput } from '../../../shared/contract';
import { localCallError, undefinedIfUnknownMethod, unwrapEnvelope } from './desk-call-error';
import type { DeskClient, DeskPreloadApi } from './desk-client';

export function createIpcClient(api: DeskPreloadApi): DeskClient {
  async function invoke(method: string, input: unknown): Promise<unknown> {
    let envelope: unknown;
    try {
      envelope = await api.call(method, input);
    } catch {
      // The IPC channel itself failed (main process gone or restarting): not a contract error.
      throw localCallError('DESK_UNREACHABLE');
    }
    return unwrapEnvelope(envelope, method);
  }

  return {
    transport: 'ipc',
    call: <M extends MethodName>(method: M, input: unknown) => invoke(method, input) as Promise<MethodOutput<M>>,
    callOptional: (method, input) => undefinedIfUnknownMethod(invoke(method, input)),
    on: <E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void) =>
      api.on(event, (payload) => fn(payload as EventPayload<E>)),
    // IPC events are not lost while the window lives, so there is never anything to resync.
    onResync: () => () => {},
    setOperator: () => {},
  };
}
