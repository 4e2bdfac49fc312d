/**
 * One file's heavy work, as the header worker runs it: framing pre-check, header parse and
 * semantic checks, then a copy into the store's incoming folder while hashing (SHA-256).
 * A rejected file is only hashed (its bytes stay where they are until the pipeline moves them).
 *
 * The file is opened once; the walk, the parse and the copy all read that descriptor, and its
 * size and mtime are compared before and after, so what was checked is what was copied. A file
 * that changed meanwhile is reported as such and goes back to waiting for stability.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { checkFraming } from './framing';
import { fileSource } from './file-source';
import { readHeader, type InstanceHeader } from './header-fields';
import { Rejection, type ReasonCode } from './reasons';

export interface HeaderJob {
  readonly file: string;
  /**
   * Where to copy an accepted file (created exclusively). Not fsynced here: the pipeline fsyncs
   * it on the main thread's I/O pool before the rename, so this worker can start hashing the next
   * file while the disk flushes this one.
   */
  readonly copyTo: string;
}

export type HeaderJobResult =
  | { readonly kind: 'accepted'; readonly header: InstanceHeader; readonly sha256: string; readonly size: number; readonly mtimeMs: number }
  | { readonly kind: 'rejected'; readonly reason: ReasonCode; readonly detail: string; readonly sha256: string; readonly size: number; readonly mtimeMs: number }
  /** Size or mtime changed while reading: not stable after all. */
  | { readonly kind: 'changed' }
  /** The file could not be read (vanished, no permission): not the file's fault. */
  | { readonly kind: 'io-error'; readonly code: string };

const CHUNK = 1024 * 1024;

/** Copies (or only hashes, when `to` is null) the whole descriptor; returns the SHA-256 hex. */
function copyAndHash(fd: number, size: number, to: string | null): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  const out = to === null ? null : fs.openSync(to, 'wx');
  try {
    let pos = 0;
    while (pos < size) {
      const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, size - pos), pos);
      if (n === 0) throw Object.assign(new Error('file shrank while copying'), { code: 'ESHRANK' });
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      if (out !== null) {
        let w = 0;
        while (w < n) w += fs.writeSync(out, chunk, w, n - w);
      }
      pos += n;
    }
  } finally {
    if (out !== null) fs.closeSync(out);
  }
  return hash.digest('hex');
}

export function runHeaderJob(job: HeaderJob, onParsed: () => void = () => {}): HeaderJobResult {
  let fd: number;
  try {
    fd = fs.openSync(job.file, 'r');
  } catch (e) {
    return { kind: 'io-error', code: (e as NodeJS.ErrnoException).code ?? 'EIO' };
  }
  try {
    const before = fs.fstatSync(fd);
    let header: InstanceHeader | null = null;
    let rejection: Rejection | null = null;
    try {
      const framing = checkFraming(fileSource(fd, before.size));
      const headerBytes =
        framing.inflated !== undefined
          ? readRange(fd, 0, before.size)
          : headerWithoutSequences(fd, framing.pixelData ? framing.pixelData.tagOffset : before.size, framing.headerSkips);
      header = readHeader(headerBytes, framing);
    } catch (e) {
      if (e instanceof Rejection) rejection = e;
      else if ((e as NodeJS.ErrnoException).code) throw e;
      else rejection = new Rejection('PARSE_ERROR', (e instanceof Error ? e.message : String(e)).slice(0, 120));
    }
    onParsed();
    const sha256 = copyAndHash(fd, before.size, header ? job.copyTo : null);
    const after = fs.fstatSync(fd);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      if (header) fs.rmSync(job.copyTo, { force: true });
      return { kind: 'changed' };
    }
    const common = { sha256, size: before.size, mtimeMs: Math.floor(before.mtimeMs) };
    if (header) return { kind: 'accepted', header, ...common };
    return { kind: 'rejected', reason: rejection!.reason, detail: rejection!.detail, ...common };
  } catch (e) {
    fs.rmSync(job.copyTo, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESHRANK') return { kind: 'changed' };
    return { kind: 'io-error', code: code ?? 'EIO' };
  } finally {
    fs.closeSync(fd);
  }
}

/** The file up to `end` (the PixelData tag), leaving out the top-level sequences and UN elements. */
function headerWithoutSequences(fd: number, end: number, skips: ReadonlyArray<readonly [number, number]>): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (const [a, b] of skips) {
    if (a >= end) break;
    parts.push(readRange(fd, from, a));
    from = b;
  }
  if (from < end) parts.push(readRange(fd, from, end));
  return Buffer.concat(parts);
}

function readRange(fd: number, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  let done = 0;
  while (done < out.length) {
    const n = fs.readSync(fd, out, done, out.length - done, start + done);
    if (n === 0) throw Object.assign(new Error('file shrank while reading'), { code: 'ESHRANK' });
    done += n;
  }
  return out;
}
