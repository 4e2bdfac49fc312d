/**
 * A streaming reader of `multipart/related` bodies (RFC 2046 §5.1.1, RFC 2387) as WADO-RS returns
 * them (PS3.18 §8.7.1): it yields each part's headers, then its bytes chunk by chunk, then its end —
 * so a study of hundreds of megabytes passes through with memory bounded by the chunk size.
 *
 * The delimiter is CRLF "--" boundary; the body starts with "--" boundary (an optional preamble is
 * skipped) and ends with "--" boundary "--".
 */
export type MultipartEvent =
  | { type: 'part'; headers: ReadonlyMap<string, string> }
  | { type: 'data'; chunk: Buffer }
  | { type: 'end-part' };

export class MultipartError extends Error {}

const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary parameter of a multipart Content-Type, unquoted. */
export function boundaryOf(contentType: string | null): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

export async function* readMultipart(body: AsyncIterable<Uint8Array>, boundary: string): AsyncGenerator<MultipartEvent> {
  const dash = Buffer.from(`--${boundary}`, 'latin1');
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  let buf = Buffer.alloc(0);
  let state: 'preamble' | 'after-boundary' | 'headers' | 'body' = 'preamble';
  let finished = false;

  const iterator = body[Symbol.asyncIterator]();
  const more = async (): Promise<boolean> => {
    if (finished) return false;
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      return false;
    }
    buf = buf.length === 0 ? Buffer.from(next.value) : Buffer.concat([buf, next.value]);
    return true;
  };

  try {
    parse: for (;;) {
      if (state === 'preamble') {
        // The first boundary may start the body (no leading CRLF) or follow a preamble.
        const at = buf.indexOf(dash);
        const okPos = at === 0 || (at >= 2 && buf[at - 2] === 13 && buf[at - 1] === 10);
        if (at >= 0 && okPos) {
          buf = buf.subarray(at + dash.length);
          state = 'after-boundary';
        } else if (!(await more())) throw new MultipartError('no opening boundary');
      } else if (state === 'after-boundary') {
        if (buf.length < 2 && (await more())) continue;
        if (buf.length < 2) throw new MultipartError('truncated after boundary');
        if (buf[0] === 45 && buf[1] === 45) {
          break parse;
        }
        const eol = buf.indexOf('\r\n');
        if (eol < 0) {
          if (buf.length > 1024 || !(await more())) throw new MultipartError('bad boundary line');
          continue;
        }
        if (buf.subarray(0, eol).toString('latin1').trim() !== '') throw new MultipartError('bad boundary line');
        buf = buf.subarray(eol + 2);
        state = 'headers';
      } else if (state === 'headers') {
        const end = buf.indexOf('\r\n\r\n');
        const emptyHeaders = buf.length >= 2 && buf[0] === 13 && buf[1] === 10;
        if (end < 0 && !emptyHeaders) {
          if (buf.length > MAX_HEADER_BYTES || !(await more())) throw new MultipartError('part headers too long or truncated');
          continue;
        }
        const headers = new Map<string, string>();
        const block = emptyHeaders ? '' : buf.subarray(0, end).toString('latin1');
        for (const line of block.split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        buf = buf.subarray(emptyHeaders ? 2 : end + 4);
        state = 'body';
        yield { type: 'part', headers };
      } else {
        const at = buf.indexOf(delimiter);
        if (at >= 0) {
          if (at > 0) yield { type: 'data', chunk: buf.subarray(0, at) };
          yield { type: 'end-part' };
          buf = buf.subarray(at + delimiter.length);
          state = 'after-boundary';
          continue;
        }
        // Keep a tail that might be the start of a delimiter split across chunks.
        const keep = delimiter.length - 1;
        if (buf.length > keep) {
          yield { type: 'data', chunk: buf.subarray(0, buf.length - keep) };
          buf = Buffer.from(buf.subarray(buf.length - keep));
        }
        if (!(await more())) throw new MultipartError('truncated part');
      }
    }
    // Drain the epilogue so the connection can be reused.
    while (await more()) buf = Buffer.alloc(0);
  } finally {
    // A consumer that stops early (the phone went away) releases the upstream body too.
    if (!finished) await iterator.return?.();
  }
}
