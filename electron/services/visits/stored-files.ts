/**
 * The visits capability's files in the desk's image store (`<data>/store`, the folder
 * `instances.file_path` is relative to): it reads originals and sent copies, and writes corrected
 * copies and rejection notes under `corrected/`, with names it generates (never from DICOM
 * values). A copy is fsynced and renamed into place before any row points at it, as ingest does.
 */
import { randomUUID, createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DeskError } from '../../../shared/errors';

export interface WrittenFile {
  /** Relative to the store folder, '/'-separated. */
  readonly relPath: string;
  readonly size: number;
  readonly sha256: string;
}

export async function readStored(storeDir: string, relPath: string): Promise<Buffer> {
  try {
    return await readFile(join(storeDir, relPath));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new DeskError('VISIT_FILES_MISSING');
    throw e;
  }
}

export async function writeStored(storeDir: string, bytes: Buffer): Promise<WrittenFile> {
  const dir = join(storeDir, 'corrected');
  await mkdir(dir, { recursive: true });
  const name = `${randomUUID()}.dcm`;
  const partial = join(dir, `.${name}.part`);
  const fh = await open(partial, 'wx');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(partial, join(dir, name));
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
  return { relPath: `corrected/${name}`, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Removes a file the visits capability wrote and no row points at any more. */
export async function removeStored(storeDir: string, relPath: string): Promise<void> {
  await rm(join(storeDir, relPath), { force: true });
}
