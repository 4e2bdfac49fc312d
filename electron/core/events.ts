/** The desk's event hub: services emit typed events; IPC and the bridge's SSE forward them. */
import type { EventName, EventPayload } from '../../shared/contract';
import type { EventSink } from './handler-types';

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface EventHub extends EventSink {
  subscribe(fn: EventListener): () => void;
}

export function createEventHub(onListenerError: (e: unknown) => void): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const fn of listeners) {
        // One broken subscriber (a closed SSE stream, say) must not stop the others.
        try {
          fn(name, payload);
        } catch (e) {
          onListenerError(e);
        }
      }
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
