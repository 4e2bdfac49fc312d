/**
 * DeskClient over the loopback HTTP bridge (browser mode and the browser tests):
 *
 *   POST {base}/api/{method}   JSON body → {ok:true,value} | {ok:false,error} (4xx)
 *   GET  {base}/api/events     text/event-stream, `event: <name>` + `data: <json>`
 *
 * The bridge's access token travels in an HttpOnly cookie the page never sees; the operator goes in
 * `X-Desk-Operator` and, once signed in, `X-Desk-Session` — headers, so nothing about who is
 * working appears in a URL or a log line.
 *
 * The event stream is one fetch, opened when the first listener subscribes and closed with the
 * last. When it drops it reconnects with a capped doubling delay and then tells `onResync`
 * listeners, because events sent while it was down are gone.
 */
import type { EventName, EventPayload, MethodName, MethodOutput } from '../../../shared/contract';
import { type DeskCallError, isEnvelope, localCallError, undefinedIfUnknownMethod, unwrapEnvelope } from './desk-call-error';
import type { DeskClient, OperatorSession } from './desk-client';
import { createSseParser } from './sse-parser';

export interface BridgeClientOptions {
  /** The bridge's origin, e.g. `http://127.0.0.1:41234` (the page's own origin in browser mode). */
  readonly baseUrl: string;
  /** Injected by tests to act as a browser with the auth cookie; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
  /** Event-stream reconnection: first delay, doubling up to the cap. */
  readonly reconnect?: { readonly initialMs: number; readonly maxMs: number };
}

const DEFAULT_RECONNECT = { initialMs: 1000, maxMs: 15_000 } as const;

export function createBridgeClient(options: BridgeClientOptions): DeskClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const reconnect = options.reconnect ?? DEFAULT_RECONNECT;
  let operator: OperatorSession | null = null;

  async function invoke(method: string, input: unknown): Promise<unknown> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (operator) {
      headers['x-desk-operator'] = operator.operatorId;
      headers['x-desk-session'] = operator.session;
    }
    let response: Response;
    try {
      response = await doFetch(`${base}/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw localCallError('DESK_UNREACHABLE');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      // Not JSON (a proxy's error page, a cut connection): judged by the status below.
    }
    if (isEnvelope(body)) return unwrapEnvelope(body, method);
    throw response.ok ? localCallError('INTERNAL', { ref: `bad-answer:${method}` }) : statusError(response.status, method);
  }

  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const resyncListeners = new Set<() => void>();
  let stream: AbortController | null = null;

  function listenerCount(): number {
    let n = 0;
    for (const set of listeners.values()) n += set.size;
    return n;
  }

  function deliver(name: string, data: string): void {
    const set = listeners.get(name);
    if (!set || set.size === 0) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      console.warn(`desk events: dropped a "${name}" event whose data is not JSON`);
      return;
    }
    for (const fn of [...set]) fn(payload);
  }

  /** One stream's life: connect, read until it ends or fails, wait, connect again — until aborted. */
  async function runStream(signal: AbortSignal): Promise<void> {
    let delay = reconnect.initialMs;
    let serverRetryMs: number | null = null;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const response = await doFetch(`${base}/api/events`, {
          headers: { accept: 'text/event-stream' },
          credentials: 'same-origin',
          cache: 'no-store',
          signal,
        });
        if (response.ok && response.body) {
          if (attempt > 0) for (const fn of [...resyncListeners]) fn();
          delay = reconnect.initialMs;
          const parser = createSseParser(
            (event) => deliver(event.name, event.data),
            (ms) => (serverRetryMs = ms),
          );
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parser.push(decoder.decode(value, { stream: true }));
          }
        } else {
          await response.body?.cancel();
        }
      } catch {
        // Aborted, refused or dropped mid-stream: all end in the wait below.
      }
      attempt++;
      if (signal.aborted) return;
      await abortableWait(serverRetryMs ?? delay, signal);
      delay = Math.min(delay * 2, reconnect.maxMs);
    }
  }

  function startStreamIfNeeded(): void {
    if (stream || listenerCount() === 0) return;
    stream = new AbortController();
    void runStream(stream.signal);
  }

  function stopStreamIfIdle(): void {
    if (!stream || listenerCount() > 0) return;
    stream.abort();
    stream = null;
  }

  return {
    transport: 'bridge',
    call: <M extends MethodName>(method: M, input: unknown) => invoke(method, input) as Promise<MethodOutput<M>>,
    callOptional: (method, input) => undefinedIfUnknownMethod(invoke(method, input)),
    on<E extends EventName>(event: E, fn: (payload: EventPayload<E>) => void) {
      const wrapped = (payload: unknown) => fn(payload as EventPayload<E>);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(wrapped);
      startStreamIfNeeded();
      return () => {
        set.delete(wrapped);
        stopStreamIfIdle();
      };
    },
    onResync(fn) {
      resyncListeners.add(fn);
      return () => {
        resyncListeners.delete(fn);
      };
    },
    setOperator(session) {
      operator = session;
    },
  };
}

/** A non-envelope answer, named by its HTTP status. */
function statusError(status: number, method: string): DeskCallError {
  if (status === 401) return localCallError('UNAUTHORIZED');
  if (status === 403) return localCallError('FORBIDDEN');
  if (status === 404) return localCallError('UNKNOWN_METHOD', { method });
  return localCallError('INTERNAL', { ref: `http-${status}` });
}

function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
