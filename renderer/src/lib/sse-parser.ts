/**
 * Incremental parser for a `text/event-stream` body, following the WHATWG HTML standard
 * §9.2.6 "Interpreting an event stream": lines end in CRLF, LF or CR; a blank line dispatches;
 * `event:` names the event, `data:` lines are joined with LF, a leading `:` is a comment, `retry:`
 * sets the reconnection time. (`id:` / Last-Event-ID is not used by the desk bridge.)
 *
 * Why not `EventSource`: the bridge client reads the stream with `fetch`, which runs the same in the
 * page and in Node (the tests drive it against a real socket) and lets us abort and reconnect on
 * our own schedule.
 */

export interface SseEvent {
  /** `message` when the block had no `event:` field. */
  readonly name: string;
  readonly data: string;
}

export interface SseParser {
  /** Feed decoded text as it arrives; events are delivered synchronously. */
  push(text: string): void;
}

export function createSseParser(onEvent: (event: SseEvent) => void, onRetry: (ms: number) => void = () => {}): SseParser {
  let pending = '';
  /** A chunk ended in CR: a LF at the start of the next chunk belongs to the same line end. */
  let skipLeadingLf = false;
  let eventName = '';
  let data: string[] = [];

  function dispatch(): void {
    if (data.length > 0) onEvent({ name: eventName === '' ? 'message' : eventName, data: data.join('\n') });
    eventName = '';
    data = [];
  }

  function line(text: string): void {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
  }

  return {
    push(text) {
      let chunk = text;
      if (skipLeadingLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
      skipLeadingLf = false;
      pending += chunk;
      let start = 0;
      for (let i = 0; i < pending.length; i++) {
        const c = pending[i];
        if (c !== '\r' && c !== '\n') continue;
        line(pending.slice(start, i));
        if (c === '\r') {
          if (i + 1 === pending.length) skipLeadingLf = true;
          else if (pending[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      pending = pending.slice(start);
    },
  };
}
