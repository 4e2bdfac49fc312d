/**
 * The STOW-RS request body: `multipart/related; type="application/dicom"` (PS3.18 §10.5.1.1,
 * RFC 2387), one part per instance, each the instance's Part-10 bytes read from disk as they go
 * out — a 200 × 15 MB batch never sits in memory. The length is known in advance (the sizes are
 * recorded at ingest), so the request carries Content-Length rather than chunked encoding.
 *
 * The file bytes go out through two buffers used in turn: one is read into while the other is
 * being written. A stream handing out a fresh buffer per read would allocate every byte of every
 * upload anew, and the garbage collector's work for that gigabytes-an-hour churn took CPU from the
 * PACS upload itself on a desk that is busy ingesting at the same time.
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { LocalFileError, type StowItem } from './pacs-client';

export interface MultipartBody {
  readonly contentType: string;
  readonly contentLength: number;
  /**
   * Writes the whole body and ends `out`. Rejects with LocalFileError when a file is missing or
   * not the recorded size (nothing after it is written), or with `out`'s error.
   */
  writeTo(out: Writable): Promise<void>;
}

const CRLF = Buffer.from('\r\n');
const CHUNK = 1 << 20;

/** Resolves once `out` has handed `chunk` on, so its memory may be used again. */
function written(out: Writable, chunk: Buffer): Promise<void> {
  const p = new Promise<void>((resolve, reject) => out.write(chunk, (e) => (e ? reject(e) : resolve())));
  // Observed now, awaited later: a failure while the other buffer is being filled is not "unhandled".
  p.catch(() => undefined);
  return p;
}

/**
 * Rejects when `out` errors or closes. Node's http request drops a write's callback when its
 * socket is destroyed before the request itself reports 'close' (a PACS resetting mid-body): every
 * wait here is raced against this, or the upload would hang with its file open.
 */
function endOf(out: Writable): { readonly ended: Promise<never>; stop(): void } {
  let fail: (e: Error) => void = () => undefined;
  const ended = new Promise<never>((_, reject) => (fail = reject));
  ended.catch(() => undefined);
  const onClose = () => fail(new Error('request closed before its body was written'));
  out.once('close', onClose);
  out.once('error', fail);
  return {
    ended,
    stop() {
      out.off('close', onClose);
      out.off('error', fail);
    },
  };
}

export function multipartBody(items: readonly StowItem[]): MultipartBody {
  // 32 random hex characters cannot occur by chance in the DICOM bytes of any realistic batch.
  const boundary = `desk-${randomBytes(16).toString('hex')}`;
  const partHeader = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1');
  const closing = Buffer.from(`--${boundary}--\r\n`, 'latin1');
  const contentLength = items.reduce((n, it) => n + partHeader.length + it.size + CRLF.length, 0) + closing.length;
  return {
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
    contentLength,
    async writeTo(out) {
      // Used in turn and only within this call: once it returns, whatever the socket still holds
      // is never written over.
      const buffers = [Buffer.allocUnsafeSlow(CHUNK), Buffer.allocUnsafeSlow(CHUNK)] as const;
      const inUse: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
      const { ended, stop } = endOf(out);
      const unlessEnded = <T>(p: Promise<T>) => Promise.race([p, ended]);
      let turn = 0;
      try {
        for (const item of items) {
          // The constant parts are never rewritten, so nothing waits for them; the stream keeps order.
          out.write(partHeader);
          await readChunks(item, async (fill) => {
            await unlessEnded(inUse[turn]!);
            const n = await fill(buffers[turn]!);
            inUse[turn] = written(out, buffers[turn]!.subarray(0, n));
            turn ^= 1;
          });
          out.write(CRLF);
        }
        await unlessEnded(Promise.all(inUse));
        await unlessEnded(new Promise<void>((resolve, reject) => out.end(closing, (e?: Error | null) => (e ? reject(e) : resolve()))));
      } finally {
        stop();
      }
    },
  };
}

/** Reads `item` from disk chunk by chunk through `next`, checking it is the recorded size. */
async function readChunks(item: StowItem, next: (fill: (into: Buffer) => Promise<number>) => Promise<void>): Promise<void> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(item.path, 'r');
  } catch (e) {
    throw new LocalFileError(item.sopInstanceUID, (e as NodeJS.ErrnoException).code ?? 'read error', e);
  }
  try {
    let pos = 0;
    while (pos < item.size) {
      let got = 0;
      await next(async (into) => {
        try {
          got = (await fh.read(into, 0, Math.min(into.length, item.size - pos), pos)).bytesRead;
        } catch (e) {
          throw new LocalFileError(item.sopInstanceUID, (e as NodeJS.ErrnoException).code ?? 'read error', e);
        }
        // A size different from the recorded one would break the framing of every later part.
        if (got === 0) throw new LocalFileError(item.sopInstanceUID, `size ${pos} ≠ ${item.size}`);
        return got;
      });
      pos += got;
    }
    // Grown since it was recorded: the extra bytes would corrupt the framing too.
    if ((await fh.stat()).size !== item.size) throw new LocalFileError(item.sopInstanceUID, `size changed from ${item.size}`);
  } finally {
    await fh.close();
  }
}
