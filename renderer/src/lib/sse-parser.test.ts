import { describe, expect, it } from 'vitest';
import { createSseParser, type SseEvent } from './sse-parser';

function parse(chunks: string[]): { events: SseEvent[]; retries: number[] } {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const parser = createSseParser(
    (e) => events.push(e),
    (ms) => retries.push(ms),
  );
  for (const c of chunks) parser.push(c);
  return { events, retries };
}

describe('SSE parser (WHATWG HTML §9.2.6)', () => {
  it('dispatches on a blank line, with the event name and joined data lines', () => {
    expect(parse(['event: a.b\ndata: 1\ndata: 2\n\n']).events).toEqual([{ name: 'a.b', data: '1\n2' }]);
  });

  it('accepts CRLF, LF and CR line ends', () => {
    const { events } = parse(['event: x\r\ndata: 1\r\n\r\nevent: y\rdata: 2\r\revent: z\ndata: 3\n\n']);
    expect(events).toEqual([
      { name: 'x', data: '1' },
      { name: 'y', data: '2' },
      { name: 'z', data: '3' },
    ]);
  });

  it('treats a CR at the end of one chunk and a LF at the start of the next as one line end', () => {
    // Were the LF read as a second line end, the blank line would dispatch early and drop the name.
    const { events } = parse(['event: a\r', '\ndata: 1\r', '\n\r', '\n']);
    expect(events).toEqual([{ name: 'a', data: '1' }]);
  });

  it('reassembles fields split anywhere across chunks', () => {
    const { events } = parse(['ev', 'ent: sett', 'ings.changed\nda', 'ta: {"name":"Nguy', 'ễn"}\n', '\n']);
    expect(events).toEqual([{ name: 'settings.changed', data: '{"name":"Nguyễn"}' }]);
  });

  it('ignores comments, unknown fields and blocks without data; resets the name after each event', () => {
    const { events } = parse([': connected\n\n', 'event: lonely\n\n', 'id: 7\nfoo: bar\ndata\n\n', 'data:x\n\n']);
    // `data` with no colon is a data line with an empty value; `data:x` has no space to strip.
    expect(events).toEqual([
      { name: 'message', data: '' },
      { name: 'message', data: 'x' },
    ]);
  });

  it('reports retry only when it is all digits', () => {
    expect(parse(['retry: 2500\n', 'retry: soon\n\n']).retries).toEqual([2500]);
  });

  it('holds an unfinished event until its blank line arrives', () => {
    expect(parse(['event: a\ndata: 1\n']).events).toEqual([]);
  });
});
