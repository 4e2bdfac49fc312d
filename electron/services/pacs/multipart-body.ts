/**
 * The STOW-RS request body: `multipart/related; type="application/dicom"` (PS3.18 §10.5.1.1,
 * RFC 2387), one part per instance, each the instance's Part-10 bytes read from disk as they go
 * out — a 200 × 15 MB batch never sits in memory. The length is known in advance (the sizes are
 * recorded at ingest), so the request carries Content-Length rather than chunked encoding.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { LocalFileError, type StowItem } from './pacs-client';

export interface MultipartBody {
  readonly contentType: string;
  readonly contentLength: number;
  /** The bytes, in order; throws LocalFileError when a file is missing or not the recorded size. */
  chunks(): AsyncGenerator<Buffer>;
}

const CRLF = Buffer.from('\r\n');

export function multipartBody(items: readonly StowItem[]): MultipartBody {
  // 32 random hex characters cannot occur by chance in the DICOM bytes of any realistic batch.
  const boundary = `desk-${randomBytes(16).toString('hex')}`;
  const partHeader = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1');
  const closing = Buffer.from(`--${boundary}--\r\n`, 'latin1');
  const contentLength = items.reduce((n, it) => n + partHeader.length + it.size + CRLF.length, 0) + closing.length;
  return {
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
    contentLength,
    async *chunks() {
      for (const item of items) {
        yield partHeader;
        let seen = 0;
        try {
          for await (const chunk of createReadStream(item.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
            seen += chunk.length;
            if (seen > item.size) break;
            yield chunk;
          }
        } catch (e) {
          throw new LocalFileError(item.sopInstanceUID, (e as NodeJS.ErrnoException).code ?? 'read error', e);
        }
        // A size different from the recorded one would break the framing of every later part.
        if (seen !== item.size) throw new LocalFileError(item.sopInstanceUID, `size ${seen} ≠ ${item.size}`);
        yield CRLF;
      }
      yield closing;
    },
  };
}
