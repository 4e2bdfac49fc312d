import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { boundaryOf, readMultipart, MultipartError } from './multipart-stream';

const boundary = 'b0undary-42';

function body(parts: Buffer[], preamble = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  parts.forEach((p, i) => {
    chunks.push(Buffer.from(`${i === 0 && !preamble ? '' : '\r\n'}--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), p);
  });
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(src: AsyncIterable<Uint8Array>): Promise<{ headers: Map<string, string>; bytes: Buffer }[]> {
  const out: { headers: Map<string, string>; bytes: Buffer[] }[] = [];
  for await (const ev of readMultipart(src, boundary)) {
    if (ev.type === 'part') out.push({ headers: new Map(ev.headers), bytes: [] });
    else if (ev.type === 'data') out[out.length - 1]!.bytes.push(ev.chunk);
  }
  return out.map((p) => ({ headers: p.headers, bytes: Buffer.concat(p.bytes) }));
}

describe('multipart/related reader (PS3.18 §8.7.1)', () => {
  // Part bytes that contain CRLF, dashes and a near-miss of the boundary.
  const parts = [Buffer.concat([randomBytes(5000), Buffer.from(`\r\n--${boundary.slice(0, -1)}X\r\n`), randomBytes(300)]), Buffer.from('\r\n--'), randomBytes(1)];

  it('returns every part exactly, whatever the chunk size', async () => {
    const whole = body(parts);
    for (const size of [1, 2, 3, 7, 13, 64, 1000, whole.length]) {
      const got = await collect(chunked(whole, size));
      expect(got.map((p) => p.bytes.toString('hex'))).toEqual(parts.map((p) => p.toString('hex')));
      expect(got[0]!.headers.get('content-type')).toBe('application/dicom');
    }
  });

  it('skips a preamble', async () => {
    const got = await collect(chunked(body(parts, 'preamble text\r\n'), 5));
    expect(got).toHaveLength(3);
  });

  it('fails on a truncated body instead of yielding a short part silently', async () => {
    const whole = body(parts);
    await expect(collect(chunked(whole.subarray(0, 4000), 100))).rejects.toBeInstanceOf(MultipartError);
  });

  it('reads the boundary parameter, quoted or not', () => {
    expect(boundaryOf('multipart/related; type="application/dicom"; boundary="abc def"')).toBe('abc def');
    expect(boundaryOf('multipart/related; boundary=xyz; type=application/dicom')).toBe('xyz');
    expect(boundaryOf('application/json')).toBeNull();
  });
});
