/**
 * File operations that survive a crash or power loss at any point: write-then-fsync-then-rename,
 * directory fsync after a rename (POSIX: a rename is durable only once its directory is), and a
 * move that never leaves zero copies — across file systems it copies, fsyncs, renames into place
 * and only then removes the source.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** Makes a directory entry change durable. Windows cannot open directories; NTFS journals them. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const h = await fsp.open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Flushes a file's data to disk (through a fresh handle: fsync applies to the file, not the handle). */
export async function fsyncFile(file: string): Promise<void> {
  const h = await fsp.open(file, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

export async function writeFileDurable(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const h = await fsp.open(tmp, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  await fsp.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

/** Copies into `to` via a temporary name, fsynced, renamed into place. */
export async function copyDurable(from: string, to: string): Promise<void> {
  const tmp = `${to}.${process.pid}.copying`;
  await fsp.copyFile(from, tmp);
  await fsyncFile(tmp);
  await fsp.rename(tmp, to);
  await fsyncDir(path.dirname(to));
}

/**
 * Moves `from` to `to`. Returns 'renamed' when the source is already gone (same file system), or
 * 'copied' when the caller must remove the source itself once its own record is committed.
 */
export async function moveDurable(from: string, to: string): Promise<'renamed' | 'copied'> {
  try {
    await fsp.rename(from, to);
    await fsyncDir(path.dirname(to));
    return 'renamed';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM') throw e;
    await copyDurable(from, to);
    return 'copied';
  }
}

/**
 * Gives `file` bytes of its own when `other` is another name of the same inode (a hard link):
 * copied beside it, fsynced, renamed over it. Returns whether it did.
 */
export async function unshareFrom(file: string, other: string): Promise<boolean> {
  const [a, b] = await Promise.all([fsp.stat(file).catch(() => null), fsp.stat(other).catch(() => null)]);
  if (!a || !b || a.ino !== b.ino || a.dev !== b.dev) return false;
  await copyDurable(file, file);
  return true;
}

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * A file name safe on every OS, for the done folder: letters, digits, `._-` only, no leading dot,
 * at most 80 characters. Always used after a generated prefix, so Windows reserved names (CON,
 * NUL, AUX…) and `..` can never form a whole name.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .replace(/\.{2,}/g, '.')
    .slice(-80);
  return cleaned || 'file';
}
