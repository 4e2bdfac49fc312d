/**
 * One file's heavy work, as the header worker runs it: framing pre-check, header parse and
 * semantic checks, then the file is taken into the store's incoming folder and hashed (SHA-256).
 * A rejected file is only hashed (its bytes stay where they are until the pipeline moves them).
 *
 * Taking is a copy, or — when the pipeline says the source name goes away after the commit
 * (`afterImport` move/delete, the desk's own spool) — a hard link. The link saves writing every
 * byte a second time, which on a desk that also runs the PACS upload is the largest CPU cost of
 * ingest. It is taken only when the export name is the file's only name, so that once the source
 * has moved into the desk's `done/` or been deleted every name of the bytes is the desk's own (a
 * source that stays in the export folder after all gets the store file unshared: pipeline.ts),
 * and the desk may make it owner-only. Otherwise, whenever the link fails (another file system,
 * FAT, a protected link), and on Windows, the file is copied as before.
 *
 * The walk and the parse read one open descriptor; the take goes by name, so afterwards the name
 * must still point at that inode and its size and mtime must be unchanged: what was checked is
 * what was taken. A file that changed meanwhile is reported as such and goes back to waiting
 * for stability.
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
  /** The source name leaves the export folder after the commit, so a hard link may stand in for the copy. */
  readonly mayLink?: boolean;
}

export type HeaderJobResult =
  | { readonly kind: 'accepted'; readonly header: InstanceHeader; readonly sha256: string; readonly size: number; readonly mtimeMs: number }
  | { readonly kind: 'rejected'; readonly reason: ReasonCode; readonly detail: string; readonly sha256: string; readonly size: number; readonly mtimeMs: number }
  /** Size or mtime changed while reading: not stable after all. */
  | { readonly kind: 'changed' }
  /** The file could not be read (vanished, no permission): not the file's fault. */
  | { readonly kind: 'io-error'; readonly code: string };

const CHUNK = 1024 * 1024;
const OWNER_ONLY = 0o600;

/**
 * One read buffer for every file this thread hashes (the job is synchronous): a fresh MiB per file
 * made the garbage collector run several times a second under a steady stream of files.
 */
const readBuffer = Buffer.allocUnsafeSlow(CHUNK);

/** SHA-256 of the whole descriptor, read in 1 MiB chunks. */
function hashFd(fd: number, size: number): string {
  const hash = createHash('sha256');
  const buf = readBuffer;
  let pos = 0;
  while (pos < size) {
    const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, size - pos), pos);
    if (n === 0) throw Object.assign(new Error('file shrank while reading'), { code: 'ESHRANK' });
    hash.update(buf.subarray(0, n));
    pos += n;
  }
  return hash.digest('hex');
}

/**
 * Copies `from` to `to` and returns the SHA-256 of the copy. copyFile lets the kernel move the
 * bytes (copy_file_range, or a reflink where the file system can) — twice as fast here as a
 * read/write loop through user space — and hashing the copy, still in the page cache, costs no
 * disk read and proves what was stored, not what was meant to be.
 */
function copyAndHash(from: string, to: string, size: number): string {
  fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  // copyFile keeps the source's mode: a read-only export would make a store file Windows cannot
  // purge, and a world-readable one exposes health data. The store is the desk's alone.
  fs.chmodSync(to, OWNER_ONLY);
  const out = fs.openSync(to, 'r');
  try {
    if (fs.fstatSync(out).size !== size) throw Object.assign(new Error('file changed while copying'), { code: 'ESHRANK' });
    return hashFd(out, size);
  } finally {
    fs.closeSync(out);
  }
}

/**
 * Links `from` (open as `checked`) at `to` when that is safe; false means copy instead. The link
 * goes by name, so it must land on the checked inode; the caller's check afterwards still catches
 * a file changed in place.
 */
function linked(from: string, to: string, checked: fs.Stats): boolean {
  // Windows: a link keeps the export file's own access list, which the desk cannot narrow (chmod
  // there only sets read-only), where a copy takes the store folder's.
  if (process.platform === 'win32' || checked.nlink !== 1) return false;
  try {
    fs.linkSync(from, to);
  } catch {
    return false;
  }
  try {
    const got = fs.statSync(to);
    // The checked inode, and no name made for it meanwhile besides ours.
    if (got.ino === checked.ino && got.dev === checked.dev && got.nlink === 2) {
      // Owner-only, as a copy would be; failing that (not the desk's file) the link is no store file.
      fs.chmodSync(to, OWNER_ONLY);
      return true;
    }
  } catch {
    // fall through: copy instead
  }
  fs.rmSync(to, { force: true });
  return false;
}

/** Takes the checked file into `job.copyTo`; the SHA-256 is of the stored inode's bytes either way. */
function takeAndHash(job: HeaderJob, fd: number, checked: fs.Stats): string {
  if (job.mayLink && linked(job.file, job.copyTo, checked)) return hashFd(fd, checked.size);
  return copyAndHash(job.file, job.copyTo, checked.size);
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
    const sha256 = header ? takeAndHash(job, fd, before) : hashFd(fd, before.size);
    // The take opened the file by name again: it must still be the inode that was checked, unchanged.
    const after = fs.fstatSync(fd);
    const byName = fs.statSync(job.file);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || byName.ino !== before.ino || byName.dev !== before.dev) {
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
