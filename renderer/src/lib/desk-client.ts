/**
 * The renderer's one door to the desk core. Features call `client.call('settings.get', {})` and
 * never learn whether the bytes went over Electron IPC (`window.desk` from the preload) or over the
 * loopback HTTP bridge (browser mode, e2e tests): both carry the same contract names and envelopes.
 *
 * The renderer validates nothing a second time — the core's dispatch already checked input and
 * output against the contract's zod schemas — so only types cross into this file, never schemas.
 */
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/contract';
import { createBridgeClient } from './desk-client-bridge';
import { createIpcClient } from './desk-client-ipc';

export { DeskCallError } from './desk-call-error';

/** Who is working, as the bridge needs it on every call (`X-Desk-Operator`, `X-Desk-Session`). */
export interface OperatorSession {
  readonly operatorId: string;
  /** From `operators.signIn`. */
  readonly session: string;
}

export interface DeskClient {
  readonly transport: 'ipc' | 'bridge';
  /** Resolves with the method's output, or rejects with a `DeskCallError`. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /**
   * For a capability this build may not have yet (e.g. `sync.status` before the sync slice lands):
   * resolves `undefined` on UNKNOWN_METHOD instead of rejecting. The value is untyped on purpose.
   */
  callOptional(method: string, input: unknown): Promise<unknown>;
  /** Subscribes to a contract event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void): () => void;
  /**
   * Called after the event stream came back from an interruption, when events may have been
   * missed: the UI refetches what it shows. Returns the unsubscribe function.
   */
  onResync(fn: () => void): () => void;
  /** Sets (or clears) the operator sent with each call. IPC mode: the main process keeps it. */
  setOperator(session: OperatorSession | null): void;
}

/** What the preload exposes as `window.desk` (contextBridge); `call` resolves a `DeskEnvelope`. */
export interface DeskPreloadApi {
  call(method: string, input: unknown): Promise<unknown>;
  on(event: string, fn: (payload: unknown) => void): () => void;
}

function preloadApi(win: Window): DeskPreloadApi | null {
  const desk = (win as Window & { desk?: Partial<DeskPreloadApi> }).desk;
  return desk && typeof desk.call === 'function' && typeof desk.on === 'function' ? (desk as DeskPreloadApi) : null;
}

/** Picked once at start: the preload's IPC when present (Electron), else the same-origin bridge. */
export function pickDeskClient(win: Window): DeskClient {
  const api = preloadApi(win);
  return api ? createIpcClient(api) : createBridgeClient({ baseUrl: win.location.origin });
}
